// A callback from request to closed record, through the API, the worker, the Temporal dev
// server and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordWhen, startStack, newQueue, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const types = (record: any): string[] => record.history.map((e: any) => e.type);

async function request(queue: string, extra: Record<string, unknown> = {}) {
  const created = await stack.api.post('/v1/callbacks', { phone: '070-123 45 67', queue, channel: 'ivr', ...extra });
  expect(created.status).toBe(201);
  return created.body;
}

/** Creates a record, lets it come due, and has `agent` take it from the queue until it is connected or back. */
async function takeAndDial(queue: string, phone: string, agent = 'anna') {
  const record = await request(queue, { phone });
  await recordWhen(stack.api, record.id, (r) => r.stage === 'offered');
  const taken = await stack.api.post(`/v1/queues/${queue}/next`, { agentId: agent });
  expect(taken.status).toBe(200);
  expect(taken.body.id).toBe(record.id);
  return recordWhen(stack.api, record.id, (r) => r.attempts === 1 && r.stage !== 'accepted' && r.stage !== 'dialling');
}

describe('a callback from request to completed call', () => {
  it('is requested, offered, accepted, dialled, completed and closed, with its full history', async () => {
    const queue = await newQueue(stack.api);
    const created = await stack.api.post('/v1/callbacks', {
      phone: '070-123 45 67',
      queue,
      channel: 'web',
      taskType: 'invoice question',
      priority: 3,
      customerId: '19800101-1234',
      comment: 'about the March invoice',
      language: 'sv',
      contactData: { orderId: 'A-1001' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ phone: '+46701234567', status: 'Open', priority: 3, taskType: 'invoice question' });
    const id = created.body.id;

    const listed = await stack.api.get(`/v1/callbacks?queue=${queue}`);
    expect(listed.body.items.map((r: any) => r.id)).toEqual([id]);

    await recordWhen(stack.api, id, (r) => r.stage === 'offered');
    const accepted = await stack.api.post(`/v1/callbacks/${id}/accept`, { agentId: 'anna' });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'Active', stage: 'accepted', agentId: 'anna' });

    const connected = await recordWhen(stack.api, id, (r) => r.stage === 'connected');
    expect(connected).toMatchObject({ attempts: 1, latestOutcome: 'answered', latestAgent: 'anna' });

    const done = await stack.api.post(`/v1/callbacks/${id}/feedback`, { agentId: 'anna', outcome: 'completed', comment: 'sorted' });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'Closed', closeReason: 'completed' });

    const closed = await recordWhen(stack.api, id, (r) => r.status === 'Closed');
    expect(closed).toMatchObject({ closeReason: 'completed', latestOutcome: 'completed', attempts: 1 });
    expect(types(closed)).toEqual(['requested', 'scheduled', 'due', 'offered', 'accepted', 'dialling', 'dialled', 'feedback', 'closed']);
    expect(closed.history.map((e: any) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(closed.history[4].actor).toBe('agent:anna');
    expect(closed.history[7].detail).toMatchObject({ outcome: 'completed', comment: 'sorted' });

    const byStatus = await stack.api.get(`/v1/callbacks?queue=${queue}&status=Closed`);
    expect(byStatus.body.items).toHaveLength(1);
    const byPhone = await stack.api.get(`/v1/callbacks?phone=${encodeURIComponent('0701234567')}&queue=${queue}`);
    expect(byPhone.body.items[0].id).toBe(id);
  });

  it('puts a busy number back to Open with a retry due later, keeping its place in line', async () => {
    const after = await takeAndDial(await newQueue(stack.api), '+46700000001');
    expect(after).toMatchObject({ status: 'Open', stage: 'waiting', latestOutcome: 'busy', outcomeCounts: { busy: 1 } });
    expect(Date.parse(after.dueAt) - Date.parse(after.latestCallAt)).toBeGreaterThanOrEqual(5 * 60_000);
    expect(after.rankAt).toBe(after.createdAt);
    expect(types(after).slice(-2)).toEqual(['dialled', 'postponed']);
  });

  it('closes an invalid number at once', async () => {
    const after = await takeAndDial(await newQueue(stack.api), '+46700000004');
    expect(after).toMatchObject({ status: 'Closed', closeReason: 'invalid-number', latestOutcome: 'invalid-number' });
  });

  it('reschedules to the customer\'s new time on "re-establish later"', async () => {
    const queue = await newQueue(stack.api);
    const connected = await takeAndDial(queue, '+46701234567');
    expect(connected.stage).toBe('connected');
    const later = new Date(Date.now() + 3 * 3_600_000).toISOString();
    const reply = await stack.api.post(`/v1/callbacks/${connected.id}/feedback`, {
      agentId: 'anna',
      outcome: 'reestablish-later',
      requestedAt: later,
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ status: 'Open', dueAt: later, latestOutcome: 'reestablish-later' });
    const stored = await recordWhen(stack.api, connected.id, (r) => r.status === 'Open');
    expect(types(stored).slice(-2)).toEqual(['feedback', 'rescheduled']);
    expect((await stack.api.post(`/v1/queues/${queue}/next`, { agentId: 'anna' })).status).toBe(204);
  });

  it('retries after "customer not reached"', async () => {
    const connected = await takeAndDial(await newQueue(stack.api), '+46701234567');
    const reply = await stack.api.post(`/v1/callbacks/${connected.id}/feedback`, { agentId: 'anna', outcome: 'customer-not-reached' });
    expect(reply.body).toMatchObject({ status: 'Open', latestOutcome: 'customer-not-reached' });
  });

  it('takes feedback only from the agent on the call', async () => {
    const connected = await takeAndDial(await newQueue(stack.api), '+46701234567');
    const wrong = await stack.api.post(`/v1/callbacks/${connected.id}/feedback`, { agentId: 'bob', outcome: 'completed' });
    expect(wrong.status).toBe(409);
    expect(wrong.type).toBe('application/problem+json');
    expect(wrong.body.type).toBe('agent-not-on-call');
    const right = await stack.api.post(`/v1/callbacks/${connected.id}/feedback`, { agentId: 'anna', outcome: 'completed' });
    expect(right.status).toBe(200);
    const again = await stack.api.post(`/v1/callbacks/${connected.id}/feedback`, { agentId: 'anna', outcome: 'completed' });
    expect(again.status).toBe(409);
  });
});

