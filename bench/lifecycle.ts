// `npm run bench`: callbacks created per second through the API, and full lifecycles per second,
// each next to a baseline of bare workflows on the same Temporal server in the same run.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { loadConfig, temporalDataConverterOf } from '../config/index.js';
import { newPayloadKey } from '../config/payload-codec.js';
import { createApiKey } from '../db/api-keys.js';
import { connect } from '../db/connect.js';
import { migrate } from '../db/migrate.js';
import { startApi } from '../api/server.js';
import { startWorker } from '../worker/run.js';
import { installRuntime } from '../worker/runtime.js';
import { startEmbeddedPostgres } from '../dev/embedded-postgres.js';
import { startTemporalDevServer } from '../dev/temporal-dev-server.js';
import { acceptBare, finishBare } from './baseline-workflows.js';

const N = Number(process.env.BENCH_N ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);

installRuntime('WARN');
const temporalEnv = await startTemporalDevServer({});
const pg = process.env.DATABASE_URL ? null : await startEmbeddedPostgres({});
const config = loadConfig({
  ...process.env,
  TEMPORAL_ADDRESS: temporalEnv.address,
  DATABASE_URL: process.env.DATABASE_URL ?? pg!.url,
  TEMPORAL_TASK_QUEUE: `bench-${randomUUID()}`,
  HOST: '127.0.0.1',
  PORT: '0',
  DIALLER_RING_MS: '0',
  RATE_LIMIT_PER_MINUTE: '1000000',
  PAYLOAD_KEYS: process.env.PAYLOAD_KEYS ?? newPayloadKey('bench'),
});
// The baseline encrypts its payloads too, so that the ratios measure the service, not the codec.
const dataConverter = temporalDataConverterOf(config);
const sql = connect({ url: config.DATABASE_URL!, max: 10 });
await migrate(sql);
const worker = await startWorker(config, sql);
const api = await startApi(config, sql);
const { key } = await createApiKey(sql, { name: `bench-${randomUUID().slice(0, 8)}`, role: 'admin', createdBy: 'bench' });
const connection = await Connection.connect({ address: temporalEnv.address });
const client = new Client({ connection, dataConverter });

const baselineQueue = `bench-bare-${randomUUID()}`;
const bareWorker = await Worker.create({
  connection: await NativeConnection.connect({ address: temporalEnv.address }),
  taskQueue: baselineQueue,
  dataConverter,
  workflowsPath: fileURLToPath(new URL('./baseline-workflows.ts', import.meta.url)),
  activities: { noop: async (n: number) => n },
});
const bareRun = bareWorker.run();

async function post(path: string, body: unknown): Promise<any> {
  const res = await fetch(api.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Runs `task(i)` for i < n with `concurrency` in flight; returns the elapsed seconds. */
async function pool(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await task(next++);
    }),
  );
  return (performance.now() - started) / 1000;
}

async function timed(latencies: number[], fn: () => Promise<unknown>) {
  const t = performance.now();
  const value = await fn();
  latencies.push(performance.now() - t);
  return value;
}

const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

async function until(check: () => Promise<boolean>) {
  while (!(await check())) await new Promise((r) => setTimeout(r, 20));
}

async function stage(id: string): Promise<string | undefined> {
  const [row] = await sql<{ stage: string }[]>`select stage from callbacks where id = ${id}`;
  return row?.stage;
}

/** Open every hour of every day: the bench must not wait for opening hours. */
const OPEN_ALL_WEEK = Object.fromEntries(
  ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map((day) => [day, [{ from: '00:00', to: '24:00' }]]),
);

/** A queue of its own, open all week, in an area that allows duplicates (one number serves every request), with room for all. */
async function benchQueue(): Promise<string> {
  const name = `bench-${randomUUID().slice(0, 8)}`;
  await post('/v1/org-areas', { id: name, name, duplicatePolicy: 'allow' });
  await post('/v1/queues', { name, orgArea: name, timeZone: 'UTC', openingHours: OPEN_ALL_WEEK, gateSize: 10_000 });
  return name;
}

// Creations: through the API (admission + row + workflow start in one transaction) vs bare workflow starts.
const queue = await benchQueue();
const createLatency: number[] = [];
const createSecs = await pool(N, CONCURRENCY, async (i) => {
  await timed(createLatency, () =>
    post('/v1/callbacks', {
      phone: '+46701234567',
      queue,
      channel: 'api',
      requestedAt: new Date(Date.now() + 86_400_000).toISOString(),
      contactData: { i: String(i) },
    }),
  );
});
const bareStartSecs = await pool(N, CONCURRENCY, async () => {
  await client.workflow.start('bareStart', { taskQueue: baselineQueue, workflowId: randomUUID() });
});

// Lifecycles: create ASAP, accept, dial (answers at once), feedback completed, closed.
const lifeQueue = await benchQueue();
const acceptLatency: number[] = [];
let activitiesPerLifecycle = 0;
const lifeSecs = await pool(N, CONCURRENCY, async (i) => {
  // One agent per lifecycle: an agent holds one record at a time.
  const agentId = `bench-${i}`;
  const record = await post('/v1/callbacks', { phone: '+46701234567', queue: lifeQueue, channel: 'api' });
  await until(async () => (await stage(record.id)) === 'offered');
  await timed(acceptLatency, () => post(`/v1/callbacks/${record.id}/accept`, { agentId }));
  await until(async () => (await stage(record.id)) === 'connected');
  await post(`/v1/callbacks/${record.id}/feedback`, { agentId, outcome: 'completed' });
  await client.workflow.getHandle(record.id).result();
  if (!activitiesPerLifecycle) {
    const { events } = await client.workflow.getHandle(record.id).fetchHistory();
    activitiesPerLifecycle = (events ?? []).filter((e) => e.activityTaskScheduledEventAttributes).length;
  }
});
const bareLifeSecs = await pool(N, CONCURRENCY, async () => {
  const handle = await client.workflow.start('bareLifecycle', {
    taskQueue: baselineQueue,
    workflowId: randomUUID(),
    args: [activitiesPerLifecycle],
  });
  await handle.executeUpdate(acceptBare, { args: ['bench'] });
  await handle.executeUpdate(finishBare, { args: ['bench'] });
  await handle.result();
});

const rate = (secs: number) => N / secs;
const row = (name: string, ours: number, bare: number) =>
  `${name.padEnd(24)} ${ours.toFixed(1).padStart(8)}/s   baseline ${bare.toFixed(1).padStart(8)}/s   ratio ${(ours / bare).toFixed(2)}`;
console.log(`
callback-service benchmark: N=${N}, concurrency=${CONCURRENCY}, database=${pg ? 'embedded PostgreSQL' : 'DATABASE_URL'}
${row('creations', rate(createSecs), rate(bareStartSecs))}
${row('full lifecycles', rate(lifeSecs), rate(bareLifeSecs))}
  (baseline lifecycle: 1 start, 2 updates, ${activitiesPerLifecycle} activities, as one callback lifecycle ran)
create latency  p50 ${percentile(createLatency, 50).toFixed(1)} ms   p99 ${percentile(createLatency, 99).toFixed(1)} ms
accept latency  p50 ${percentile(acceptLatency, 50).toFixed(1)} ms   p99 ${percentile(acceptLatency, 99).toFixed(1)} ms
`);

bareWorker.shutdown();
await bareRun;
await api.stop();
await worker.stop();
await connection.close();
await sql.end();
await pg?.stop();
await temporalEnv.teardown();
