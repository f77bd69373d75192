// The worker's start: from starting a worker process to its first workflow task done, with a
// record's workflow already waiting for it. Cold is how every start ran before the bundle was
// cached (it bundles the workflows); warm is a restart that finds the bundle in the cache.
import { mkdtemp, rm } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchEnvironment } from './environment.js';
import { startWorkerProcess } from './worker-process.js';
import { round, until } from './stats.js';

export interface RestartResult {
  /** Seconds to the first task done when the worker bundles the workflows at start (no cache). */
  coldSeconds: number;
  /** ... when it finds them in the cache (a restart). */
  warmSeconds: number;
  /** ... to "worker polling", for each. */
  coldPollingSeconds: number;
  warmPollingSeconds: number;
}

export async function runRestart(env: BenchEnvironment): Promise<RestartResult> {
  const taskQueue = `bench-restart-${randomUUID()}`;
  const other = await env.apiOn(taskQueue);
  const queue = await env.queue({ api: other.api });
  const cacheDir = await mkdtemp(join(tmpdir(), 'bench-bundles-'));
  try {
    const cold = await firstTask(env, other.api, queue, taskQueue, cacheDir);
    const warm = await firstTask(env, other.api, queue, taskQueue, cacheDir);
    return { coldSeconds: cold.task, warmSeconds: warm.task, coldPollingSeconds: cold.polling, warmPollingSeconds: warm.polling };
  } finally {
    await other.stop();
    await rm(cacheDir, { recursive: true, force: true });
  }
}

async function firstTask(env: BenchEnvironment, api: BenchEnvironment['api'], queue: string, taskQueue: string, cacheDir: string) {
  // The record's workflow is started (by the API) before any worker polls its task queue.
  const record = await api.post('/v1/callbacks', { phone: '+46701234567', queue, channel: 'api' });
  const handle = env.client.workflow.getHandle(record.id);
  const started = performance.now();
  const worker = startWorkerProcess(env, { taskQueue, bundleCacheDir: cacheDir });
  try {
    let polling = NaN;
    void worker.polling.then(() => (polling = (performance.now() - started) / 1000));
    const ran = await until(
      async () => {
        if (worker.child.exitCode !== null) throw new Error('the worker exited before its first task');
        const { events } = await handle.fetchHistory();
        return (events ?? []).some((e) => e.workflowTaskCompletedEventAttributes);
      },
      { everyMs: 100, timeoutMs: 300_000 },
    );
    if (!ran) throw new Error('no workflow task done within 5 minutes of the start of the worker');
    const task = (performance.now() - started) / 1000;
    await worker.polling;
    return { task: round(task, 2), polling: round(polling, 2) };
  } finally {
    await worker.stop();
  }
}
