// SIGTERM under load, to the API and to the worker, each running as its own process as in
// production: every request is answered (2xx, or 503 with Retry-After, which the client retries),
// a stopped process exits cleanly, and every record finishes with one dial.
// Serial: it needs the machine quiet enough that dials are in flight when the worker is stopped.
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { processEnv, startApiProcess, startWorkerProcess, type ServiceProcess } from '../support/processes.js';
import { eventually, http, keysForEveryRole, newQueue, testSql } from '../support/stack.js';
import { freePort } from '../../worker/metrics-server.js';

const RECORDS = 24;
const AGENTS = 4;
const sql = testSql();
const running: ServiceProcess[] = [];
let env: Record<string, string>;
let base: string;
let keys: Awaited<ReturnType<typeof keysForEveryRole>>;

const tally = { answered: 0, retriedAfter503: 0, refusedConnection: 0, lost: [] as string[] };

beforeAll(async () => {
  const port = await freePort();
  env = processEnv({
    PORT: String(port),
    DIALLER_RING_MS: '1500',
    RETRY_AFTER_SECONDS: '1',
    TEMPORAL_WAIT_MS: '5000',
    SHUTDOWN_DELAY_MS: '3000',
  });
  base = `http://127.0.0.1:${port}`;
  keys = await keysForEveryRole(sql);
  running.push(await startApiProcess(env), await startWorkerProcess(env));
});
afterAll(async () => {
  for (const p of running) p.child.kill('SIGKILL');
  await sql.end();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Answer {
  status: number;
  body: any;
}

/**
 * One request on a connection of its own (no keep-alive to race the server's close). A refused
 * connection reached no process: tried again. A 503 is tried again after its Retry-After. Anything
 * else that is not an answer (a connection cut after the request was sent) is a lost request.
 */
async function send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  for (;;) {
    const outcome = await new Promise<Answer | { error: NodeJS.ErrnoException }>((resolve) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        `${base}${path}`,
        {
          method,
          agent: false,
          headers: {
            authorization: `Bearer ${keys.admin}`,
            'x-actor': 'shutdown-test',
            ...(payload ? { 'content-type': 'application/json' } : {}),
            ...headers,
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => {
            if (res.statusCode === 503 && res.headers['retry-after'] !== '1') tally.lost.push(`${method} ${path}: 503 without Retry-After`);
            resolve({ status: res.statusCode!, body: text && res.headers['content-type']?.includes('json') ? JSON.parse(text) : text });
          });
          res.on('error', (error) => resolve({ error }));
        },
      );
      req.on('error', (error) => resolve({ error }));
      req.end(payload);
    });
    if ('error' in outcome) {
      // A connection the stopping process had not accepted yet is refused, or reset as it exits:
      // no answer came, and every request here is safe to send again (creations carry an
      // Idempotency-Key, /next gives back what the agent holds, feedback answers 409 when taken).
      if (outcome.error.code === 'ECONNREFUSED' || outcome.error.code === 'ECONNRESET') {
        tally.refusedConnection++;
        await sleep(200);
        continue;
      }
      tally.lost.push(`${method} ${path}: ${outcome.error.code ?? outcome.error.message}`);
      throw outcome.error;
    }
    tally.answered++;
    if (outcome.status === 503) {
      tally.retriedAfter503++;
      await sleep(1000);
      continue;
    }
    return outcome;
  }
}

