// A backlog: many pending records, due over the next 30 days, as a centre that books ahead holds.
// Does creation slow down as the backlog grows, does the worker's memory grow with sleeping
// records, do the search and the queue status stay fast, and do the sweeps use indexes. The
// worker runs in a process of its own (its memory is its own), on a task queue of its own.
import { randomUUID } from 'node:crypto';
import type { BenchEnvironment } from './environment.js';
import { phoneOf } from './environment.js';
import { explainSweeps, type Plan } from './explain.js';
import { latency, pool, round, sleep, timed, until, type Latency } from './stats.js';
import { startWorkerProcess } from './worker-process.js';

export interface BacklogResult {
  records: number;
  queues: number;
  /** Creations per second over the first and the last `window` records. */
  window: number;
  creationsPerSecondAtStart: number;
  creationsPerSecondAtEnd: number;
  /** End over start (issue 17 asks for at least 0.9). */
  endToStartRatio: number;
  workerRssMb: { idle: number; peak: number; end: number };
  /** Seconds after the last creation until every record's workflow had written its first copy. */
  settledSeconds: number;
  searchMs: Latency;
  queueStatusMs: Latency;
  plans: Plan[];
}

const DAY_MS = 86_400_000;

export async function runBacklog(
  env: BenchEnvironment,
  { records, queues: queueCount }: { records: number; queues: number },
): Promise<BacklogResult> {
  const taskQueue = `bench-backlog-${randomUUID()}`;
  const worker = startWorkerProcess(env, {
    taskQueue,
    ...(env.config.WORKFLOW_BUNDLE_CACHE_DIR ? { bundleCacheDir: env.config.WORKFLOW_BUNDLE_CACHE_DIR } : {}),
  });
  const other = await env.apiOn(taskQueue);
  try {
    await worker.polling;
    const area = `bench-backlog-${Date.now()}`;
    await other.api.post('/v1/org-areas', { id: area, name: area, duplicatePolicy: 'allow' });
    const queues: string[] = [];
    for (let q = 0; q < queueCount; q++) queues.push(await env.queue({ area, api: other.api }));
    await sleep(2000);
    const idle = await worker.rssMb();
    let peak = idle;
    const sampling = setInterval(() => {
      void worker.rssMb().then(
        (mb) => (peak = Math.max(peak, mb)),
        () => {},
      );
    }, 1000);

    const done: number[] = new Array(records);
    const now = Date.now();
    await pool(records, 20, async (i) => {
      await other.api.post('/v1/callbacks', {
        phone: phoneOf(i),
        queue: queues[i % queueCount],
        channel: 'api',
        // From an hour ahead to 30 days ahead: none comes due while the benchmark runs.
        requestedAt: new Date(now + 3_600_000 + Math.floor((((i * 7919) % records) / records) * 30 * DAY_MS)).toISOString(),
      });
      done[i] = performance.now();
    });
    // Until every workflow has written its first copy and gone to sleep (the worker may lag the API).
    const settling = performance.now();
    await until(
      async () => {
        const [row] = await env.sql<{ n: number }[]>`select count(*)::int as n from callbacks where queue = any(${queues}) and version = 1`;
        return row!.n === 0;
      },
      { everyMs: 1000, timeoutMs: 600_000 },
    );
    const settledSeconds = round((performance.now() - settling) / 1000);
    await sleep(2000);
    clearInterval(sampling);
    const end = await worker.rssMb();
    peak = Math.max(peak, end);

    const window = Math.max(2, Math.min(1000, Math.floor(records / 10)));
    const finished = [...done].sort((a, b) => a - b);
    const rateOver = (from: number) => (window - 1) / ((finished[from + window - 1]! - finished[from]!) / 1000);
    const atStart = rateOver(0);
    const atEnd = rateOver(records - window);

    const search: number[] = [];
    const status: number[] = [];
    await pool(100, 1, async (i) => {
      const queue = queues[i % queueCount]!;
      await timed(search, () =>
        other.api.get(
          i % 2 ? `/v1/callbacks?queue=${queue}&status=Open` : `/v1/callbacks?phone=${encodeURIComponent(phoneOf((i * 37) % records))}`,
        ),
      );
      await timed(status, () => other.api.get(`/v1/queues/${queue}/status`));
    });
    const plans = await explainSweeps(env, queues[0]!);

    return {
      records,
      queues: queueCount,
      window,
      creationsPerSecondAtStart: round(atStart),
      creationsPerSecondAtEnd: round(atEnd),
      endToStartRatio: round(atEnd / atStart, 2),
      workerRssMb: { idle: round(idle, 0), peak: round(peak, 0), end: round(end, 0) },
      settledSeconds,
      searchMs: latency(search),
      queueStatusMs: latency(status),
      plans,
    };
  } finally {
    await other.stop();
    await worker.stop();
  }
}
