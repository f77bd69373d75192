// `npm start`: the whole system on one machine. A Temporal dev server and an embedded
// PostgreSQL persisting under DATA_DIR (or the servers TEMPORAL_ADDRESS and DATABASE_URL name),
// migrations, the worker and the API, in one process that Ctrl-C stops cleanly.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadConfigOrExit } from '../config/index.js';
import { connect } from '../db/connect.js';
import { migrate } from '../db/migrate.js';
import { createApiKey, hasActiveAdminKey, verifyApiKey } from '../db/api-keys.js';
import { insertPerson } from '../db/people.js';
import { hashPassword } from '../services/passwords.js';
import { newPayloadKey } from '../config/payload-codec.js';
import { startApi } from '../api/server.js';
import { startWorker } from '../worker/run.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { startTemporalDevServer } from './temporal-dev-server.js';
import { installRuntime } from '../worker/runtime.js';
import { freePort } from '../worker/metrics-server.js';
import { configureLogger } from '../telemetry/log.js';

const given = loadConfigOrExit();
configureLogger(given.SERVICE_LOG_LEVEL);
const sdkMetricsAddress = given.TEMPORAL_METRICS_ADDRESS ?? `127.0.0.1:${await freePort()}`;
installRuntime(given.LOG_LEVEL, { metricsAddress: sdkMetricsAddress });
const dataDir = resolve(given.DATA_DIR);
await mkdir(dataDir, { recursive: true });
const stops: (() => Promise<void>)[] = [];
const uiOrigin = `http://localhost:${given.TEMPORAL_UI_PORT}`;
// What Temporal stores is encrypted here as in production: with the key made on the first start
// and kept under DATA_DIR, unless PAYLOAD_KEYS is given. The embedded Web UI may call the codec.
const config = {
  ...given,
  PAYLOAD_KEYS:
    given.PAYLOAD_KEYS ?? (await keptSecret('payload-keys', () => newPayloadKey(`dev-${new Date().toISOString().slice(0, 10)}`))),
  CODEC_CORS_ORIGINS: [...new Set([...given.CODEC_CORS_ORIGINS, uiOrigin])],
  TEMPORAL_UI_URL: given.TEMPORAL_UI_URL ?? (given.TEMPORAL_ADDRESS ? undefined : uiOrigin),
};

let databaseUrl = config.DATABASE_URL;
if (!databaseUrl) {
  const pg = await startEmbeddedPostgres({ dataDir: resolve(dataDir, 'postgres'), port: config.EMBEDDED_PG_PORT });
  stops.unshift(() => pg.stop());
  databaseUrl = pg.url;
}
const embedded = !config.DATABASE_URL;
if (embedded && existsSync(resolve(dataDir, 'pg'))) {
  console.warn(`  ${resolve(dataDir, 'pg')} holds an earlier release's PGlite database, which this release does not read.`);
}
const sql = connect({ url: databaseUrl, max: config.DATABASE_POOL_MAX, prepare: config.DATABASE_PREPARE });
stops.unshift(() => sql.end({ timeout: 5 }));
await migrate(sql);
const firstAdminKey = await firstStartAdminKey(sql);
const firstAdminPassword = await firstStartAdministrator(sql);

let temporalAddress = config.TEMPORAL_ADDRESS;
let temporalUi = "your Temporal cluster's Web UI";
if (!temporalAddress) {
  const env = await startTemporalDevServer({
    dbFilename: resolve(dataDir, 'temporal.db'),
    port: config.TEMPORAL_PORT,
    uiPort: config.TEMPORAL_UI_PORT,
    namespace: config.TEMPORAL_NAMESPACE,
    uiCodecEndpoint: `http://localhost:${config.PORT}/codec/${await uiCodecKey(sql)}`,
  });
  stops.unshift(() => env.teardown());
  temporalAddress = env.address;
  temporalUi = uiOrigin;
}

const worker = await startWorker(config, sql, {
  address: temporalAddress,
  serveMetrics: true,
  sdkMetricsAddress: sdkMetricsAddress.replace(/^0\.0\.0\.0:/, '127.0.0.1:'),
});
stops.unshift(() => worker.stop());
const api = await startApi(config, sql, { address: temporalAddress });
stops.unshift(() => api.stop());

