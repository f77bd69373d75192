// Starts a worker process's work: the Temporal worker that runs the workflows and their activities,
// the sweeps, and the webhook deliveries, on one Temporal connection and one pool, until asked to stop.
import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { temporalConnectionOptions, temporalDataConverterOf, type Config } from '../config/index.js';
import type { Sql } from '../db/connect.js';
import { createActivities } from '../activities/index.js';
import { createSimulatedDialler } from '../activities/dialler.js';
import { guardsFromConfig, telephonyFromConfig } from '../telephony/index.js';
import { every } from './every.js';
import { sweepRetention } from './retention.js';
import { sweepPresenceEvery } from './presence-sweep.js';
import { sweepUnstartedRecords } from './unstarted-records.js';
import { deliverWebhooks } from './webhook-delivery.js';
import { databaseChecks } from '../db/migrate.js';
import { runChecks } from '../telemetry/health.js';
import { log, withLogContext } from '../telemetry/log.js';
import { systemGauges, workerMetrics, type WorkerMetrics } from '../telemetry/metrics.js';
import { CALLBACK_WORKFLOW } from '../workflows/callback-contract.js';
import { serveWorkerMetrics, type MetricsServer } from './metrics-server.js';
import { readSystemState } from './system-state.js';
import { cachedWorkflowBundle } from './workflow-bundle-cache.js';

// Run from source (tsx) the workflows are .ts; run from dist/ they are .js.
export const WORKFLOWS_PATH = fileURLToPath(new URL(`../workflows/index${extname(fileURLToPath(import.meta.url))}`, import.meta.url));
/** Written by `npm run build` (scripts/build.mjs) at dist/workflow-bundle.js: there when run from dist/. */
export const BUILT_WORKFLOW_BUNDLE = fileURLToPath(new URL('../workflow-bundle.js', import.meta.url));

/**
 * The bundle given, else the one built with dist/, else (run from source) the one cached for the
 * workflow sources as they are, bundled now only when they changed (worker/workflow-bundle-cache.ts).
 */
async function workflowCode(
  given: WorkerOptions['workflowBundle'],
  cacheDir: string | undefined,
): Promise<Pick<WorkerOptions, 'workflowBundle'>> {
  if (given) return { workflowBundle: given };
  if (existsSync(BUILT_WORKFLOW_BUNDLE)) return { workflowBundle: { codePath: BUILT_WORKFLOW_BUNDLE } };
  const started = performance.now();
  const { codePath, hit } = await cachedWorkflowBundle({ workflowsPath: WORKFLOWS_PATH, ...(cacheDir ? { cacheDir } : {}) });
  log().info(
    { codePath, cached: hit, ms: Math.round(performance.now() - started) },
    hit ? 'workflow bundle from the cache' : 'workflow bundle built and cached',
  );
  return { workflowBundle: { codePath } };
}

export interface RunningWorker {
  /** Resolves when the worker has stopped, after finishing its activities in progress. */
  done: Promise<void>;
  stop(): Promise<void>;
  metrics: WorkerMetrics;
  /** The operations listener's address (/metrics, /healthz, /readyz), when it serves one. */
  metricsUrl: string | null;
}

export interface WorkerOptionsOfProcess {
  address?: string;
  /** A prebuilt bundle (tests build it once); otherwise dist/'s, or the cached one (built at start when the sources changed). */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Serve /metrics, /healthz and /readyz on WORKER_METRICS_PORT (the worker process does; tests may). */
  serveMetrics?: boolean;
  /** The Temporal SDK's exporter, which /metrics serves too (installRuntime's metricsAddress). */
  sdkMetricsAddress?: string;
}

export async function startWorker(config: Config, sql: Sql, options: WorkerOptionsOfProcess = {}): Promise<RunningWorker> {
  const taskQueue = config.TEMPORAL_TASK_QUEUE;
  // Workflows and activities read and write payloads through the same encryption as the API.
  const dataConverter = temporalDataConverterOf(config);
  const connection = await NativeConnection.connect(temporalConnectionOptions(config, options.address));
  // Activities talk to Temporal too: the queue gates are started and signalled from them.
  const clientConnection = await Connection.connect(temporalConnectionOptions(config, options.address));
  const temporal = new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE, dataConverter });
  const metrics = workerMetrics();
  const telephony = telephonyFromConfig(config, sql, temporal);
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue,
    dataConverter,
    activities: createActivities({
      sql,
      temporal,
      taskQueue,
      dialler: createSimulatedDialler({ sql, ringMs: config.DIALLER_RING_MS }),
      metrics,
      telephony,
      guards: guardsFromConfig(config),
    }),
    // What an activity logs carries its workflow's id, and the record's or the gate's queue.
    interceptors: {
      activity: [
        (ctx) => ({
          inbound: {
            execute: (input, next) => {
              const { workflowExecution, workflowType } = ctx.info;
              const workflowId = workflowExecution?.workflowId;
              if (!workflowId) return next(input);
              const fields = workflowType === CALLBACK_WORKFLOW ? { workflowId, recordId: workflowId } : { workflowId };
              return withLogContext(workflowId.startsWith('gate:') ? { ...fields, queue: workflowId.slice(5) } : fields, () => next(input));
            },
          },
        }),
      ],
    },
    ...(await workflowCode(options.workflowBundle, config.WORKFLOW_BUNDLE_CACHE_DIR)),
    // Let a dial in progress finish when the worker is asked to stop.
    shutdownGraceTime: '30 seconds',
  });
  const stopStarting = sweepUnstartedRecords(sql, temporal, taskQueue, {
    everyMs: config.RECORD_SWEEP_MS,
    graceMs: config.RECORD_START_GRACE_MS,
  });
  const stopPresence = sweepPresenceEvery(sql, temporal, config.PRESENCE_SWEEP_MS);
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
    metrics,
  });
  // Dials waiting for their provider hold no worker slot: every worker heartbeats them instead
  // (within the dial's 10 s heartbeat timeout) and asks the provider about quiet calls.
  const stopKeeping = telephony
    ? every(config.TELEPHONY_KEEPER_MS, 'keeping calls', async () => {
        await telephony.keep({ staleMs: config.TELEPHONY_KEEPER_MS, reconcileMs: config.TELEPHONY_RECONCILE_MS });
      })
    : async () => {};
  let server: MetricsServer | null = null;
  if (options.serveMetrics) {
    systemGauges(metrics.registry, () => readSystemState(sql, temporal));
    server = await serveWorkerMetrics({
      host: config.HOST,
      port: config.WORKER_METRICS_PORT,
      registry: metrics.registry,
      ...(options.sdkMetricsAddress ? { sdkMetricsAddress: options.sdkMetricsAddress } : {}),
      readiness: () =>
        runChecks({
          worker: async () => {
            const state = worker.getState();
            if (state !== 'RUNNING') throw new Error(`worker ${state.toLowerCase()}`);
          },
          ...databaseChecks(sql),
          temporal: async () => {
            await temporal.withDeadline(Date.now() + 2500, () => temporal.workflowService.getSystemInfo({}));
          },
        }),
    });
    log().info({ url: server.url }, 'worker metrics listening');
  }
  const done = worker
    .run()
    .finally(() => Promise.all([stopStarting(), stopPresence(), stopForgetting(), stopDelivering(), stopKeeping()]))
    .finally(() => Promise.all([connection.close(), clientConnection.close(), server?.close()]));
  return {
    done,
    metrics,
    metricsUrl: server?.url ?? null,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
