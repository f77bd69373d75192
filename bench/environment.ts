// What every part of the benchmark runs against: one Temporal dev server, the database (embedded,
// or DATABASE_URL), the service's worker and API in this process, and a worker of bare workflows
// (the baseline) on the same server, with the same payload encryption.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { loadConfig, temporalDataConverterOf, type Config } from '../config/index.js';
import { newPayloadKey } from '../config/payload-codec.js';
import { createApiKey } from '../db/api-keys.js';
import { connect, type Sql } from '../db/connect.js';
import { migrate } from '../db/migrate.js';
import { startApi } from '../api/server.js';
import { startWorker } from '../worker/run.js';
import { installRuntime } from '../worker/runtime.js';
import { freePort } from '../worker/metrics-server.js';
import { configureLogger } from '../telemetry/log.js';
import { startEmbeddedPostgres } from '../dev/embedded-postgres.js';
import { startTemporalDevServer } from '../dev/temporal-dev-server.js';

export interface Http {
  url: string;
  post(path: string, body: unknown): Promise<any>;
  get(path: string): Promise<any>;
}

/** Open every hour of every day: the bench must not wait for opening hours. */
const OPEN_ALL_WEEK = Object.fromEntries(
  ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map((day) => [day, [{ from: '00:00', to: '24:00' }]]),
);

export interface BenchEnvironment {
  config: Config;
  sql: Sql;
  /** 'embedded PostgreSQL' or 'DATABASE_URL (host)'. */
  database: string;
  temporalAddress: string;
  /** The admin key every API here takes. */
  key: string;
  api: Http;
  client: Client;
  /** The bare workflows' task queue. */
  bareQueue: string;
  /** The SDK's Prometheus exporter of this process (the in-process worker and the bare one). */
  sdkMetricsUrl: string;
  /** An API of its own on another task queue (a part with a worker in another process). */
  apiOn(taskQueue: string): Promise<{ api: Http; stop(): Promise<void> }>;
  /** A new area (duplicates allowed) with one queue that lets `gateSize` records in at once. */
  queue(options?: { gateSize?: number; area?: string; api?: Http }): Promise<string>;
  stop(): Promise<void>;
}

export async function startEnvironment(): Promise<BenchEnvironment> {
  const metricsAddress = `127.0.0.1:${await freePort()}`;
  installRuntime('WARN', { metricsAddress });
  const temporalEnv = await startTemporalDevServer({});
  // The embedded server loads pg_stat_statements, so that the profile can say where the database time goes.
  const pg = process.env.DATABASE_URL ? null : await startEmbeddedPostgres({ settings: ['shared_preload_libraries=pg_stat_statements'] });
  const config = loadConfig({
    ...process.env,
    TEMPORAL_ADDRESS: temporalEnv.address,
    DATABASE_URL: process.env.DATABASE_URL ?? pg!.url,
    TEMPORAL_TASK_QUEUE: `bench-${randomUUID()}`,
    HOST: '127.0.0.1',
    PORT: '0',
    DIALLER_RING_MS: '0',
    RATE_LIMIT_PER_MINUTE: '1000000',
    // The sweep for unstarted records would "start" (find running) the records of the parts whose
    // worker runs in another process and lags behind, again and again: not what is measured here.
    RECORD_SWEEP_MS: '3600000',
    PAYLOAD_KEYS: process.env.PAYLOAD_KEYS ?? newPayloadKey('bench'),
    SERVICE_LOG_LEVEL: process.env.SERVICE_LOG_LEVEL ?? 'warn',
  });
  configureLogger(config.SERVICE_LOG_LEVEL);
  // The baseline encrypts its payloads too, so that the ratios measure the service, not the codec.
  const dataConverter = temporalDataConverterOf(config);
  const sql = connect({ url: config.DATABASE_URL!, max: 10 });
  await migrate(sql);
  const worker = await startWorker(config, sql);
  const mainApi = await startApi(config, sql);
  const { key } = await createApiKey(sql, { name: `bench-${randomUUID().slice(0, 8)}`, role: 'admin', createdBy: 'bench' });
  const connection = await Connection.connect({ address: temporalEnv.address });
  const client = new Client({ connection, dataConverter });

  const bareQueue = `bench-bare-${randomUUID()}`;
  const bareWorker = await Worker.create({
    connection: await NativeConnection.connect({ address: temporalEnv.address }),
    taskQueue: bareQueue,
    dataConverter,
    workflowsPath: fileURLToPath(new URL('./baseline-workflows.ts', import.meta.url)),
    activities: { noop: async (n: number) => n },
  });
  const bareRun = bareWorker.run();
  const api = http(mainApi.url, key);
  const extraApis: { stop(): Promise<void> }[] = [];
  const queues: string[] = [];

  return {
    config,
    sql,
    database: pg ? 'embedded PostgreSQL' : `DATABASE_URL (${new URL(config.DATABASE_URL!).host})`,
    temporalAddress: temporalEnv.address,
    key,
    api,
    client,
    bareQueue,
    sdkMetricsUrl: `http://${metricsAddress}/metrics`,
    async apiOn(taskQueue) {
      const other = await startApi({ ...config, TEMPORAL_TASK_QUEUE: taskQueue }, sql);
      extraApis.push(other);
      return {
        api: http(other.url, key),
        async stop() {
          extraApis.splice(extraApis.indexOf(other), 1);
          await other.stop();
        },
      };
    },
    async queue({ gateSize = 10_000, area, api: via = api } = {}) {
      const name = `bench-${randomUUID().slice(0, 8)}`;
      const orgArea = area ?? name;
      if (!area) await via.post('/v1/org-areas', { id: orgArea, name: orgArea, duplicatePolicy: 'allow' });
      await via.post('/v1/queues', { name, orgArea, timeZone: 'UTC', openingHours: OPEN_ALL_WEEK, gateSize });
      queues.push(name);
      return name;
    },
    async stop() {
      bareWorker.shutdown();
      await bareRun;
      await Promise.allSettled(extraApis.map((a) => a.stop()));
      await mainApi.stop();
      await worker.stop();
      // The run's records go (their workflows die with the dev server), so that the next run on
      // the same database measures against the same tables; BENCH_KEEP_ROWS=1 keeps them.
      if (process.env.BENCH_KEEP_ROWS !== '1') {
        await sql`delete from simulated_calls where record_id in (select id from callbacks where queue = any(${queues}))`;
        await sql`delete from callbacks where queue = any(${queues})`;
      }
      await connection.close();
      await sql.end({ timeout: 5 });
      await pg?.stop();
      await temporalEnv.teardown();
    },
  };
}

export function http(url: string, key: string): Http {
  async function send(method: string, path: string, body?: unknown) {
    const res = await fetch(url + path, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  }
  return { url, post: (path, body) => send('POST', path, body), get: (path) => send('GET', path) };
}

/** A Swedish mobile number of its own for record `i` (searches by phone find few records). */
export const phoneOf = (i: number) => `+4670${String(1_000_000 + (i % 9_000_000)).padStart(7, '0')}`;
