// The API process for production: `npm run api`, with TEMPORAL_ADDRESS and DATABASE_URL.
import { loadConfigOrExit } from '../config/index.js';
import { connect } from '../db/connect.js';
import { migrate } from '../db/migrate.js';
import { startApi } from './server.js';

const config = loadConfigOrExit(['TEMPORAL_ADDRESS', 'DATABASE_URL', 'PAYLOAD_KEYS']);
const sql = connect({ url: config.DATABASE_URL!, max: config.DATABASE_POOL_MAX, prepare: config.DATABASE_PREPARE });
await migrate(sql);
const api = await startApi(config, sql);
console.log(`[api] listening on ${api.url}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void api.stop().then(() => sql.end({ timeout: 5 }));
  });
}
