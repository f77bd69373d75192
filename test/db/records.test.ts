// The record's copy in PostgreSQL: the workflow's writes are idempotent and only move forward.
import { afterAll, expect, it } from 'vitest';
import { findHistory, findRecord, saveRecord } from '../../db/records.js';
import { initialRecord, requestedEvent } from '../../domain/record-lifecycle.js';
import type { HistoryEvent } from '../../domain/record.js';
import { callbackRequest } from '../support/fixtures.js';
import { testSql } from '../support/stack.js';

const sql = testSql();
afterAll(() => sql.end());

const request = () => callbackRequest({ queue: 'db-test', contactData: { case: '42' } });

const event = (seq: number, type: HistoryEvent['type']): HistoryEvent => ({
  seq,
  at: new Date().toISOString(),
  type,
  actor: 'system',
  detail: {},
});

it('writes no second event when the same save is retried', async () => {
  const req = request();
  const record = { ...initialRecord(req), version: 2 };
  const events = [requestedEvent(req), event(2, 'scheduled')];
  expect((await saveRecord(sql, record, events)).map((e) => e.seq)).toEqual([1, 2]);
  // The retry reports that it added nothing: the worker counts what a save added (metrics).
  expect(await saveRecord(sql, record, events)).toEqual([]);
  expect((await saveRecord(sql, { ...record, version: 3 }, [...events, event(3, 'due')])).map((e) => e.seq)).toEqual([3]);
  expect((await findHistory(sql, req.id)).map((e) => e.seq)).toEqual([1, 2, 3]);
  expect(await findRecord(sql, req.id)).toMatchObject({ version: 3, contactData: { case: '42' } });
});

it('never lets an older snapshot overwrite a newer one', async () => {
  const req = request();
  const offered = { ...initialRecord(req), stage: 'offered' as const, status: 'Active' as const, version: 3 };
  await saveRecord(sql, offered, [requestedEvent(req), event(2, 'scheduled'), event(3, 'offered')]);
  await saveRecord(sql, { ...initialRecord(req), version: 2 }, [event(2, 'scheduled')]);
  expect(await findRecord(sql, req.id)).toMatchObject({ stage: 'offered', status: 'Active', version: 3 });
});

it('reads a record and its history back exactly as written: ISO instants, json keys as they were', async () => {
  const req = callbackRequest({
    queue: 'db-test',
    requestedAt: '2031-01-06T09:30:00.000Z',
    contactData: { account_no: '7', caseRef: 'A-1' },
  });
  const record = {
    ...initialRecord(req),
    version: 2,
    outcomeCounts: { 'no-answer': 1 },
    closeRequest: { actor: 'crm/anna', at: '2031-01-06T09:00:00.000Z' },
    refusedBy: ['bo'],
  };
  const events = [requestedEvent(req), { ...event(2, 'scheduled'), detail: { dueAt: record.dueAt, by_rule: 'requested' } }];
  await saveRecord(sql, record, events);
  expect(await findRecord(sql, req.id)).toEqual({ ...record, waitingListOf: null, copiedFrom: null });
  expect(await findHistory(sql, req.id)).toEqual(events);
});
