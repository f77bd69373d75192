// The worker process for production: `npm run worker`, with TEMPORAL_ADDRESS and DATABASE_URL.
import { loadConfigOrExit } from '../config/index.js';
import { connect } from '../db/connect.js';
import { migrate } from '../db/migrate.js';
import { startWorker } from './run.js';
import { installRuntime } from './runtime.js';

const config = loadConfigOrExit(['TEMPORAL_ADDRESS', 'DATABASE_URL', 'PAYLOAD_KEYS']);
installRuntime(config.LOG_LEVEL);
const sql = connect({ url: config.DATABASE_URL!, max: config.DATABASE_POOL_MAX, prepare: config.DATABASE_PREPARE });
await migrate(sql);
const worker = await startWorker(config, sql);
console.log(`[worker] polling task queue ${config.TEMPORAL_TASK_QUEUE} on ${config.TEMPORAL_ADDRESS}`);
// The SDK's runtime shuts the worker down on SIGINT/SIGTERM; then the pool closes.
await worker.done;
await sql.end({ timeout: 5 });