console.log(`
  Callback API       ${api.url}   (try ${api.url}/healthz)
  Customer page      ${api.url}/callback?queue=support   (embed: <script src="${api.url}/callback/embed.js" data-queue="support"></script>)
  Admin console      ${api.url}/admin   (live view ${api.url}/admin/live, statistics ${api.url}/admin/stats)
  Agent desk         ${api.url}/agent   (sign in as an agent: POST /v1/agents, then POST /v1/people with a password)
  Worker metrics     ${worker.metricsUrl ?? 'off'}
  Temporal Web UI    ${temporalUi}
  Temporal frontend  ${temporalAddress}
  PostgreSQL         ${embedded ? `embedded, ${databaseUrl}` : 'DATABASE_URL'}
  Data               ${dataDir}

  Ctrl-C stops everything; the next start finds every record where it was.
`);
if (firstAdminPassword) {
  console.log(`  The admin console's first administrator, made on this first start and shown this once:

    user name  admin
    password   ${firstAdminPassword}

  Sign in at ${api.url}/admin and change it (POST /v1/people/admin/password), or add people of your own.
`);
}
if (firstAdminKey) {
  console.log(`  An admin API key, made on this first start and shown this once (only its hash is kept):

    ${firstAdminKey}

  Try: curl -H 'Authorization: Bearer ${firstAdminKey}' ${api.url}/v1/queues
  API documentation: ${api.url}/docs
`);
}

const STOP_STEP_MS = 5000;
let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping`);
  // Ctrl-C reaches the Temporal dev server too, so a worker finishing an activity may find it
  // gone: no step waits longer than STOP_STEP_MS. Whatever was in flight is retried on the
  // next start (a dial resumes the same call).
  for (const s of stops) {
    try {
      await Promise.race([s(), new Promise((resolve) => setTimeout(resolve, STOP_STEP_MS))]);
    } catch (err) {
      console.error('[start] error while stopping', err);
    }
  }
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

/** A secret made once and kept in a file under DATA_DIR, readable by this user only. */
async function keptSecret(
  name: string,
  make: () => string | Promise<string>,
  stillGood: (s: string) => Promise<boolean> = async () => true,
) {
  const file = resolve(dataDir, name);
  const kept = await readFile(file, 'utf8').then(
    (s) => s.trim(),
    () => null,
  );
  if (kept && (await stillGood(kept))) return kept;
  const made = await make();
  await writeFile(file, made + '\n', { mode: 0o600 });
  return made;
}

/**
 * The embedded Web UI cannot send an API key in a header: its codec endpoint carries an admin key
 * of its own in the path (`web-ui-codec`, kept under DATA_DIR, made again if revoked).
 */
function uiCodecKey(db: typeof sql): Promise<string> {
  return keptSecret(
    'ui-codec-key',
    async () => (await createApiKey(db, { name: 'web-ui-codec', role: 'admin', createdBy: 'first-start' })).key,
    async (key) => (await verifyApiKey(db, key)) !== null,
  );
}

/** The first start of a system where nobody administers makes an administrator, `admin`, with a random password. */
async function firstStartAdministrator(db: typeof sql): Promise<string | null> {
  const [row] = await db<{ n: number }[]>`select count(*)::int as n from people where role = 'admin'`;
  if (row!.n > 0) return null;
  const password = randomBytes(12).toString('base64url');
  const made = await insertPerson(db, {
    id: 'admin',
    displayName: 'Administrator',
    role: 'admin',
    email: null,
    passwordHash: await hashPassword(password),
    createdBy: 'first-start',
  });
  return made ? password : null;
}

/** The first start of a system without any admin key makes one, so that it can be administered at all. */
async function firstStartAdminKey(db: typeof sql): Promise<string | null> {
  if (await hasActiveAdminKey(db)) return null;
  const [row] = await db<{ n: number }[]>`select count(*)::int as n from api_keys where name like 'admin%'`;
  const n = row!.n;
  const made = await createApiKey(db, { name: n === 0 ? 'admin' : `admin-${n + 1}`, role: 'admin', createdBy: 'first-start' });
  return made.key;
}
