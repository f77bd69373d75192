// The process's structured log: pino, one JSON line per event on stdout. Lines carry the request,
// record, workflow and queue they concern (from the async context a request or an activity runs
// in), and never a phone number or a secret: known keys are redacted and every string is scrubbed
// of phone-like digit runs and token shapes before it is written.
import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type DestinationStream, type Level, type Logger } from 'pino';

/** What a line is about, where known. */
export interface LogContext {
  requestId?: string;
  recordId?: string;
  workflowId?: string;
  queue?: string;
}

const context = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with `fields` added to every line logged inside it (nested contexts add to outer ones). */
export function withLogContext<T>(fields: LogContext, fn: () => T): T {
  return context.run({ ...context.getStore(), ...fields }, fn);
}

export function logContext(): LogContext {
  return context.getStore() ?? {};
}

/** Keys whose values are never written, at any depth. */
const SECRET_KEYS = new Set(
  [
    'phone',
    'ani',
    'authorization',
    'x-api-key',
    'apikey',
    'key',
    'token',
    'selfservicetoken',
    'callback-token',
    'secret',
    'password',
    'cookie',
    'set-cookie',
    'webhook-signature',
  ].map((k) => k.toLowerCase()),
);

/** For pino's own redaction of the same keys at the top and one level down (belt and braces). */
const REDACT_PATHS = [...SECRET_KEYS].flatMap((k) => {
  const path = /^[a-z_$][\w$]*$/i.test(k) ? k : `["${k}"]`;
  return [path, path.startsWith('[') ? `*${path}` : `*.${path}`];
});

export const REDACTED = '[redacted]';

// A run of 7 or more digits, possibly with +, spaces, dashes, dots or brackets between them (a
// phone number in any spelling), not part of a longer word (a UUID's last group, a timestamp).
const PHONE_LIKE = /(?<![\w\-:.])\+?\(?\d[\d\s\-().]{5,}\d(?![\w:]|[-.]\w)/g;
// A calendar date (a holiday's or an exception's, in a path): eight digits, but no phone number.
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
// An API key (cbk_<id>_<secret>), a bearer credential, a self-service token (<uuid>.<expiry>.<hmac>).
const TOKENS: [RegExp, string][] = [
  [/cbk_[A-Za-z0-9_-]+/g, `cbk_${REDACTED}`],
  [/\b(Bearer|Basic)\s+[^\s"',]+/gi, `$1 ${REDACTED}`],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.\d+\.[A-Za-z0-9_-]{16,}/gi, REDACTED],
];

/** A string with phone-like digit runs and token shapes replaced. */
export function scrub(text: string): string {
  let out = text;
  for (const [pattern, replacement] of TOKENS) out = out.replace(pattern, replacement);
  return out.replace(PHONE_LIKE, (run) => ((run.match(/\d/g)?.length ?? 0) >= 7 && !ISO_DATE.test(run) ? '[phone]' : run));
}

const MAX_DEPTH = 8;

/** A copy safe to write: secret keys redacted, strings scrubbed, errors flattened to their text. */
export function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrub(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return {
      type: value.name,
      message: scrub(value.message),
      ...(value.stack ? { stack: scrub(value.stack) } : {}),
      ...(code !== undefined ? { code: scrubValue(code, depth + 1) } : {}),
      ...(value.cause !== undefined ? { cause: scrubValue(value.cause, depth + 1) } : {}),
    };
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEYS.has(k.toLowerCase()) ? REDACTED : scrubValue(v, depth + 1);
  return out;
}

export type LogLevel = Level | 'silent';

/** A logger writing to `destination` (stdout unless given: tests capture it). */
export function createLogger(level: LogLevel = 'info', destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      messageKey: 'msg',
      formatters: {
        level: (label) => ({ level: label }),
        bindings: (bindings) => scrubValue(bindings) as Record<string, unknown>,
        log: (object) => scrubValue(object) as Record<string, unknown>,
      },
      // Errors are already flattened (and scrubbed) by formatters.log.
      serializers: { err: (e: unknown) => e },
      mixin: () => ({ ...logContext() }),
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      hooks: {
        // The message and any printf-style arguments are scrubbed like the fields.
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? scrub(a) : a)) as Parameters<typeof method>);
        },
      },
    },
    // Synchronous: a line is out before the process exits, whatever ends it.
    destination ?? pino.destination({ fd: 1, sync: true }),
  );
}

let current: Logger = createLogger('info');

/** The process's logger. */
export function log(): Logger {
  return current;
}

/** At start, from the configuration; tests pass their own destination to read what was written. */
export function configureLogger(level: LogLevel, destination?: DestinationStream): Logger {
  current = createLogger(level, destination);
  return current;
}
