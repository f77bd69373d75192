// A record's history written as the API and its workflow write it (insertRecord, then saveRecord
// per step), at instants a test chooses: what the statistics' tests count, without waiting for
// real calls or days to pass.
import { expect } from 'vitest';
import type { Sql } from '../../db/connect.js';
import { insertRecord, saveRecord } from '../../db/records.js';
import { attachBooking } from '../../db/schedules.js';
import type { CallbackRecord, HistoryEvent, HistoryEventType } from '../../domain/record.js';
import { initialRecord, requestedEvent } from '../../domain/record-lifecycle.js';
import { callbackRequest } from './fixtures.js';

export type Step = [at: string, type: HistoryEventType, detail?: Record<string, unknown>];

export interface LifeRequest {
  channel: CallbackRecord['channel'];
  createdAt: string;
  requestedAt?: string;
  /** Booked in the schedule, in the 30-minute slot starting then. */
  booked?: string;
}

/** One save of the workflow: its new events, and the record as they leave it. */
export interface Save {
  steps: Step[];
  change?: Partial<CallbackRecord>;
}

/** The record's fields once closed for `reason` after `attempts` attempts. */
export const closedAs = (reason: string, attempts: number): Partial<CallbackRecord> => ({
  status: 'Closed',
  stage: 'closed',
  closeReason: reason as CallbackRecord['closeReason'],
  attempts,
});

/** Writes the record's request and each save; returns its id and its last save (to retry it). */
export async function writeLife(
  sql: Sql,
  where: { queue: string; orgArea: string; scheduleId?: string },
  request: LifeRequest,
  saves: Save[],
) {
  const req = callbackRequest({
    queue: where.queue,
    orgArea: where.orgArea,
    channel: request.channel,
    createdAt: request.createdAt,
    requestedAt: request.requestedAt ?? null,
  });
  let record = initialRecord(req);
  await sql.begin(async (tx) => {
    await insertRecord(tx, record, requestedEvent(req));
    if (request.booked) {
      const end = new Date(Date.parse(request.booked) + 1_800_000).toISOString();
      const slot = { start: request.booked, end, localStart: request.booked, localEnd: end, date: '', minutes: 30 };
      await attachBooking(tx, req.id, where.scheduleId!, slot);
    }
  });
  let last: { record: CallbackRecord; events: HistoryEvent[] } = { record, events: [] };
  for (const { steps, change = {} } of saves) {
    const events = steps.map(([at, type, detail = {}], i) => ({ seq: record.version + 1 + i, at, type, actor: 'system', detail }));
    record = { ...record, ...change, version: record.version + steps.length };
    expect(await saveRecord(sql, record, events)).toHaveLength(events.length);
    last = { record, events };
  }
  return { id: req.id, last };
}
