// Process configuration, parsed once at start from the environment. A bad value stops the
// process with a message naming the variable. Workflows never read this: they get what they
// need as workflow input.
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { isSupportedCountry } from 'libphonenumber-js';
import { allowedHostEntry } from '../domain/network-address.js';
import { PERSON_ROLES } from '../domain/roles.js';
import { parsePayloadKeys, temporalDataConverter } from './payload-codec.js';

const port = z.coerce.number().int().min(0).max(65535);
const readableFile = z
  .string()
  .min(1)
  .refine((path) => existsSync(path), 'no such file');

/** A comma-separated list. */
const list = (fallback = '') =>
  z
    .string()
    .default(fallback)
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    );

const schema = z
  .object({
    TEMPORAL_ADDRESS: z.string().min(1).optional(),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TEMPORAL_TASK_QUEUE: z.string().min(1).default('callbacks'),
    /** For a cluster that needs them, e.g. Temporal Cloud. */
    TEMPORAL_API_KEY: z.string().min(1).optional(),
    TEMPORAL_TLS: z.stringbool().default(false),
    /** mTLS: the client certificate and its private key (PEM files), e.g. from a Kubernetes secret. Both or neither. */
    TEMPORAL_TLS_CERT_PATH: readableFile.optional(),
    TEMPORAL_TLS_KEY_PATH: readableFile.optional(),
    /** The CA that signed the server's certificate, when the system's CAs do not (a self-hosted cluster's own CA). */
    TEMPORAL_TLS_CA_PATH: readableFile.optional(),
    /** The name the server's certificate is checked against, when it is not the host of TEMPORAL_ADDRESS. */
    TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
    /**
     * The keys that encrypt what Temporal stores, `<id>:<base64 of 32 bytes>,...` (README,
     * "Customers' data in Temporal"); every one listed decrypts, PAYLOAD_KEY_ID encrypts.
     */
    PAYLOAD_KEYS: z
      .string()
      .optional()
      .superRefine((list, ctx) => {
        if (list === undefined) return;
        try {
          parsePayloadKeys(list);
        } catch (err) {
          // More than one key without a current id is PAYLOAD_KEY_ID's problem, checked below.
          if (!/PAYLOAD_KEY_ID/.test((err as Error).message)) ctx.addIssue({ code: 'custom', message: (err as Error).message });
        }
      }),
    PAYLOAD_KEY_ID: z.string().optional(),
    /** Web origins of Temporal Web UIs that may call the codec endpoint (/codec) from a browser, comma-separated. */
    CODEC_CORS_ORIGINS: list().pipe(z.array(z.url().regex(/^https?:\/\/[^/]+$/, 'an origin: scheme and host, no path'))),
    /** The Temporal Web UI people open (e.g. https://temporal.example.com): the admin console links each record to its workflow there. */
    TEMPORAL_UI_URL: z.url().optional(),
    /**
     * How long a request waits for Temporal (a record's workflow to take a message, a workflow to
     * start) before it answers 503 temporarily-unavailable: no worker running, or Temporal down.
     */
    TEMPORAL_WAIT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    /** The Retry-After of a 503 answer: when a client should try again. */
    RETRY_AFTER_SECONDS: z.coerce.number().int().min(1).max(3600).default(5),
    DATABASE_URL: z.string().url().optional(),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    /** Named prepared statements; off behind PgBouncer in transaction mode and for the embedded database. */
    DATABASE_PREPARE: z.stringbool().default(true),
    HOST: z.string().default('0.0.0.0'),
    PORT: port.default(3000),
    DEFAULT_COUNTRY: z
      .string()
      .toUpperCase()
      .refine((c) => isSupportedCountry(c), 'must be an ISO 3166 country code, e.g. SE')
      .default('SE'),
    /** How long the simulated dialler rings. */
    DIALLER_RING_MS: z.coerce.number().int().min(0).max(120_000).default(3000),
    /** Which telephony places the calls: the embedded simulator, Twilio, or a generic HTTP gateway (README: Telephony). */
    DIALLER: z.enum(['simulated', 'twilio', 'http']).default('simulated'),
    /** The API's address as the telephony provider reaches it: status callbacks and TwiML are fetched under it. */
    TELEPHONY_PUBLIC_URL: z.url().optional(),
    TWILIO_ACCOUNT_SID: z.string().min(1).optional(),
    TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
    /** Twilio's REST API; another address only for a stand-in in tests. */
    TWILIO_API_BASE_URL: z.url().default('https://api.twilio.com'),
    /** The generic gateway's base URL: calls are POSTed to `<url>/calls`. */
    TELEPHONY_GATEWAY_URL: z.url().optional(),
    /** The secret both sides sign with (HMAC-SHA256, as our webhooks). */
    TELEPHONY_GATEWAY_SECRET: z.string().min(32).optional(),
    /** The caller id the customer sees when the queue sets none. */
    TELEPHONY_CALLER_ID: z.string().min(1).optional(),
    /** The agent device called first when neither the agent nor the queue names one. */
    TELEPHONY_AGENT_DEVICE: z.string().min(1).optional(),
    /** Countries the centre may call (ISO 3166, comma-separated); empty: any. */
    DIAL_ALLOWED_COUNTRIES: list().pipe(
      z.array(
        z
          .string()
          .toUpperCase()
          .refine((c) => isSupportedCountry(c), 'ISO 3166 country codes, e.g. SE,NO'),
      ),
    ),
    /** Number prefixes never called, E.164 (premium-rate ranges); default Sweden's 0900, 0939, 0944. */
    DIAL_BLOCKED_PREFIXES: list('+46900,+46939,+46944').pipe(z.array(z.string().regex(/^\+\d{1,14}$/, 'E.164 prefixes, e.g. +46900'))),
    /** Numbers never called, E.164, comma-separated. */
    DIAL_BLOCKED_NUMBERS: list().pipe(z.array(z.string().regex(/^\+[1-9]\d{1,14}$/, 'E.164 numbers'))),
    /** How often every worker heartbeats the dials waiting for their provider (and asks the provider about quiet calls). */
    TELEPHONY_KEEPER_MS: z.coerce.number().int().min(100).max(3000).default(2000),
    /** A call with no outcome is looked up at the provider this often, in case a status callback was lost. */
    TELEPHONY_RECONCILE_MS: z.coerce.number().int().min(1000).max(600_000).default(15_000),
    /** How often a worker looks for records whose workflow a crash left unstarted. */
    RECORD_SWEEP_MS: z.coerce.number().int().min(100).max(3_600_000).default(5000),
    /** How old such a record must be: its API may still be about to start it. */
    RECORD_START_GRACE_MS: z.coerce.number().int().min(1000).max(3_600_000).default(10_000),
    /** How often a worker sends silent agents offline and gives back offers nobody tracks. */
    PRESENCE_SWEEP_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
    /** How often an agent's event stream says it is alive, and marks its agent seen: keep it well below agentOfflineAfterSeconds. */
    AGENT_STREAM_KEEPALIVE_MS: z.coerce.number().int().min(100).max(60_000).default(15_000),
    /** How long the audit log is kept (the reference platform keeps search logs six months); the worker's sweep forgets older entries. */
    AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(183),
    /** How often a worker looks for webhook deliveries that are due, when it found none the last time. */
    WEBHOOK_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
    /** The wait after a delivery's first failed attempt; each further failure doubles it (less up to 20% jitter). */
    WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(5000),
    /** The longest wait between two attempts, so that a receiver back up is reached within it. */
    WEBHOOK_RETRY_MAX_MS: z.coerce.number().int().min(10).max(86_400_000).default(600_000),
    /** A delivery still failing this long after it was queued is given up (state `failed`; an administrator can retry it). */
    WEBHOOK_GIVE_UP_HOURS: z.coerce
      .number()
      .min(0.01)
      .max(24 * 30)
      .default(72),
    /** How long a receiver has to answer one attempt. */
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
    /** How long delivered and failed deliveries, with their attempts, stay in the delivery log. */
    WEBHOOK_LOG_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    /**
     * Host names and IP addresses webhooks may reach although they are inside the network
     * (loopback, private, link-local ...), comma-separated: a receiver on the same network, say.
     * Every other such target is refused, when subscribed and again at each delivery.
     */
    WEBHOOK_ALLOWED_PRIVATE_HOSTS: list().pipe(
      z.array(
        z
          .string()
          .refine((h) => allowedHostEntry(h) !== null, 'a host name or an IP address, without scheme, port or path')
          .transform((h) => allowedHostEntry(h)!),
      ),
    ),
    /** Web origins allowed to call the API from a browser, comma-separated (https://www.example.com). */
    CORS_ORIGINS: list().pipe(z.array(z.url().regex(/^https?:\/\/[^/]+$/, 'an origin: scheme and host, no path'))),
    /** Requests a minute per client and API process. */
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(6000),
    BODY_LIMIT_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(10 * 1024 * 1024)
      .default(64 * 1024),
    TRUST_PROXY: z.stringbool().default(false),
    /**
     * The customer's page (/callback): leading zero bits the browser must find in sha256(salt + nonce)
     * before it may request a callback. 16 costs a browser about a second; each bit doubles it.
     */
    WEB_CHALLENGE_BITS: z.coerce.number().int().min(0).max(28).default(16),
    /** A signed-in session ends after this long without a request. */
    SESSION_IDLE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(1800),
    /** ... and this long after sign-in, however busy. */
    SESSION_MAX_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .max(30 * 86_400)
      .default(12 * 3600),
    /** Failed password sign-ins in a row that lock an account. */
    LOGIN_LOCK_AFTER: z.coerce.number().int().min(1).max(100).default(5),
    /** The first lock's length; each further lock in a row doubles it, up to LOGIN_LOCK_MAX_SECONDS. */
    LOGIN_LOCK_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
    LOGIN_LOCK_MAX_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .max(7 * 86_400)
      .default(3600),
    /** Single sign-on (OpenID Connect, authorization code with PKCE): the provider's issuer URL; off when not set. */
    OIDC_ISSUER: z.url().optional(),
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    /** A confidential client's secret (client_secret_basic); a public client has none and relies on PKCE. */
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    /** Where the provider sends the browser back: this API's /v1/session/oidc/callback as the browser reaches it; from the request when not set. */
    OIDC_REDIRECT_URI: z.url().optional(),
    OIDC_SCOPES: z.string().min(1).default('openid email profile'),
    /** The claim that holds the person's groups or roles (a string or a list of strings). */
    OIDC_ROLE_CLAIM: z.string().min(1).default('roles'),
    /** Claim values and the roles they give, comma-separated: `cc-admins=admin,cc-agents=agent`; admin wins over supervisor, supervisor over agent. */
    OIDC_ROLE_MAP: z
      .string()
      .default('admin=admin,supervisor=supervisor,agent=agent')
      .transform((s) =>
        s
          .split(',')
          .map((pair) => pair.trim())
          .filter(Boolean)
          .map((pair) => pair.split('=').map((x) => x.trim())),
      )
      .pipe(z.array(z.tuple([z.string().min(1), z.enum(PERSON_ROLES)], 'value=role, the role agent, supervisor or admin'))),
    /** Where the browser goes after single sign-on (a path of this site, or a URL). */
    OIDC_AFTER_SIGN_IN_URL: z.string().min(1).default('/'),
    DATA_DIR: z.string().min(1).default('.data'),
    /** A worker run from source keeps its workflow bundles here (node_modules/.cache/callback-service/workflow-bundles when not set). */
    WORKFLOW_BUNDLE_CACHE_DIR: z.string().min(1).optional(),
    LOG_LEVEL: z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR']).default('WARN'),
    /** The service's own log lines (JSON on stdout): one per request at info, problems at warn and error. */
    SERVICE_LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
    /** Where a worker serves /metrics, /healthz and /readyz; 0: any free port (its address is logged). */
    WORKER_METRICS_PORT: port.default(9464),
    /**
     * Where the Temporal SDK's own Prometheus exporter listens (host:port). Unset: a free port on
     * 127.0.0.1, read through the worker's /metrics. Set it to scrape the SDK's exporter directly.
     */
    TEMPORAL_METRICS_ADDRESS: z
      .string()
      .regex(/^[^\s:]+:\d{1,5}$/, 'host:port, e.g. 0.0.0.0:9465')
      .optional(),
    /**
     * On SIGTERM, how long the API keeps serving (with /readyz answering 503) before it stops taking
     * connections: the time a load balancer takes to notice (Kubernetes: a few seconds).
     */
    SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).max(120_000).default(0),
    TEMPORAL_PORT: port.default(7233),
    TEMPORAL_UI_PORT: port.default(8233),
    EMBEDDED_PG_PORT: port.default(54329),
  })
  .superRefine((c, ctx) => {
    if (c.PAYLOAD_KEYS === undefined) {
      if (c.PAYLOAD_KEY_ID !== undefined) ctx.addIssue({ code: 'custom', path: ['PAYLOAD_KEY_ID'], message: 'needs PAYLOAD_KEYS' });
      return;
    }
    try {
      parsePayloadKeys(c.PAYLOAD_KEYS, c.PAYLOAD_KEY_ID);
    } catch (err) {
      if (/PAYLOAD_KEY_ID/.test((err as Error).message))
        ctx.addIssue({ code: 'custom', path: ['PAYLOAD_KEY_ID'], message: (err as Error).message });
    }
  });

