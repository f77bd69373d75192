// A worker in a process of its own, as `npm run worker` starts it from source: so that its start
// can be timed, and its resident memory read apart from the API's and the benchmark's.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { BenchEnvironment } from './environment.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface WorkerProcess {
  child: ChildProcess;
  /** Resolves when the worker logs that it polls. */
  polling: Promise<void>;
  /** Resident memory in MB, as the kernel counts it. */
  rssMb(): Promise<number>;
  stop(): Promise<void>;
}

export function startWorkerProcess(
  env: BenchEnvironment,
  { taskQueue, bundleCacheDir }: { taskQueue: string; bundleCacheDir?: string },
): WorkerProcess {
  const { config } = env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: env.temporalAddress,
      DATABASE_URL: config.DATABASE_URL!,
      PAYLOAD_KEYS: config.PAYLOAD_KEYS!,
      TEMPORAL_TASK_QUEUE: taskQueue,
      DIALLER_RING_MS: '0',
      WORKER_METRICS_PORT: '0',
      // Its sweeps would start the records other parts' workflows left unstarted: not this worker's job here.
      RECORD_SWEEP_MS: '3600000',
      SERVICE_LOG_LEVEL: 'info',
      LOG_LEVEL: 'WARN',
      ...(bundleCacheDir ? { WORKFLOW_BUNDLE_CACHE_DIR: bundleCacheDir } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const polling = new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out = (out + d.toString()).slice(-10_000);
      if (out.includes('"worker polling"')) resolve();
    });
    void exited.then((code) => reject(new Error(`the worker exited (${code}) before it polled: ${stderr}`)));
  });
  polling.catch(() => {});
  return {
    child,
    polling,
    async rssMb() {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
