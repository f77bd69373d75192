// The routing soak: 50 agents who come and go, accept, refuse and let offers run out, and 500
// records through one queue, with a worker killed in the middle. What must hold: no agent ever
// holds two records, or is offered one while on a call; no record is ever reserved for (or held
// by) two agents at once; every record is accepted exactly once and completed. Checked against
// the presence log (every change of every agent, in commit order) and the records' histories.
// Runs once, on the machine's PostgreSQL (CI runs the embedded database's half without soaks).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApiKey } from '../../db/api-keys.js';
import { openEventStream, type EventStream } from '../support/event-stream.js';
import { processEnv, startWorkerProcess, type ServiceProcess } from '../support/processes.js';
import { eventually, http, newQueue, startStack, type Http, type Stack } from '../support/stack.js';

const embedded = inject('embeddedDb');
const AGENTS = 50;
const RECORDS = 500;
const GATE = 25;
const OFFER_SECONDS = 2;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const chance = (p: number) => Math.random() < p;

let stack: Stack;
const workers: (ServiceProcess & { metricsUrl: string })[] = [];
const streams: EventStream[] = [];

beforeAll(async () => {
  if (embedded) return;
  stack = await startStack({ withoutWorker: true, env: { AGENT_STREAM_KEEPALIVE_MS: '2000' } });
});
afterAll(async () => {
  for (const s of streams) s.close();
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.exited));
  await stack?.stop();
});

const workerEnv = () =>
  processEnv({ TEMPORAL_TASK_QUEUE: stack.config.TEMPORAL_TASK_QUEUE, DIALLER_RING_MS: '100', PRESENCE_SWEEP_MS: '1000' });

interface Agent {
  id: string;
  api: Http;
  events: EventStream;
}

/** An agent's day: available, answering what is pushed (mostly accepting), now and then away. */
async function work(agent: Agent, running: () => boolean, tally: Record<string, number>): Promise<void> {
  const count = (what: string) => (tally[what] = (tally[what] ?? 0) + 1);
  const set = (body: Record<string, string>) => agent.api.put('/v1/agents/me/presence', body);
  /** The call the agent holds: waits for the customer, then gives the feedback until it is taken (a 503 is retried, as its Retry-After says). */
  async function finish(recordId: string): Promise<void> {
    for (;;) {
      const record = (await agent.api.get(`/v1/callbacks/${recordId}`)).body;
      if (record.status === 'Closed' || record.agentId !== agent.id) return;
      if (record.stage === 'connected') break;
      await sleep(100);
    }
    if (chance(0.5)) await set({ state: 'wrap-up' });
    for (;;) {
      const done = await agent.api.post(`/v1/callbacks/${recordId}/feedback`, { outcome: 'completed' });
      count(`feedback ${done.status}`);
      if (done.status === 200 || done.status === 409) return;
      await sleep(500);
    }
  }
  const handled = new Set<string>();
  let cursor = 0;
  await set({ state: 'available' });
  while (running()) {
    const offer = await agent.events
      .next('offer', (d) => !handled.has(`${d.reservation.recordId}@${d.reservation.until}`), { timeoutMs: 1500, from: cursor })
      .catch(() => null);
    cursor = agent.events.events.length;
    if (!offer) {
      const now = (await agent.api.get('/v1/agents/me/presence')).body;
      // A call whose accept answered late (a 503 that went through after all) is finished like any other.
      if ((now.state === 'on-call' || now.state === 'wrap-up') && now.recordId) await finish(now.recordId);
      else if (now.state === 'away' || now.state === 'offline') await set({ state: 'available' });
      else if (now.state === 'available' && chance(0.05)) {
        count('breaks');
        await set({ state: 'away', reason: 'coffee' });
        await sleep(300 + Math.random() * 1200);
        await set({ state: 'available' });
      }
      continue;
    }
    const { recordId, until } = offer.data.reservation;
    handled.add(`${recordId}@${until}`);
    if (chance(0.08)) {
      count(`refuse ${(await agent.api.post(`/v1/callbacks/${recordId}/refuse`, { reason: 'not my language' })).status}`);
      continue;
    }
    if (chance(0.06)) {
      // Lets the offer run out: away, "no answer"; back after a moment.
      count('ignored');
      await agent.events.next('presence', (p) => p.state !== 'offered', { timeoutMs: 30_000, from: cursor }).catch(() => null);
      await sleep(200);
      await set({ state: 'available' });
      continue;
    }
    const accepted = await agent.api.post(`/v1/callbacks/${recordId}/accept`, {});
    count(`accept ${accepted.status}`);
    if (accepted.status === 200) await finish(recordId);
  }
}

