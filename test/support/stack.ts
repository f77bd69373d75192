// The whole system in the test process: a worker and the API on their own task queue, against
// the shared Temporal server and database, driven over HTTP like a client would.
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../../config/index.js';
import { createApiKey } from '../../db/api-keys.js';
import { connect, type Sql } from '../../db/connect.js';
import { ROLES, type Role } from '../../domain/roles.js';
import { startApi } from '../../api/server.js';
import { startWorker, type RunningWorker } from '../../worker/run.js';
import { installRuntime } from '../../worker/runtime.js';
import { configureLogger, type LogLevel } from '../../telemetry/log.js';
import { TEST_PAYLOAD_KEYS } from './payload-keys.js';

export { TEST_PAYLOAD_KEYS };

export interface Stack {
  config: Config;
  sql: Sql;
  /** A client with the admin key, acting as `tester` (X-Actor). */
  api: Http;
  /** A key of each role, made for this stack. */
  keys: Record<Role, string>;
  /** A client with the given role's key. */
  as(role: Role, headers?: Record<string, string>): Http;
  /** How the default client appears in the audit log: `<admin key's name>/tester`. */
  actor: string;
  apiUrl: string;
  worker: RunningWorker | null;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Another Temporal server than the shared dev server (the time-skipping one). */
  temporalAddress?: string;
  ringMs?: number;
  /** Start no worker here (a test runs its own, in another process). */
  withoutWorker?: boolean;
  /** Sweep for unstarted records this often (off otherwise). */
  sweepMs?: number;
  /** Further configuration, as environment variables. */
  env?: Record<string, string>;
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    DATABASE_URL: inject('databaseUrl'),
    TEMPORAL_TASK_QUEUE: `test-${randomUUID()}`,
    HOST: '127.0.0.1',
    PORT: '0',
    DIALLER_RING_MS: '100',
    // Stacks share the database but not their Temporal server or task queue: only a test that
    // needs the sweep turns it on, and it never touches a record younger than 30 s.
    RECORD_SWEEP_MS: '3600000',
    RECORD_START_GRACE_MS: '30000',
    // Every test client is 127.0.0.1: only the test of rate limits limits them.
    RATE_LIMIT_PER_MINUTE: '1000000',
    // Every stack's worker delivers every subscription's webhooks: retries stay short in tests.
    WEBHOOK_POLL_MS: '100',
    WEBHOOK_RETRY_BASE_MS: '200',
    WEBHOOK_RETRY_MAX_MS: '1000',
    // Test receivers listen on this machine, which webhooks may not reach without leave.
    WEBHOOK_ALLOWED_PRIVATE_HOSTS: '127.0.0.1,::1,localhost',
    PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
    ...overrides,
  });
}

export function testSql(): Sql {
  return connect({ url: inject('databaseUrl'), max: 5 });
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const config = testConfig({
    ...(options.temporalAddress ? { TEMPORAL_ADDRESS: options.temporalAddress } : {}),
    ...(options.ringMs !== undefined ? { DIALLER_RING_MS: String(options.ringMs) } : {}),
    ...(options.sweepMs !== undefined ? { RECORD_SWEEP_MS: String(options.sweepMs) } : {}),
    ...options.env,
  });
  const sql = testSql();
  const worker = options.withoutWorker
    ? null
    : await startWorker(config, sql, { workflowBundle: { codePath: inject('workflowBundlePath') } });
  const api = await startApi(config, sql);
  const keys = await keysForEveryRole(sql);
  const admin = `admin-${keys.suffix}`;
  return {
    config,
    sql,
    api: http(api.url, { authorization: `Bearer ${keys.admin}`, 'x-actor': 'tester' }),
    keys: keys.byRole,
    as: (role, headers = {}) => http(api.url, { authorization: `Bearer ${keys.byRole[role]}`, ...headers }),
    actor: `${admin}/tester`,
    apiUrl: api.url,
    worker,
    async stop() {
      await api.stop();
      await worker?.stop();
      await sql.end({ timeout: 5 });
    },
  };
}

export interface Reply<T = any> {
  status: number;
  type: string | null;
  /** Parsed when the response is JSON, the text otherwise (CSV). */
  body: T;
  headers: Headers;
}

