// Starts a worker process's work: the Temporal worker that runs the workflows and their activities,
// the sweeps, and the webhook deliveries, on one Temporal connection and one pool, until asked to stop.
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { temporalConnectionOptions, type Config } from '../config/index.js';
import type { Sql } from '../db/connect.js';
import { createActivities } from '../activities/index.js';
import { createSimulatedDialler } from '../activities/dialler.js';
import { sweepRetention } from './retention.js';
import { sweepUnstartedRecords } from './unstarted-records.js';
import { deliverWebhooks } from './webhook-delivery.js';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export interface RunningWorker {
  /** Resolves when the worker has stopped, after finishing its activities in progress. */
  done: Promise<void>;
  stop(): Promise<void>;
}

export async function startWorker(
  config: Config,
  sql: Sql,
  /** `workflowBundle`: a prebuilt bundle (tests build it once); otherwise the worker bundles at start. */
  options: { address?: string; workflowBundle?: WorkerOptions['workflowBundle'] } = {},
): Promise<RunningWorker> {
  const taskQueue = config.TEMPORAL_TASK_QUEUE;
  const connection = await NativeConnection.connect(temporalConnectionOptions(config, options.address));
  // Activities talk to Temporal too: the queue gates are started and signalled from them.
  const clientConnection = await Connection.connect(temporalConnectionOptions(config, options.address));
  const temporal = new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE });
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue,
    activities: createActivities({
      sql,
      temporal,
      taskQueue,
      dialler: createSimulatedDialler({ sql, ringMs: config.DIALLER_RING_MS }),
    }),
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    // Let a dial in progress finish when the worker is asked to stop.
    shutdownGraceTime: '30 seconds',
  });
  const stopStarting = sweepUnstartedRecords(sql, temporal, taskQueue, {
    everyMs: config.RECORD_SWEEP_MS,
    graceMs: config.RECORD_START_GRACE_MS,
  });
  const stopForgetting = sweepRetention(sql, {
    everyMs: config.RECORD_SWEEP_MS,
    auditRetentionDays: config.AUDIT_RETENTION_DAYS,
    sessionIdleSeconds: config.SESSION_IDLE_SECONDS,
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
    .finally(() => Promise.all([stopStarting(), stopForgetting(), stopDelivering()]))
    .finally(() => Promise.all([connection.close(), clientConnection.close()]));
  return {
    done,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