describe.skipIf(embedded)('routing soak', () => {
  it(
    `${AGENTS} agents and ${RECORDS} records through one queue, a worker killed: nobody double-booked, every record accepted once`,
    { timeout: 900_000 },
    async () => {
      workers.push(...(await Promise.all([startWorkerProcess(workerEnv()), startWorkerProcess(workerEnv())])));
      const queue = await newQueue(stack.api, { queue: { gateSize: GATE, offerTimeoutSeconds: OFFER_SECONDS } });
      const agents: Agent[] = [];
      for (let i = 0; i < AGENTS; i++) {
        const id = `soak-${randomUUID().slice(0, 8)}`;
        expect((await stack.api.post('/v1/agents', { id, displayName: id, queues: [{ queue }] })).status).toBe(201);
        const token = await createApiKey(stack.sql, { name: `token.${id}`, role: 'agent', agentId: id, createdBy: 'tests' });
        const headers = { authorization: `Bearer ${token.key}` };
        const events = await openEventStream(`${stack.apiUrl}/v1/agents/me/events`, headers);
        streams.push(events);
        agents.push({ id, api: http(stack.apiUrl, headers), events });
      }

      const ids: string[] = [];
      const ivr = stack.as('ivr');
      for (let i = 0; i < RECORDS; i += 25) {
        const made = await Promise.all(
          Array.from({ length: Math.min(25, RECORDS - i) }, (_, k) =>
            ivr.post('/v1/callbacks', { phone: `+4670123${1000 + ((i + k) % 9000)}`, queue, channel: 'ivr' }),
          ),
        );
        for (const m of made) {
          expect(m.status, JSON.stringify(m.body)).toBe(201);
          ids.push(m.body.id);
        }
      }

      const closedCount = async () =>
        (await stack.sql<[{ n: number }]>`select count(*)::int as n from callbacks where queue = ${queue} and status = 'Closed'`)[0].n;
      let running = true;
      const tally: Record<string, number> = {};
      const days = agents.map((a) => work(a, () => running, tally));

      await eventually(async () => ((await closedCount()) >= RECORDS * 0.3 ? true : undefined), 400_000, '30% closed');
      workers[0]!.child.kill('SIGKILL');
      expect(await workers[0]!.exited).toBe('SIGKILL');
      await eventually(async () => ((await closedCount()) >= RECORDS * 0.6 ? true : undefined), 400_000, '60% closed');
      workers.push(await startWorkerProcess(workerEnv()));
      await eventually(async () => ((await closedCount()) === RECORDS ? true : undefined), 600_000, 'every record closed').catch(
        async (err) => {
          const open = await stack.sql`select id, stage, agent_id from callbacks where queue = ${queue} and status <> 'Closed'`;
          const presence =
            await stack.sql`select * from agent_presence where agent_id = any(${agents.map((a) => a.id)}) and state <> 'available'`;
          throw new Error(`${(err as Error).message}; open: ${JSON.stringify(open)}; presence: ${JSON.stringify(presence)}`);
        },
      );
      running = false;
      await Promise.all(days);

      // Every record completed, accepted exactly once, by an agent it was reserved for.
      const rows = await stack.sql<{ id: string; closeReason: string }[]>`select id, close_reason from callbacks where queue = ${queue}`;
      expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
      expect(rows.filter((r) => r.closeReason !== 'completed')).toEqual([]);
      const accepts = await stack.sql<{ recordId: string; actor: string }[]>`
        select e.record_id, e.actor from callback_events e join callbacks c on c.id = e.record_id
        where c.queue = ${queue} and e.type = 'accepted'`;
      const acceptsOf = new Map<string, string[]>();
      for (const a of accepts) acceptsOf.set(a.recordId, [...(acceptsOf.get(a.recordId) ?? []), a.actor]);
      expect(ids.filter((id) => acceptsOf.get(id)?.length !== 1)).toEqual([]);

      // The presence log, in commit order: an agent moves from one record to another only through a
      // free state, and a record is with one agent at a time.
      const log = await stack.sql<{ seq: string; agentId: string; state: string; recordId: string | null }[]>`
        select seq, agent_id, state, record_id from agent_presence_log where agent_id in ${stack.sql(agents.map((a) => a.id))} order by seq`;
      const holding = new Map<string, string | null>();
      const withAgent = new Map<string, string>();
      const doubleBooked: string[] = [];
      const sharedRecords: string[] = [];
      const offeredTo = new Map<string, Set<string>>();
      for (const e of log) {
        const before = holding.get(e.agentId) ?? null;
        if (e.recordId && before && before !== e.recordId) doubleBooked.push(`${e.agentId}: ${before} then ${e.recordId} at ${e.seq}`);
        if (before && before !== e.recordId && withAgent.get(before) === e.agentId) withAgent.delete(before);
        if (e.recordId) {
          const other = withAgent.get(e.recordId);
          if (other && other !== e.agentId) sharedRecords.push(`${e.recordId}: ${other} and ${e.agentId} at ${e.seq}`);
          withAgent.set(e.recordId, e.agentId);
        }
        if (e.state === 'offered' && e.recordId) offeredTo.set(e.recordId, (offeredTo.get(e.recordId) ?? new Set()).add(e.agentId));
        holding.set(e.agentId, e.recordId);
      }
      expect(doubleBooked).toEqual([]);
      expect(sharedRecords).toEqual([]);
      const notPushed = accepts.filter((a) => !offeredTo.get(a.recordId)?.has(a.actor.replace(/^agent:/, '')));
      expect(notPushed).toEqual([]);
      // What the agents did: refusals and offers that ran out happened, and each went to another agent.
      expect(log.filter((e) => e.state === 'away' && e.recordId === null).length).toBeGreaterThan(0);
      expect(tally['accept 200']).toBeGreaterThan(0);
      console.log(
        `[routing soak] ${RECORDS} records, ${AGENTS} agents, a worker killed; ${log.length} presence changes; ${JSON.stringify(tally)}`,
      );
    },
  );
});