export type Http = ReturnType<typeof http>;

/** Keys named `<role>-<suffix>`, one of each role. */
export async function keysForEveryRole(sql: Sql) {
  const suffix = randomUUID().slice(0, 8);
  const made = await Promise.all(ROLES.map((role) => createApiKey(sql, { name: `${role}-${suffix}`, role, createdBy: 'tests' })));
  const byRole = Object.fromEntries(made.map((k) => [k.role, k.key])) as Record<Role, string>;
  return { suffix, byRole, admin: byRole.admin };
}

/** Sends `defaultHeaders` (a key, and X-Actor for the audit log) unless a test overrides a header. */
export function http(base: string, defaultHeaders: Record<string, string> = {}) {
  async function send<T>(
    method: string,
    path: string,
    body?: unknown,
    raw?: string,
    headers: Record<string, string> = {},
  ): Promise<Reply<T>> {
    const all: Record<string, string> = { ...defaultHeaders, ...headers };
    if (body !== undefined || raw !== undefined) all['content-type'] ??= 'application/json';
    for (const [k, v] of Object.entries(all)) if (v === '') delete all[k];
    const res = await fetch(base + path, {
      method,
      headers: all,
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const text = await res.text();
    const type = res.headers.get('content-type');
    const json = type?.includes('json') ?? false;
    return { status: res.status, type, body: text && json ? JSON.parse(text) : text || null, headers: res.headers } as Reply<T>;
  }
  return {
    /** A header given as '' is left out (to test its absence). */
    get: <T = any>(path: string, headers?: Record<string, string>) => send<T>('GET', path, undefined, undefined, headers),
    post: <T = any>(path: string, body?: unknown, headers?: Record<string, string>) => send<T>('POST', path, body, undefined, headers),
    put: <T = any>(path: string, body?: unknown, headers?: Record<string, string>) => send<T>('PUT', path, body, undefined, headers),
    patch: <T = any>(path: string, body?: unknown, headers?: Record<string, string>) => send<T>('PATCH', path, body, undefined, headers),
    delete: <T = any>(path: string, headers?: Record<string, string>) => send<T>('DELETE', path, undefined, undefined, headers),
    postRaw: <T = any>(path: string, raw: string) => send<T>('POST', path, undefined, raw),
  };
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const uniqueName = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

export interface QueueSetup {
  /** The new area's settings; tests allow duplicates unless they test them. */
  area?: { maxActiveRecords?: number | null; duplicatePolicy?: string };
  queue?: Record<string, unknown>;
}

/** Open every hour of every day: queues of tests that do not test business hours never hold a record back. */
export const OPEN_ALL_WEEK = Object.fromEntries(
  ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map((day) => [day, [{ from: '00:00', to: '24:00' }]]),
);

/** A fresh organisation area with one queue, open all week unless told, so that no test sees another's records. */
export async function newQueue(api: Http, { area = {}, queue = {} }: QueueSetup = {}): Promise<string> {
  const areaId = uniqueName('area');
  const a = await api.post('/v1/org-areas', { id: areaId, name: areaId, duplicatePolicy: 'allow', ...area });
  if (a.status !== 201) throw new Error(`could not create area: ${JSON.stringify(a.body)}`);
  const name = uniqueName('q');
  const q = await api.post('/v1/queues', {
    name,
    orgArea: areaId,
    timeZone: 'Europe/Stockholm',
    openingHours: OPEN_ALL_WEEK,
    ...queue,
  });
  if (q.status !== 201) throw new Error(`could not create queue: ${JSON.stringify(q.body)}`);
  return name;
}

/** Waits until the record's stored copy satisfies `pred`, and returns it. */
export function recordWhen(api: Http, id: string, pred: (r: any) => boolean, timeoutMs?: number) {
  return eventually(
    async () => {
      const r = await api.get(`/v1/callbacks/${id}`);
      return r.status === 200 && pred(r.body) ? r.body : undefined;
    },
    timeoutMs,
    `record ${id}`,
  );
}

// Tests read answers, not logs: the in-process API and worker log errors only (SERVICE_LOG_LEVEL to see more).
configureLogger((process.env.SERVICE_LOG_LEVEL as LogLevel | undefined) ?? 'error');
installRuntime('WARN');
