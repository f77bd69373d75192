// What operators see in the Temporal Web UI: records found by search attributes, and live state.
import { Client, Connection } from '@temporalio/client';
import { temporalDataConverterOf } from '../../config/index.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SEARCH_ATTRIBUTES, recordQuery } from '../../workflows/callback-contract.js';
import { eventually, recordWhen, startStack, newQueue, type Stack } from '../support/stack.js';

let stack: Stack;
let connection: Connection;
let client: Client;
beforeAll(async () => {
  stack = await startStack();
  connection = await Connection.connect({ address: stack.config.TEMPORAL_ADDRESS! });
  client = new Client({ connection, dataConverter: temporalDataConverterOf(stack.config) });
});
afterAll(async () => {
  await connection?.close();
  await stack?.stop();
});

async function idsFound(query: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const wf of client.workflow.list({ query })) ids.push(wf.workflowId);
  return ids.sort();
}

it('finds "all Open records of a queue due today" by search attributes, kept current by the workflow', async () => {
  const queue = await newQueue(stack.api);
  const inOneHour = new Date(Date.now() + 3_600_000).toISOString();
  const open = await stack.api.post('/v1/callbacks', { phone: '+46701234567', queue, channel: 'web', requestedAt: inOneHour });
  const asap = await stack.api.post('/v1/callbacks', { phone: '+46701234568', queue, channel: 'web' });
  await recordWhen(stack.api, asap.body.id, (r) => r.stage === 'offered');

  const endOfDay = new Date(Date.now() + 24 * 3_600_000).toISOString();
  const openToday = `CallbackQueue = '${queue}' AND CallbackStatus = 'Open' AND CallbackDueAt < '${endOfDay}'`;
  expect(
    await eventually(async () => {
      const ids = await idsFound(openToday);
      return ids.length === 1 ? ids : undefined;
    }),
  ).toEqual([open.body.id]);

  const active = `CallbackQueue = '${queue}' AND CallbackStatus = 'Active' AND CallbackStage = 'offered'`;
  expect(
    await eventually(async () => {
      const ids = await idsFound(active);
      return ids.length === 1 ? ids : undefined;
    }),
  ).toEqual([asap.body.id]);

  // The phone number is no search attribute: they are stored unencrypted (search by phone is the API's).
  const described = await client.workflow.getHandle(asap.body.id).describe();
  expect(described.typedSearchAttributes.get(SEARCH_ATTRIBUTES.queue)).toBe(queue);
  const fields = described.raw.workflowExecutionInfo?.searchAttributes?.indexedFields ?? {};
  const stored = Object.values(fields).map((p) => Buffer.from(p.data ?? []).toString('utf8'));
  expect(stored.join(' ')).toContain(queue);
  expect(stored.join(' ')).not.toContain('4670123456');
  const byPhone = await stack.api.get(`/v1/callbacks?phone=${encodeURIComponent('+46701234568')}&queue=${queue}`);
  expect(byPhone.body.items.map((r: any) => r.id)).toEqual([asap.body.id]);
});

it("answers a query with the record's live state", async () => {
  const queue = await newQueue(stack.api);
  const created = await stack.api.post('/v1/callbacks', { phone: '+46701234567', queue, channel: 'api' });
  await recordWhen(stack.api, created.body.id, (r) => r.stage === 'offered');
  await stack.api.post(`/v1/callbacks/${created.body.id}/accept`, { agentId: 'anna' });
  const live = await eventually(async () => {
    const r = await client.workflow.getHandle(created.body.id).query(recordQuery);
    return r.stage === 'connected' ? r : undefined;
  });
  expect(live).toMatchObject({ id: created.body.id, status: 'Active', agentId: 'anna', attempts: 1, latestOutcome: 'answered' });
});
