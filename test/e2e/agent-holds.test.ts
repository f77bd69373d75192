// An agent holds one record at a time, from accepting it to the feedback or the queue's wrap-up
// limit: /next is safe to retry, a second record is refused, and a wrap-up nobody ends gives the
// record and its place in the queue back. Through the API, the worker, Temporal and PostgreSQL.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newQueue, recordWhen, startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const types = (record: any): string[] => record.history.map((e: any) => e.type);

async function offered(queue: string, extra: Record<string, unknown> = {}) {
  const created = await stack.api.post('/v1/callbacks', { phone: '070-123 45 67', queue, channel: 'ivr', ...extra });
  expect(created.status).toBe(201);
  return recordWhen(stack.api, created.body.id, (r) => r.stage === 'offered');
}

const next = (queue: string, agentId: string, headers?: Record<string, string>) =>
  stack.api.post(`/v1/queues/${queue}/next`, { agentId }, headers);

describe('POST /v1/queues/{queue}/next', () => {
  it('answers 404 for a queue that does not exist, not an empty queue', async () => {
    const missing = await next(`no-such-queue-${randomUUID().slice(0, 8)}`, 'anna');
    expect(missing.status).toBe(404);
    expect(missing.body.type).toBe('not-found');
    expect((await next(await newQueue(stack.api), 'anna')).status).toBe(204);
  });

  it('gives an agent who holds a record that record again, not a second one', async () => {
    const queue = await newQueue(stack.api);
    const first = await offered(queue, { priority: 1 });
    const second = await offered(queue, { priority: 2 });
    const taken = await next(queue, 'anna');
    expect(taken.status).toBe(200);
    expect(taken.body.id).toBe(first.id);

    const retried = await next(queue, 'anna');
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ id: first.id, agentId: 'anna' });
    const connected = await recordWhen(stack.api, first.id, (r) => r.stage === 'connected');
    expect(types(connected).filter((t) => t === 'accepted')).toHaveLength(1);
    expect((await next(queue, 'anna')).body.id).toBe(first.id);
    expect((await stack.api.get(`/v1/callbacks/${second.id}`)).body.stage).toBe('offered');

    // Once the feedback is given the agent holds nothing and takes the next.
    expect((await stack.api.post(`/v1/callbacks/${first.id}/feedback`, { agentId: 'anna', outcome: 'completed' })).status).toBe(200);
    expect((await next(queue, 'anna')).body.id).toBe(second.id);
  });

  it('answers a retry with the same Idempotency-Key with the first answer, even after that record closed', async () => {
    const queue = await newQueue(stack.api);
    const first = await offered(queue, { priority: 1 });
    const second = await offered(queue, { priority: 2 });
    const key = { 'idempotency-key': `next-${randomUUID()}` };
    const taken = await next(queue, 'anna', key);
    expect(taken.status).toBe(200);
    expect(taken.body.id).toBe(first.id);
    await recordWhen(stack.api, first.id, (r) => r.stage === 'connected');
    expect((await stack.api.post(`/v1/callbacks/${first.id}/feedback`, { agentId: 'anna', outcome: 'completed' })).status).toBe(200);

    const retried = await next(queue, 'anna', key);
    expect(retried.status).toBe(200);
    expect(retried.body).toEqual(taken.body);
    expect((await stack.api.get(`/v1/callbacks/${second.id}`)).body.stage).toBe('offered');
    const otherAgent = await next(queue, 'bob', key);
    expect(otherAgent.status).toBe(422);
    expect(otherAgent.body.type).toBe('idempotency-key-reused');

    const empty = await newQueue(stack.api);
    const emptyKey = { 'idempotency-key': `next-${randomUUID()}` };
    expect((await next(empty, 'carl', emptyKey)).status).toBe(204);
    await offered(empty);
    expect((await next(empty, 'carl', emptyKey)).status).toBe(204);
  });
});

