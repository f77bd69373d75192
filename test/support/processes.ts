// The API and the worker as separate OS processes, as production runs them (`tsx api/main.ts`,
// `tsx worker/main.ts`), against the tests' Temporal server and database, with their JSON log
// lines captured for the test to read.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { TEST_PAYLOAD_KEYS } from './payload-keys.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface ServiceProcess {
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr, line by line. */
  output: string[];
  /** Its stdout lines that are JSON (its log). */
  logLines(): Record<string, any>[];
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>;
  /** Resolves with the first log line that `match` accepts. */
  waitForLine(match: (line: Record<string, any>) => boolean, timeoutMs?: number): Promise<Record<string, any>>;
}

/** What every process of one test shares: the Temporal server, the database, a task queue of its own. */
export function processEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    DATABASE_URL: inject('databaseUrl'),
    PAYLOAD_KEYS: TEST_PAYLOAD_KEYS,
    DATABASE_POOL_MAX: '4',
    TEMPORAL_TASK_QUEUE: `test-${randomUUID()}`,
    HOST: '127.0.0.1',
    PORT: '0',
    WORKER_METRICS_PORT: '0',
    DIALLER_RING_MS: '200',
    RATE_LIMIT_PER_MINUTE: '1000000',
    RECORD_SWEEP_MS: '3600000',
    RECORD_START_GRACE_MS: '30000',
    WEBHOOK_POLL_MS: '200',
    ...overrides,
  };
}

function start(entry: string, env: Record<string, string>): ServiceProcess {
  const { SERVICE_LOG_LEVEL: _, LOG_LEVEL: __, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: root,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const waiters: { match: (l: Record<string, any>) => boolean; resolve: (l: Record<string, any>) => void }[] = [];
  const parse = (line: string) => {
    try {
      const parsed: unknown = JSON.parse(line);
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, any>) : null;
    } catch {
      return null;
    }
  };
  for (const stream of [child.stdout!, child.stderr!]) {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop()!;
      for (const line of lines) {
        output.push(line);
        const json = parse(line);
        if (!json) continue;
        for (const w of [...waiters]) {
          if (w.match(json)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(json);
          }
        }
      }
    });
  }
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  return {
    child,
    output,
    logLines: () => output.map(parse).filter((l): l is Record<string, any> => l !== null),
    exited,
    waitForLine(match, timeoutMs = 120_000) {
      const seen = output.map(parse).find((l) => l && match(l));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${entry}: no such log line within ${timeoutMs} ms:\n${output.slice(-20).join('\n')}`)),
          timeoutMs,
        );
        waiters.push({
          match,
          resolve: (l) => {
            clearTimeout(timer);
            resolve(l);
          },
        });
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`${entry} exited (${code}) before the log line:\n${output.slice(-20).join('\n')}`));
        });
      });
    },
  };
}

/** Starts `api/main.ts`; resolves once it listens, with its URL. */
export async function startApiProcess(env: Record<string, string>): Promise<ServiceProcess & { url: string }> {
  const p = start('api/main.ts', env);
  const line = await p.waitForLine((l) => l.msg === 'api listening');
  return Object.assign(p, { url: String(line.url) });
}

/** Starts `worker/main.ts`; resolves once it polls, with its operations listener's URL. */
export async function startWorkerProcess(env: Record<string, string>): Promise<ServiceProcess & { metricsUrl: string }> {
  const p = start('worker/main.ts', env);
  const line = await p.waitForLine((l) => l.msg === 'worker polling');
  return Object.assign(p, { metricsUrl: String(line.metrics) });
}

/** Metric names a Prometheus text exposition holds: its samples' names, and each family's series names. */
export function exportedMetricNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)/.exec(line);
    if (type) {
      const [, name, kind] = type as unknown as [string, string, string];
      names.add(name);
      if (kind === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(name + s);
      if (kind === 'summary') for (const s of ['_sum', '_count']) names.add(name + s);
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]/.exec(line);
    if (sample) names.add(sample[1]!);
  }
  return names;
}

/** The value of the sample with these labels (0 when absent). */
export function sampleValue(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}
