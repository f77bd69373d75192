// What operations see of the API: a request id on every request and answer (X-Request-Id), one
// log line per request, Prometheus metrics by route, and the health endpoints: /healthz (the
// process answers), /readyz (PostgreSQL and Temporal reachable, migrations current, not shutting
// down), /metrics. None of these needs a key: they carry no personal data (queue names at most);
// keep /metrics inside the network.
import { randomUUID } from 'node:crypto';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { log, withLogContext } from '../telemetry/log.js';
import type { ApiMetrics } from '../telemetry/metrics.js';
import type { Readiness } from '../telemetry/health.js';
import { problem, problemResponse } from './problem.js';

/** A request id a client or proxy sent, used as given when it is this tame; otherwise a new one. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const RECORD_PATH = /^\/v1\/callbacks\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:\/|$)/i;
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const PROBES = new Set(['/healthz', '/readyz', '/metrics']);
/** The agent's take of a record: its latency is the accept latency operations watch. */
const ACCEPTS: Record<string, string> = { '/v1/callbacks/:id/accept': 'accept', '/v1/queues/:queue/next': 'next' };

/** The route's pattern (`/v1/callbacks/:id`), never the path itself, so that metrics keep few label values. */
export function routeOf(c: Context): string {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) if (routes[i]!.method !== 'ALL') return routes[i]!.path;
  return 'unmatched';
}

function acceptResult(status: number): string {
  if (status === 200) return 'taken';
  if (status === 204) return 'none';
  if (status === 503) return 'unavailable';
  return status >= 500 ? 'error' : 'refused';
}

export function observeRequests(metrics?: ApiMetrics): MiddlewareHandler {
  return async (c, next) => {
    const given = c.req.header('x-request-id');
    const requestId = given && REQUEST_ID.test(given) ? given : randomUUID();
    const recordId = RECORD_PATH.exec(c.req.path)?.[1]?.toLowerCase();
    const started = performance.now();
    await withLogContext({ requestId, ...(recordId ? { recordId } : {}) }, async () => {
      await next();
      const seconds = (performance.now() - started) / 1000;
      const status = c.res.status;
      const method = METHODS.has(c.req.method) ? c.req.method : 'OTHER';
      const route = routeOf(c);
      const labels = { method, route, status: String(status) };
      metrics?.httpRequests.inc(labels);
      metrics?.httpDuration.observe(labels, seconds);
      const action = method === 'POST' ? ACCEPTS[route] : undefined;
      if (action) metrics?.accept.observe({ action, result: acceptResult(status) }, seconds);
      // The path without its query string: a search's query holds phone numbers.
      const line = { method, route, path: c.req.path, status, durationMs: Math.round(seconds * 1000) };
      if (PROBES.has(route)) log().debug(line, 'request');
      else log().info(line, 'request');
    });
    try {
      c.res.headers.set('x-request-id', requestId);
    } catch {
      // A response with immutable headers (a fetched one): copied.
      c.res = new Response(c.res.body, c.res);
      c.res.headers.set('x-request-id', requestId);
    }
  };
}

export interface OperationsDeps {
  metrics?: ApiMetrics;
  /** PostgreSQL, Temporal, migrations, shutting down; absent in router tests (then always ready). */
  readiness?: () => Promise<Readiness>;
  retryAfterSeconds: number;
}

export function operationsRouter({ metrics, readiness, retryAfterSeconds }: OperationsDeps) {
  return new Hono()
    .get('/healthz', (c) => c.json({ status: 'ok' as const }))
    .get('/readyz', async (c) => {
      const state = readiness ? await readiness() : { ready: true, checks: {} };
      if (state.ready) return c.json({ status: 'ready' as const, checks: state.checks });
      c.header('retry-after', String(retryAfterSeconds));
      const failed = Object.entries(state.checks)
        .filter(([, r]) => r !== 'ok')
        .map(([name]) => name);
      return problemResponse(
        c,
        problem('temporarily-unavailable', 'not ready', { detail: `not ready: ${failed.join(', ')}`, checks: state.checks }).problem,
      );
    })
    .get('/metrics', async (c) => {
      if (!metrics) return problemResponse(c, problem('not-found', 'no metrics in this process').problem);
      return c.body(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType });
    });
}
