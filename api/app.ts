// The HTTP API: thin routers over PostgreSQL reads and workflow messages.
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { identify, requireCaller } from './access.js';
import { apiKeysRouter } from './api-keys.js';
import { auditRouter } from './audit.js';
import { callbacksRouter } from './callbacks.js';
import { codecRouter } from './codec.js';
import type { ApiDeps } from './deps.js';
import { docsRouter } from './docs.js';
import { databaseUnreachable } from '../db/outage.js';
import { problem, ProblemError, problemResponse } from './problem.js';
import { temporalUnreachable, unavailable } from '../services/temporal-wait.js';
import { orgAreasRouter } from './org-areas.js';
import { parametersRouter } from './parameters.js';
import { queuesRouter } from './queues.js';
import { bodyLimitFor, corsFor, rateLimitFor } from './traffic.js';
import { storableUrl } from './validate.js';
import { recordAdminRouter } from './record-admin.js';
import { schedulesRouter } from './schedules.js';
import { scheduleSlotsRouter } from './schedule-slots.js';
import { selfServiceRouter } from './self-service.js';
import { statsRouter } from './stats.js';
import { treatmentsRouter } from './treatments.js';
import { webhooksRouter } from './webhooks.js';
import { observeRequests, operationsRouter } from './observability.js';
import { log } from '../telemetry/log.js';
import { telephonyCallbacksRouter, telephonySettingsRouter } from './telephony.js';
import { agentsRouter } from './agents.js';
import { presenceRouter } from './presence.js';
import { liveRouter } from './live.js';
import { peopleRouter } from './people.js';
import { sessionRouter } from './session.js';
import { importsRouter } from './imports.js';
import { adminRouter } from '../web/admin/index.js';
import { deskRouter } from '../web/desk/index.js';
import { webRouter } from '../web/index.js';

export const health = z
  .strictObject({ status: z.literal('ok').describe('The API process answers (no dependencies: see /readyz).') })
  .describe('GET /healthz.');

export function createApp(deps: ApiDeps) {
  const app = new Hono();
  app.use(observeRequests(deps.metrics));
  app.use(
    '/v1/*',
    corsFor(deps.traffic),
    identify(deps),
    rateLimitFor(deps.traffic),
    requireCaller,
    storableUrl,
    bodyLimitFor(deps.traffic),
  );
  app.route('/', operationsRouter(deps));
  // The providers' callbacks: no API key (verified by signature), but the body limit.
  app.use('/telephony/*', bodyLimitFor(deps.traffic));
  app.route('/telephony', telephonyCallbacksRouter(deps));
  app.route('/v1/callbacks', callbacksRouter(deps));
  app.route('/v1/callbacks', recordAdminRouter(deps));
  app.route('/v1/queues', queuesRouter(deps));
  app.route('/v1/org-areas', orgAreasRouter(deps));
  app.route('/v1/parameters', parametersRouter(deps));
  app.route('/v1/treatments', treatmentsRouter(deps));
  app.route('/v1/audit', auditRouter(deps));
  app.route('/v1/stats', statsRouter(deps));
  app.route('/v1/api-keys', apiKeysRouter(deps));
  app.route('/v1/webhooks', webhooksRouter(deps));
  app.route('/v1/self-service', selfServiceRouter(deps));
  app.route('/v1/schedules', schedulesRouter(deps));
  app.route('/v1/schedules', scheduleSlotsRouter(deps));
  app.route('/v1/telephony', telephonySettingsRouter(deps));
  if (deps.codec) app.route('/codec', codecRouter(deps, deps.codec));
  app.route('/v1/session', sessionRouter(deps));
  // Before the directory's routes, whose /:id would take /presence for an agent's id.
  app.route('/v1/agents', presenceRouter(deps));
  app.route('/v1/agents', agentsRouter(deps));
  app.route('/v1/people', peopleRouter(deps));
  app.route('/v1/live', liveRouter(deps));
  app.route('/v1/imports', importsRouter(deps));
  app.route('/callback', webRouter(deps));
  app.route('/agent', deskRouter(deps));
  app.route('/admin', adminRouter(deps));
  app.route('/', docsRouter(app));

  app.notFound((c) => problemResponse(c, problem('not-found', 'no such resource').problem));
  app.onError((err, c) => {
    if (err instanceof ProblemError) {
      if (err.problem.status === 503) c.header('retry-after', String(deps.retryAfterSeconds));
      return problemResponse(c, err.problem);
    }
    if (err instanceof HTTPException && err.status < 500) {
      return problemResponse(c, { status: err.status as 400, type: 'bad-request', title: err.message || 'bad request' });
    }
    // An outage, not a fault: the client may retry the same request later.
    const outage = databaseUnreachable(err) ? 'PostgreSQL' : temporalUnreachable(err) ? 'Temporal' : null;
    if (outage) {
      log().warn({ method: c.req.method, path: c.req.path, outage, err }, `${outage} is out of reach`);
      c.header('retry-after', String(deps.retryAfterSeconds));
      return problemResponse(c, unavailable(`${outage} is out of reach`).problem);
    }
    log().error({ method: c.req.method, path: c.req.path, err }, 'request failed');
    return problemResponse(c, problem('internal-error', 'internal error').problem);
  });
  return app;
}
