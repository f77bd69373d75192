// The worker process for production: `npm run worker`, with TEMPORAL_ADDRESS and DATABASE_URL.
// It serves /metrics, /healthz and /readyz on WORKER_METRICS_PORT. SIGTERM (or SIGINT) stops it:
// the SDK stops polling, lets the activities in progress finish (up to the worker's shutdown
// grace time, after which Temporal retries them elsewhere), then the process exits.
import { loadConfigOrExit } from '../config/index.js';
import { connect } from '../db/connect.js';
import { migrate } from '../db/migrate.js';
import { configureLogger } from '../telemetry/log.js';
import { freePort } from './metrics-server.js';
import { startWorker } from './run.js';
import { installRuntime } from './runtime.js';

const config = loadConfigOrExit(['TEMPORAL_ADDRESS', 'DATABASE_URL', 'PAYLOAD_KEYS']);
const log = configureLogger(config.SERVICE_LOG_LEVEL);
const sdkMetricsAddress = config.TEMPORAL_METRICS_ADDRESS ?? `127.0.0.1:${await freePort()}`;
installRuntime(config.LOG_LEVEL, { metricsAddress: sdkMetricsAddress });
const sql = connect({ url: config.DATABASE_URL!, max: config.DATABASE_POOL_MAX, prepare: config.DATABASE_PREPARE });
await migrate(sql);
const worker = await startWorker(config, sql, {
  serveMetrics: true,
  sdkMetricsAddress: sdkMetricsAddress.replace(/^0\.0\.0\.0:/, '127.0.0.1:'),
});
log.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, temporal: config.TEMPORAL_ADDRESS, metrics: worker.metricsUrl }, 'worker polling');
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => log.info({ signal }, 'worker stopping: no more polling, finishing the activities in progress'));
}
// The SDK's runtime shuts the worker down on SIGINT/SIGTERM; then the pool closes.
await worker.done;
await sql.end({ timeout: 5 });
log.info('worker stopped');
process.exit(0);