describe('an agent holding a record', () => {
  it('is refused another one of the area, by accept and by /next of another queue, naming the record held', async () => {
    const queue = await newQueue(stack.api);
    const held = await offered(queue);
    const other = await offered(queue);
    expect((await stack.api.post(`/v1/callbacks/${held.id}/accept`, { agentId: 'anna' })).status).toBe(200);

    const busy = await stack.api.post(`/v1/callbacks/${other.id}/accept`, { agentId: 'anna' });
    expect(busy.status).toBe(409);
    expect(busy.body).toMatchObject({ type: 'agent-busy', holding: held.id });
    const { orgArea, timeZone, openingHours } = (await stack.api.get(`/v1/queues/${queue}`)).body;
    const elsewhere = `${queue}-b`;
    expect((await stack.api.post('/v1/queues', { name: elsewhere, orgArea, timeZone, openingHours })).status).toBe(201);
    await offered(elsewhere);
    const busyElsewhere = await next(elsewhere, 'anna');
    expect(busyElsewhere.status).toBe(409);
    expect(busyElsewhere.body).toMatchObject({ type: 'agent-busy', holding: held.id });
    // Repeating the accept of the record one holds stays harmless.
    expect((await stack.api.post(`/v1/callbacks/${held.id}/accept`, { agentId: 'anna' })).status).toBe(200);
    expect((await stack.api.get(`/v1/callbacks/${other.id}`)).body.stage).toBe('offered');
  });
});

describe("a queue's wrap-up limit", () => {
  it('is 300 seconds unless set, validated, and changeable', async () => {
    const queue = await newQueue(stack.api);
    expect((await stack.api.get(`/v1/queues/${queue}`)).body.wrapUpTimeoutSeconds).toBe(1800);
    const zero = await stack.api.patch(`/v1/queues/${queue}`, { wrapUpTimeoutSeconds: 0 });
    expect(zero.status).toBe(400);
    expect(zero.body.type).toBe('validation-error');
    expect((await stack.api.patch(`/v1/queues/${queue}`, { wrapUpTimeoutSeconds: null })).status).toBe(400);
    const changed = await stack.api.patch(`/v1/queues/${queue}`, { wrapUpTimeoutSeconds: 900 });
    expect(changed.status).toBe(200);
    expect(changed.body.wrapUpTimeoutSeconds).toBe(900);
    expect((await stack.api.get('/v1/queues')).body.items.find((q: any) => q.name === queue).wrapUpTimeoutSeconds).toBe(900);
  });

  it('ends a wrap-up nobody ends as agent-client-terminated: the agent is free and the record is offered again', async () => {
    // One place in the queue: the record is offered again only if it gave its place back.
    const queue = await newQueue(stack.api, { queue: { gateSize: 1, wrapUpTimeoutSeconds: 2 } });
    const record = await offered(queue);
    expect((await next(queue, 'anna')).body.id).toBe(record.id);
    await recordWhen(stack.api, record.id, (r) => r.stage === 'connected');

    const again = await recordWhen(stack.api, record.id, (r) => r.stage === 'offered' && r.attempts === 1, 30_000);
    expect(again).toMatchObject({
      status: 'Active',
      agentId: null,
      latestAgent: 'anna',
      outcomeCounts: { answered: 1, 'agent-client-terminated': 1 },
    });
    expect(types(again).slice(4)).toEqual(['accepted', 'dialling', 'dialled', 'wrap-up-timeout', 'postponed', 'due', 'offered']);
    const timeout = again.history.find((e: any) => e.type === 'wrap-up-timeout');
    expect(timeout).toMatchObject({
      actor: 'system',
      detail: { agentId: 'anna', wrapUpTimeoutSeconds: 2, outcome: 'agent-client-terminated' },
    });

    const late = await stack.api.post(`/v1/callbacks/${record.id}/feedback`, { agentId: 'anna', outcome: 'completed' });
    expect(late.status).toBe(409);
    expect(late.body.type).toBe('agent-not-on-call');
    expect((await next(queue, 'anna')).body.id).toBe(record.id);
  });
});
