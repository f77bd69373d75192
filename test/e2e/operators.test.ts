// What operators see in the Temporal Web UI: records found by search attributes, and live state.
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { recordQuery } from '../../workflows/callback-contract.js';
import { eventually, recordWhen, startStack, newQueue, type Stack } from '../support/stack.js';

let stack: Stack;
let connection: Connection;
let client: Client;
beforeAll(async () => {
  stack = await startStack();
  connection = await Connection.connect({ address: stack.config.TEMPORAL_ADDRESS! });
  client = new Client({ connection });
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

  const byPhone = `CallbackPhone = '+46701234568' AND CallbackQueue = '${queue}'`;
  expect(
    await eventually(async () => {
      const ids = await idsFound(byPhone);
      return ids.length === 1 ? ids : undefined;
    }),
  ).toEqual([asap.body.id]);
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
