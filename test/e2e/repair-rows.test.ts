// PostgreSQL restored from an older backup, Temporal not: rows missing or behind, events lost. The
// repair writes them again from the record workflows' histories, exactly as they were.
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { temporalDataConverterOf } from '../../config/index.js';
import { repairRowsFromWorkflows } from '../../worker/repair-rows.js';
import { newQueue, recordWhen, startStack, type Stack } from '../support/stack.js';

let stack: Stack;
let connection: Connection;
beforeAll(async () => {
  stack = await startStack();
  connection = await Connection.connect({ address: stack.config.TEMPORAL_ADDRESS! });
});
afterAll(async () => {
  await connection?.close();
  await stack?.stop();
});

it('rebuilds missing and outdated rows, with their history, from the workflows', async () => {
  const since = new Date();
  const { api, sql } = stack;
  const queue = await newQueue(api);
  const create = async (body: Record<string, unknown>) =>
    (await api.post('/v1/callbacks', { phone: '+46701234567', queue, channel: 'api', ...body })).body.id as string;

  // Closed after a whole call; waiting for its time; offered in the queue.
  const closed = await create({ comment: 'call about the invoice', contactData: { name: 'Astrid' } });
  await recordWhen(api, closed, (r) => r.stage === 'offered');
  await api.post(`/v1/callbacks/${closed}/accept`, { agentId: 'anna' });
  await recordWhen(api, closed, (r) => r.stage === 'connected');
  await api.post(`/v1/callbacks/${closed}/feedback`, { agentId: 'anna', outcome: 'completed', comment: 'done' });
  await recordWhen(api, closed, (r) => r.status === 'Closed');
  const waiting = await create({ requestedAt: new Date(Date.now() + 3_600_000).toISOString() });
  await recordWhen(api, waiting, (r) => r.history.some((e: any) => e.type === 'scheduled'));
  const offered = await create({});
  await recordWhen(api, offered, (r) => r.stage === 'offered');

  const ids = [closed, waiting, offered];
  const before = await Promise.all(ids.map(async (id) => (await api.get(`/v1/callbacks/${id}`)).body));

  // The restore: two records never reached the backup, the third is there as it was at its creation.
  await sql`delete from callbacks where id = any(${[closed, waiting]})`;
  await sql`delete from callback_events where record_id = ${offered} and seq > 1`;
  await sql`update callbacks set version = 1, stage = 'waiting', status = 'Open' where id = ${offered}`;
  for (const id of [closed, waiting]) expect((await api.get(`/v1/callbacks/${id}`)).status).toBe(404);
  expect((await api.get(`/v1/callbacks/${offered}`)).body.stage).toBe('waiting');

  const dataConverter = temporalDataConverterOf(stack.config);
  const temporal = new Client({ connection, dataConverter });
  const report = await repairRowsFromWorkflows(sql, temporal, dataConverter.payloadCodecs[0], { since, queue });
  expect(report.failed).toEqual([]);
  expect(report.repaired.sort()).toEqual([...ids].sort());

  const after = await Promise.all(ids.map(async (id) => (await api.get(`/v1/callbacks/${id}`)).body));
  expect(after).toEqual(before);

  // Nothing left to do: a second run writes nothing.
  expect((await repairRowsFromWorkflows(sql, temporal, dataConverter.payloadCodecs[0], { since, queue })).repaired).toEqual([]);

  // The records go on from their rebuilt rows: the offered one is taken and closed.
  expect((await api.post(`/v1/callbacks/${offered}/accept`, { agentId: 'bo' })).status).toBe(200);
  await recordWhen(api, offered, (r) => r.stage === 'connected');
  await api.post(`/v1/callbacks/${offered}/feedback`, { agentId: 'bo', outcome: 'completed' });
  await recordWhen(api, offered, (r) => r.status === 'Closed');
});
