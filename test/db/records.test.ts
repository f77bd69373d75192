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
  await saveRecord(sql, record, events);
  await saveRecord(sql, record, events);
  expect((await findHistory(sql, req.id)).map((e) => e.seq)).toEqual([1, 2]);
  expect(await findRecord(sql, req.id)).toMatchObject({ version: 2, contactData: { case: '42' } });
});

it('never lets an older snapshot overwrite a newer one', async () => {
  const req = request();
  const offered = { ...initialRecord(req), stage: 'offered' as const, status: 'Active' as const, version: 3 };
  await saveRecord(sql, offered, [requestedEvent(req), event(2, 'scheduled'), event(3, 'offered')]);
  await saveRecord(sql, { ...initialRecord(req), version: 2 }, [event(2, 'scheduled')]);
  expect(await findRecord(sql, req.id)).toMatchObject({ stage: 'offered', status: 'Active', version: 3 });
});
