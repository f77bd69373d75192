// Starts a worker process's work: one Temporal connection, one pool, until asked to stop.
import { NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { temporalConnectionOptions, type Config } from '../config/index.js';
import type { Sql } from '../db/connect.js';
import { createSimulatedDialer } from '../activities/dialer.js';
import { createWorker } from './worker.js';

export interface RunningWorker {
  /** Resolves when the worker has stopped, after finishing its activities in progress. */
  done: Promise<void>;
  stop(): Promise<void>;
}

export async function startWorker(
  config: Config,
  sql: Sql,
  options: { address?: string; workflowBundle?: WorkerOptions['workflowBundle'] } = {},
): Promise<RunningWorker> {
  const connection = await NativeConnection.connect(temporalConnectionOptions(config, options.address));
  const worker = await createWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    sql,
    dialer: createSimulatedDialer({ sql, ringMs: config.DIALER_RING_MS }),
    workflowBundle: options.workflowBundle,
  });
  const done = worker.run().finally(() => connection.close());
  return {
    done,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
