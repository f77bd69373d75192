// Public traffic: which web origins may call the API from a browser, how many requests one
// client (one API key; an address for requests without a valid key) may make, and how large a body may be. Limits are counted per API process, in memory:
// with N processes behind a balancer a client gets up to N times the limit, which bounds abuse
// without a shared store; a gateway in front is the place for exact global quotas.
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { problem, problemResponse } from './problem.js';

export interface TrafficRules {
  /** Origins allowed to call from a browser; empty: none. */
  corsOrigins: string[];
  rateLimitPerMinute: number;
  bodyLimitBytes: number;
  /** Behind a proxy the client is the first X-Forwarded-For address, not the connection's. */
  trustProxy: boolean;
}

export function corsFor({ corsOrigins }: TrafficRules): MiddlewareHandler {
  return cors({
    origin: (origin) => (corsOrigins.includes(origin) ? origin : null),
    allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowHeaders: ['content-type', 'idempotency-key', 'x-actor', 'authorization'],
    exposeHeaders: ['location', 'retry-after'],
    maxAge: 600,
  });
}

export function bodyLimitFor({ bodyLimitBytes }: TrafficRules): MiddlewareHandler {
  return bodyLimit({
    maxSize: bodyLimitBytes,
    onError: (c) => {
      // The rest of the body is still on its way, unread: the connection cannot carry another
      // request. Saying so makes a keep-alive client open a new one instead of failing on this.
      c.header('connection', 'close');
      return problemResponse(c, problem('payload-too-large', `request body over ${bodyLimitBytes} bytes`).problem);
    },
  });
}

/** A caller with a valid key is counted by its key; anyone else by address. */
function clientOf(c: Context, trustProxy: boolean): string {
  const caller = c.get('caller');
  if (caller) return `key:${caller.keyId}`;
  const forwarded = trustProxy ? c.req.header('x-forwarded-for')?.split(',')[0]?.trim() : undefined;
  return forwarded || getConnInfo(c).remote.address || 'unknown';
}

/** A token bucket per client (API key, or address without one): `perMinute` requests a minute, refilled continuously, bursts up to the same. */
export function rateLimitFor({ rateLimitPerMinute: perMinute, trustProxy }: TrafficRules): MiddlewareHandler {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const perMs = perMinute / 60_000;
  let sweptAt = Date.now();
  return async (c, next) => {
    const now = Date.now();
    if (now - sweptAt > 60_000) {
      // Full buckets carry no information: forget them, so that the map does not grow without end.
      for (const [client, b] of buckets) if (b.tokens + (now - b.at) * perMs >= perMinute) buckets.delete(client);
      sweptAt = now;
    }
    const client = clientOf(c, trustProxy);
    const bucket = buckets.get(client) ?? { tokens: perMinute, at: now };
    bucket.tokens = Math.min(perMinute, bucket.tokens + (now - bucket.at) * perMs);
    bucket.at = now;
    buckets.set(client, bucket);
    if (bucket.tokens < 1) {
      const retryAfter = Math.ceil((1 - bucket.tokens) / perMs / 1000);
      c.header('retry-after', String(retryAfter));
      return problemResponse(c, problem('rate-limited', `over ${perMinute} requests a minute`, { retryAfterSeconds: retryAfter }).problem);
    }
    bucket.tokens -= 1;
    await next();
  };
}