it('loses no request and no record when the API and the worker are stopped with SIGTERM mid-load', async () => {
  const queue = await newQueue(http(base, { authorization: `Bearer ${keys.admin}`, 'x-actor': 'shutdown-test' }), {
    queue: { gateSize: 50 },
  });
  const ids: string[] = [];
  const done = new Set<string>();

  async function create(i: number) {
    const phone = `+4670${String(2_000_000 + Math.floor(Math.random() * 7_000_000))}`;
    const key = randomUUID();
    const created = await send('POST', '/v1/callbacks', { phone, queue, channel: 'api', comment: `load ${i}` }, { 'idempotency-key': key });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    ids.push(created.body.id);
  }

  /** An agent takes records until every one is done: next, wait for the call, feedback. */
  async function agent(agentId: string) {
    while (done.size < RECORDS) {
      const next = await send('POST', `/v1/queues/${queue}/next`, { agentId });
      if (next.status === 204) {
        await sleep(300);
        continue;
      }
      expect(next.status, JSON.stringify(next.body)).toBe(200);
      const id: string = next.body.id;
      let closedByUs = false;
      for (;;) {
        const record = (await send('GET', `/v1/callbacks/${id}`)).body;
        if (record.stage === 'connected') break;
        if (record.status === 'Closed') {
          // /next answers with the record the table says the agent holds: one whose feedback (answered
          // 503, retried) the record took only once a worker was back. Closed by this agent, completed.
          expect(record, JSON.stringify(record)).toMatchObject({ closeReason: 'completed', latestAgent: agentId });
          expect(done.has(id), `${id} closed before ${agentId} was done with it`).toBe(true);
          closedByUs = true;
          break;
        }
        await sleep(200);
      }
      if (closedByUs) continue;
      const feedback = await send('POST', `/v1/callbacks/${id}/feedback`, { agentId, outcome: 'completed' });
      // A feedback answered 503 may have reached the record all the same: its retry then finds it closed.
      if (feedback.status !== 200) expect(feedback.body.type, JSON.stringify(feedback.body)).toMatch(/record-closed|agent-not-on-call/);
      done.add(id);
    }
  }

  const creating = (async () => {
    for (let i = 0; i < RECORDS; i++) await create(i);
  })();
  const agents = Array.from({ length: AGENTS }, (_, i) => agent(`shutdown-agent-${i}`));

  // The API first, once a third of the records are in.
  await eventually(async () => (ids.length >= RECORDS / 3 ? true : undefined), 120_000, 'a third of the records');
  const [firstApi, firstWorker] = running as [ServiceProcess, ServiceProcess];
  firstApi.child.kill('SIGTERM');
  // Not ready at once (a load balancer stops sending here), while it still serves for SHUTDOWN_DELAY_MS.
  const readyz = await eventually(
    async () => {
      const res = await fetch(`${base}/readyz`);
      return res.status === 503 ? ((await res.json()) as { checks: Record<string, string> }) : undefined;
    },
    3000,
    '/readyz to answer 503',
  );
  expect(readyz.checks.accepting).toBe('shutting down');
  expect(await firstApi.exited).toBe(0);
  expect(firstApi.logLines().map((l) => l.msg)).toContain('api stopped');
  running.push(await startApiProcess(env));

  // Then the worker, while calls ring: its activities in progress finish or go back to Temporal.
  await eventually(
    async () => {
      const [ringing] = await sql`select 1 from simulated_calls c join callbacks r on r.id = c.record_id
        where r.queue = ${queue} and c.placed_at > now() - interval '1 second'`;
      return ringing ? true : undefined;
    },
    120_000,
    'a call ringing',
  );
  firstWorker.child.kill('SIGTERM');
  expect(await firstWorker.exited).toBe(0);
  expect(firstWorker.logLines().map((l) => l.msg)).toContain('worker stopped');
  running.push(await startWorkerProcess(env));

  await creating;
  await Promise.all(agents);

  expect(tally.lost).toEqual([]);
  const records = await sql<{ id: string; status: string; closeReason: string; attempts: number }[]>`
    select id, status, close_reason, attempts from callbacks where queue = ${queue}`;
  expect(records).toHaveLength(RECORDS);
  expect(new Set(records.map((r) => r.id))).toEqual(new Set(ids));
  for (const r of records) expect(r, r.id).toMatchObject({ status: 'Closed', closeReason: 'completed', attempts: 1 });
  const events = await sql<{ type: string; n: number }[]>`
    select type, count(*)::int as n from callback_events e join callbacks r on r.id = e.record_id
    where r.queue = ${queue} and type in ('dialling', 'dialled', 'closed') group by type order by type`;
  expect(events).toEqual([
    { type: 'closed', n: RECORDS },
    { type: 'dialled', n: RECORDS },
    { type: 'dialling', n: RECORDS },
  ]);
  const [calls] = await sql<{ n: number }[]>`
    select count(*)::int as n from simulated_calls c join callbacks r on r.id = c.record_id where r.queue = ${queue}`;
  expect(calls!.n).toBe(RECORDS);
  console.log(
    `shutdown under load: ${tally.answered} answers, ${tally.retriedAfter503} 503s retried, ${tally.refusedConnection} refused or reset connections retried`,
  );
});