export type Config = z.infer<typeof schema>;

/** Each dialler adapter's settings, required when it is chosen. */
const ADAPTER_NEEDS: Record<Config['DIALLER'], (keyof Config)[]> = {
  simulated: [],
  twilio: ['TELEPHONY_PUBLIC_URL', 'TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN'],
  http: ['TELEPHONY_PUBLIC_URL', 'TELEPHONY_GATEWAY_URL', 'TELEPHONY_GATEWAY_SECRET'],
};

function telephonyNeeds(config: Config, ctx: z.RefinementCtx): void {
  for (const key of ADAPTER_NEEDS[config.DIALLER]) {
    if (config[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: `is required with DIALLER=${config.DIALLER}` });
  }
}

/** What one variable's schema cannot say. */
function mtlsNeedsBoth(c: Config, ctx: z.RefinementCtx): void {
  if (!c.TEMPORAL_TLS_CERT_PATH !== !c.TEMPORAL_TLS_KEY_PATH) {
    const missing = c.TEMPORAL_TLS_CERT_PATH ? 'TEMPORAL_TLS_KEY_PATH' : 'TEMPORAL_TLS_CERT_PATH';
    ctx.addIssue({ code: 'custom', path: [missing], message: 'mTLS needs both the certificate and its key' });
  }
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // DIALER_RING_MS is the name from before the spelling settled on dialler: it still counts, unless DIALLER_RING_MS is set.
  const parsed = schema
    .superRefine(telephonyNeeds)
    .superRefine(mtlsNeedsBoth)
    .safeParse({ DIALLER_RING_MS: env.DIALER_RING_MS, ...env });
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
  throw new ConfigError(`invalid configuration:\n${problems}`);
}

