// The API process for production: `npm run api`, with TEMPORAL_ADDRESS and DATABASE_URL.
// SIGTERM (or SIGINT) drains it: /readyz turns 503, no new connections, the requests in flight
// finish (those waiting on Temporal answer 503 with Retry-After), then the process exits.
import { loadConfigOrExit } from '../config/index.js';
import { connect } from '../db/connect.js';
import { migrate } from '../db/migrate.js';
import { configureLogger } from '../telemetry/log.js';
import { startApi } from './server.js';

const config = loadConfigOrExit(['TEMPORAL_ADDRESS', 'DATABASE_URL', 'PAYLOAD_KEYS']);
const log = configureLogger(config.SERVICE_LOG_LEVEL);
const sql = connect({ url: config.DATABASE_URL!, max: config.DATABASE_POOL_MAX, prepare: config.DATABASE_PREPARE });
await migrate(sql);
const api = await startApi(config, sql);
log.info({ url: api.url }, 'api listening');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log.info({ signal }, 'api stopping: finishing the requests in flight');
    api
      .stop()
      .then(() => sql.end({ timeout: 5 }))
      .then(
        () => {
          log.info('api stopped');
          process.exit(0);
        },
        (err: unknown) => {
          log.error({ err }, 'api did not stop cleanly');
          process.exit(1);
        },
      );
  });
}