describe('agents taking records', () => {
  it('gives a record to exactly one of two agents racing for it', async () => {
    const queue = await newQueue(stack.api);
    const { id } = await request(queue);
    await recordWhen(stack.api, id, (r) => r.stage === 'offered');
    const replies = await Promise.all(['anna', 'bob'].map((agentId) => stack.api.post(`/v1/callbacks/${id}/accept`, { agentId })));
    expect(replies.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = replies.find((r) => r.status === 200)!.body.agentId;
    expect(replies.find((r) => r.status === 409)!.body.type).toBe('taken-by-another-agent');
    const stored = await recordWhen(stack.api, id, (r) => r.stage === 'connected');
    expect(stored.latestAgent).toBe(winner);
    expect(types(stored).filter((t) => t === 'accepted')).toHaveLength(1);
  });

  it('hands each offered record to one agent when many ask the queue at once, best first', async () => {
    const queue = await newQueue(stack.api);
    const low = await request(queue, { priority: 7 });
    const urgent = await request(queue, { priority: 1 });
    const normal = await request(queue, { priority: 5 });
    for (const r of [low, urgent, normal]) await recordWhen(stack.api, r.id, (x) => x.stage === 'offered');

    const first = await stack.api.post(`/v1/queues/${queue}/next`, { agentId: 'agent-0' });
    expect(first.body.id).toBe(urgent.id);
    const rest = await Promise.all(
      Array.from({ length: 8 }, (_, i) => stack.api.post(`/v1/queues/${queue}/next`, { agentId: `agent-${i + 1}` })),
    );
    const won = rest.filter((r) => r.status === 200).map((r) => r.body.id);
    expect(won.sort()).toEqual([low.id, normal.id].sort());
    expect(rest.filter((r) => r.status === 204)).toHaveLength(6);
  });

  it('lets the same agent repeat an accept it already won', async () => {
    const queue = await newQueue(stack.api);
    const { id } = await request(queue);
    await recordWhen(stack.api, id, (r) => r.stage === 'offered');
    expect((await stack.api.post(`/v1/callbacks/${id}/accept`, { agentId: 'anna' })).status).toBe(200);
    expect((await stack.api.post(`/v1/callbacks/${id}/accept`, { agentId: 'anna' })).status).toBe(200);
  });

  it('answers 409 for a record that is not offered and 404 for one that does not exist', async () => {
    const queue = await newQueue(stack.api);
    const future = await request(queue, { requestedAt: new Date(Date.now() + 3_600_000).toISOString() });
    await recordWhen(stack.api, future.id, (r) => r.version >= 2);
    const early = await stack.api.post(`/v1/callbacks/${future.id}/accept`, { agentId: 'anna' });
    expect(early.status).toBe(409);
    expect(early.body.type).toBe('not-offered');

    const closed = await takeAndDial(await newQueue(stack.api), '+46700000004');
    const late = await stack.api.post(`/v1/callbacks/${closed.id}/accept`, { agentId: 'anna' });
    expect(late.status).toBe(409);
    expect(late.body.type).toBe('record-closed');

    const missing = await stack.api.post('/v1/callbacks/00000000-0000-4000-8000-000000000000/accept', { agentId: 'anna' });
    expect(missing.status).toBe(404);
    expect((await stack.api.get('/v1/callbacks/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});

describe('paging', () => {
  it('pages through a queue newest first without repeats', async () => {
    const queue = await newQueue(stack.api);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await request(queue, { requestedAt: new Date(Date.now() + 3_600_000).toISOString() })).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await stack.api.get(`/v1/callbacks?queue=${queue}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((r: any) => r.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });
});
