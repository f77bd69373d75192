// Starts a worker process's work: one Temporal connection, one pool, until asked to stop.
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { temporalConnectionOptions, type Config } from '../config/index.js';
import type { Sql } from '../db/connect.js';
import { createSimulatedDialer } from '../activities/dialer.js';
import { sweepMissedRecords } from './record-starts.js';
import { deliverWebhooks } from './webhook-delivery.js';
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
  // Activities talk to Temporal too: the queue gates are started and signalled from them.
  const clientConnection = await Connection.connect(temporalConnectionOptions(config, options.address));
  const temporal = new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE });
  const worker = await createWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    temporal,
    sql,
    dialer: createSimulatedDialer({ sql, ringMs: config.DIALER_RING_MS }),
    workflowBundle: options.workflowBundle,
  });
  const stopSweeping = sweepMissedRecords(sql, temporal, config.TEMPORAL_TASK_QUEUE, {
    everyMs: config.RECORD_SWEEP_MS,
    graceMs: config.RECORD_START_GRACE_MS,
    auditRetentionDays: config.AUDIT_RETENTION_DAYS,
  });
  const stopDelivering = deliverWebhooks(sql, {
    pollMs: config.WEBHOOK_POLL_MS,
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    retry: { baseMs: config.WEBHOOK_RETRY_BASE_MS, maxMs: config.WEBHOOK_RETRY_MAX_MS, giveUpMs: config.WEBHOOK_GIVE_UP_HOURS * 3_600_000 },
    retentionDays: config.WEBHOOK_LOG_RETENTION_DAYS,
    targets: { allowedPrivateHosts: config.WEBHOOK_ALLOWED_PRIVATE_HOSTS },
  });
  const done = worker
    .run()
    .finally(() => Promise.all([stopSweeping(), stopDelivering()]))
    .finally(() => Promise.all([connection.close(), clientConnection.close()]));
  return {
    done,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