export function required<K extends keyof Config>(config: Config, key: K): NonNullable<Config[K]> {
  const value = config[key];
  if (value === undefined || value === null) throw new ConfigError(`invalid configuration:\n  ${key}: is required`);
  return value as NonNullable<Config[K]>;
}

/** Connection options shared by the worker's and the API's connections to Temporal. */
export function temporalConnectionOptions(config: Config, address = required(config, 'TEMPORAL_ADDRESS')) {
  return {
    address,
    tls: temporalTls(config),
    ...(config.TEMPORAL_API_KEY ? { apiKey: config.TEMPORAL_API_KEY } : {}),
  };
}

/** The data converter (payload encryption) of every Temporal client and worker of the service. */
export function temporalDataConverterOf(config: Config) {
  return temporalDataConverter(parsePayloadKeys(required(config, 'PAYLOAD_KEYS'), config.PAYLOAD_KEY_ID));
}

/**
 * TLS to Temporal: off, unless asked for (TEMPORAL_TLS), implied by an API key (Temporal Cloud),
 * or by a client certificate (mTLS, Temporal Cloud or a self-hosted cluster). The files are read
 * at each connection, so that a renewed certificate is used by the next process that starts.
 */
export function temporalTls(
  config: Config,
): false | { clientCertPair?: { crt: Buffer; key: Buffer }; serverRootCACertificate?: Buffer; serverNameOverride?: string } {
  const mtls = config.TEMPORAL_TLS_CERT_PATH && config.TEMPORAL_TLS_KEY_PATH;
  if (!config.TEMPORAL_TLS && !config.TEMPORAL_API_KEY && !mtls && !config.TEMPORAL_TLS_CA_PATH) return false;
  return {
    ...(mtls
      ? { clientCertPair: { crt: readFileSync(config.TEMPORAL_TLS_CERT_PATH!), key: readFileSync(config.TEMPORAL_TLS_KEY_PATH!) } }
      : {}),
    ...(config.TEMPORAL_TLS_CA_PATH ? { serverRootCACertificate: readFileSync(config.TEMPORAL_TLS_CA_PATH) } : {}),
    ...(config.TEMPORAL_TLS_SERVER_NAME ? { serverNameOverride: config.TEMPORAL_TLS_SERVER_NAME } : {}),
  };
}

/** For a process's entry point: a bad configuration stops it with a message, not a stack trace. */
export function loadConfigOrExit(requiredKeys: (keyof Config)[] = []): Config {
  try {
    const config = loadConfig();
    for (const key of requiredKeys) required(config, key);
    return config;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(2);
  }
}
