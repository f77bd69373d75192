// Agents are pushed records: presence, reservations over the agent's event stream, the offer
// timeout, refusals, and never two records at once. Through the API, the worker, Temporal and
// PostgreSQL, with agents in the directory and their personal tokens.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentDesk, ivrRequest, offerOf } from '../support/agent-desks.js';
import type { EventStream } from '../support/event-stream.js';
import { sessionClient } from '../support/session-client.js';
import { eventually, newQueue, recordWhen, startStack, type Stack } from '../support/stack.js';

let stack: Stack;
const streams: EventStream[] = [];
beforeAll(async () => {
  stack = await startStack({ env: { AGENT_STREAM_KEEPALIVE_MS: '500', PRESENCE_SWEEP_MS: '500' } });
});
afterAll(async () => {
  for (const s of streams) s.close();
  await stack?.stop();
});

const agent = (queues: string[], options?: { listen?: boolean }) => agentDesk(stack, queues, streams, options);
const request = (queue: string, extra?: Record<string, unknown>) => ivrRequest(stack, queue, extra);

async function presenceLog(agentId: string): Promise<{ state: string; reason: string | null; recordId: string | null }[]> {
  return stack.sql`select state, reason, record_id from agent_presence_log where agent_id = ${agentId} order by seq`;
}

describe('presence', () => {
  it('is set by the agent where it is theirs to set, seen by supervisors, and refused where it follows a record', async () => {
    const queue = await newQueue(stack.api);
    const anna = await agent([queue]);
    const first = await anna.events.next('presence');
    expect(first.data).toMatchObject({ agentId: anna.id, state: 'offline', recordId: null });

    expect(await anna.set('away', 'lunch')).toMatchObject({ state: 'away', reason: 'lunch' });
    await anna.events.next('presence', (p) => p.state === 'away' && p.reason === 'lunch');
    const bad = await anna.api.put('/v1/agents/me/presence', { state: 'on-call' });
    expect(bad.status).toBe(400);
    expect((await anna.api.put('/v1/agents/me/presence', { state: 'away' })).status).toBe(400); // a reason is needed
    const early = await anna.api.put('/v1/agents/me/presence', { state: 'wrap-up' });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ type: 'presence-not-changeable', state: 'away' });

    const supervisor = await stack.api.get(`/v1/agents/presence?queue=${queue}`);
    expect(supervisor.status).toBe(200);
    expect(supervisor.body.items).toEqual([
      expect.objectContaining({ agentId: anna.id, displayName: anna.id, state: 'away', reason: 'lunch', queues: [queue] }),
    ]);
    expect((await stack.as('ivr').get('/v1/agents/presence')).status).toBe(403);
    // Another agent's presence is not theirs to change; an integration may, for the agent it names.
    const bert = await agent([queue], { listen: false });
    expect((await anna.api.put(`/v1/agents/${bert.id}/presence`, { state: 'available' })).body.type).toBe('acting-as-another-agent');
    const crm = stack.as('integration');
    expect((await crm.put(`/v1/agents/${bert.id}/presence`, { state: 'away', reason: 'training' })).body).toMatchObject({
      state: 'away',
    });
    const [audited] = await stack.sql`select actor from audit_log where action = 'agent-presence' and actor like ${`%/agent:${bert.id}`}`;
    expect(audited).toBeDefined();
  });

  it('is changed by a signed-in agent with the CSRF token, and goes offline when the agent signs out', async () => {
    const queue = await newQueue(stack.api);
    const { id } = await agent([queue], { listen: false });
    const password = 'correct horse battery staple';
    expect((await stack.api.post('/v1/people', { id, role: 'agent', password })).status).toBe(201);
    const browser = sessionClient(stack.apiUrl);
    expect((await browser.signIn(id, password)).status).toBe(200);
    expect((await browser.send('PUT', '/v1/agents/me/presence', { json: { state: 'available' } })).body.type).toBe('csrf-refused');
    const set = await browser.send('PUT', '/v1/agents/me/presence', { json: { state: 'available' }, headers: browser.withCsrf() });
    expect(set.body).toMatchObject({ agentId: id, state: 'available' });
    expect((await browser.send('DELETE', '/v1/session', { headers: browser.withCsrf() })).status).toBe(204);
    expect((await stack.api.get(`/v1/agents/${id}/presence`)).body).toMatchObject({ state: 'offline' });
  });

  it('sends an agent whose desk stopped listening offline, and keeps one whose desk listens', async () => {
    const queue = await newQueue(stack.api);
    const listening = await agent([queue]);
    const silent = await agent([queue], { listen: false });
    await listening.set('available');
    await silent.set('available');
    // agentOfflineAfterSeconds is 90 and not changed here (it is every stack's, and other tests'
    // desks share the database). The silent desk was last seen 10 minutes ago: the next sweep sends
    // it offline. The listening one 85 s ago: its stream's keep-alive (500 ms here) sees it again.
    await stack.sql`update agent_presence set last_seen_at = now() - interval '10 minutes' where agent_id = ${silent.id}`;
    await stack.sql`update agent_presence set last_seen_at = now() - interval '85 seconds' where agent_id = ${listening.id}`;
    await eventually(async () => ((await silent.presence()).state === 'offline' ? true : undefined), 30_000, 'the silent agent offline');
    const seen = await eventually(
      async () => {
        const p = await listening.presence();
        return Date.now() - Date.parse(p.lastSeenAt) < 10_000 ? p : undefined;
      },
      30_000,
      'the listening desk seen again',
    );
    expect(seen.state).toBe('available');
  });
});

describe('pushed routing', () => {
  it('pushes a due record to the available agent with the time left and the attempt; accepted, called, wrapped up, available again', async () => {
    const queue = await newQueue(stack.api, { queue: { offerTimeoutSeconds: 60 } });
    const anna = await agent([queue]);
    await anna.set('available');
    const id = await request(queue, { comment: 'about the invoice', language: 'sv' });

    const offer = await offerOf(anna, id);
    expect(offer.data.reservation).toMatchObject({ recordId: id, attempt: 1, maxAttempts: 3 });
    expect(offer.data.reservation.secondsLeft).toBeGreaterThan(0);
    expect(offer.data.reservation.secondsLeft).toBeLessThanOrEqual(60);
    expect(offer.data.record).toMatchObject({ id, queue, comment: 'about the invoice', language: 'sv' });
    expect(await anna.presence()).toMatchObject({ state: 'offered', recordId: id });

    // Nobody else may take it meanwhile, not even through /next.
    expect((await stack.api.post(`/v1/callbacks/${id}/accept`, { agentId: 'someone-else' })).body.type).toBe('reserved-for-another-agent');
    expect((await stack.api.post(`/v1/queues/${queue}/next`, { agentId: 'someone-else' })).status).toBe(204);

    expect((await anna.api.post(`/v1/callbacks/${id}/accept`, {})).status).toBe(200);
    await recordWhen(stack.api, id, (r) => r.stage === 'connected');
    await anna.events.next('presence', (p) => p.state === 'on-call' && p.recordId === id);
    expect(await anna.set('wrap-up')).toMatchObject({ state: 'wrap-up', recordId: id });
    expect((await anna.api.post(`/v1/callbacks/${id}/feedback`, { outcome: 'completed' })).status).toBe(200);
    await anna.events.next('presence', (p) => p.state === 'available' && p.recordId === null, { from: anna.events.events.indexOf(offer) });

    expect((await presenceLog(anna.id)).map((e) => [e.state, e.recordId])).toEqual([
      ['offline', null],
      ['available', null],
      ['offered', id],
      ['on-call', id],
      ['wrap-up', id],
      ['available', null],
    ]);
    const closed = await recordWhen(stack.api, id, (r) => r.status === 'Closed');
    expect(closed.history.filter((e: any) => e.type === 'accepted').map((e: any) => e.actor)).toEqual([`agent:${anna.id}`]);
  });

  it('sends a refused record, and one whose offer ran out, to the next agent; the agent who did not answer goes away', async () => {
    const queue = await newQueue(stack.api, { queue: { offerTimeoutSeconds: 3 } });
    const anna = await agent([queue]);
    const bert = await agent([queue]);
    const cleo = await agent([queue]);
    // Anna has been available the longest: she is offered first.
    await anna.set('available');
    await bert.set('available');
    const id = await request(queue);
    await offerOf(anna, id);
    expect((await anna.api.post(`/v1/callbacks/${id}/refuse`, { reason: 'speaks no Finnish' })).status).toBe(200);

    await offerOf(bert, id);
    expect(await anna.presence()).toMatchObject({ state: 'available' });
    // Bert does not answer: after the offer timeout he is away, "no answer", and nobody else is available.
    await bert.events.next('presence', (p) => p.state === 'away' && p.reason === 'no answer', { timeoutMs: 20_000 });
    const waiting = await recordWhen(stack.api, id, (r) => r.stage === 'offered');
    expect(waiting.refusedBy).toEqual([anna.id]);

    // Cleo becomes available: the waiting record is hers at once.
    await cleo.set('available');
    await offerOf(cleo, id);
    expect((await cleo.api.post(`/v1/callbacks/${id}/accept`, {})).status).toBe(200);
    const held = await recordWhen(stack.api, id, (r) => r.agentId === cleo.id);
    expect(held.history.filter((e: any) => e.type === 'refused').map((e: any) => e.actor)).toEqual([`agent:${anna.id}`]);
    expect((await presenceLog(bert.id)).map((e) => [e.state, e.reason])).toContainEqual(['away', 'no answer']);
  });

  it('never gives an agent a second record while offered one or on a call; the next waits in its place and comes at once after', async () => {
    const queue = await newQueue(stack.api, { queue: { offerTimeoutSeconds: 60 } });
    const anna = await agent([queue]);
    const first = await request(queue, { priority: 1 });
    const second = await request(queue, { priority: 2 });
    await recordWhen(stack.api, second, (r) => r.stage === 'offered');
    await recordWhen(stack.api, first, (r) => r.stage === 'offered');

    await anna.set('available');
    await offerOf(anna, first);
    // Offered one record, the agent may not take the other.
    const other = await anna.api.post(`/v1/callbacks/${second}/accept`, {});
    expect(other.body).toMatchObject({ type: 'agent-busy', holding: first });
    expect((await anna.api.post(`/v1/callbacks/${first}/accept`, {})).status).toBe(200);
    await recordWhen(stack.api, first, (r) => r.stage === 'connected');
    expect((await anna.api.post(`/v1/callbacks/${second}/accept`, {})).body.type).toBe('agent-busy');
    expect((await stack.sql`select 1 from agent_presence where record_id = ${second}`).length).toBe(0);
    expect((await anna.api.put('/v1/agents/me/presence', { state: 'available' })).body).toMatchObject({
      type: 'presence-not-changeable',
      state: 'on-call',
    });

    expect((await anna.api.post(`/v1/callbacks/${first}/feedback`, { outcome: 'completed' })).status).toBe(200);
    await offerOf(anna, second);
    expect(await anna.presence()).toMatchObject({ state: 'offered', recordId: second });
  });

  it("reserves a waiting-list record for its owner only, then the whole queue's agents after the offer timeout", async () => {
    const queue = await newQueue(stack.api, { queue: { offerTimeoutSeconds: 3 } });
    const owner = await agent([queue]);
    const other = await agent([queue]);
    await other.set('available');
    const id = await request(queue, { waitingListOf: owner.id });
    await recordWhen(stack.api, id, (r) => r.stage === 'offered');
    expect((await other.presence()).state).toBe('available');
    // The owner is not there: after the offer timeout the queue's agents get it.
    await offerOf(other, id);
    const toQueue = await recordWhen(stack.api, id, (r) => r.history.some((e: any) => e.type === 'offer-timeout'));
    expect(toQueue.waitingListOf).toBeNull();
  });

  it('leaves records of queues no directory agent serves to agents who take them (/next)', async () => {
    const queue = await newQueue(stack.api);
    const id = await request(queue);
    await recordWhen(stack.api, id, (r) => r.stage === 'offered');
    const taken = await stack.api.post(`/v1/queues/${queue}/next`, { agentId: `puller-${randomUUID().slice(0, 6)}` });
    expect(taken.body.id).toBe(id);
  });
});
