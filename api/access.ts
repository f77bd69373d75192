// Who may call what. Every request under /v1 names its API key (`Authorization: Bearer <key>`
// or `X-API-Key`) or comes from a signed-in person's browser (the session cookie); every route
// declares, with `route(...)`, what it does and which roles may do it. The same declaration
// documents the route in /openapi.json, so the door and its sign cannot disagree.
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import { timingSafeEqual } from 'node:crypto';
import type { ZodType } from 'zod';
import { touchApiKey, verifyApiKey } from '../db/api-keys.js';
import type { Sql } from '../db/connect.js';
import { ROLES, type Role } from '../domain/roles.js';
import { currentSession, DEFAULT_PEOPLE_RULES, sessionHash } from '../services/people.js';
import type { ApiDeps } from './deps.js';
import { problem } from './problem.js';
import type { ProblemType } from '../services/problem-types.js';
import { log } from '../telemetry/log.js';

export interface Caller {
  /** An API key, or a person signed in with a session cookie. */
  kind: 'key' | 'person';
  /** The key's id; for a person `person:<id>`. The rate limit counts requests by it. */
  keyId: string;
  /** The key's name, or `person:<id>`: the actor in the audit log. */
  name: string;
  role: Role;
  /** The agent the caller is: a signed-in agent, or a key bound to one (an agent's personal token). */
  agentId?: string;
  /** A signed-in person's session. */
  session?: { personId: string; idSha256: string; csrfToken: string; method: 'password' | 'oidc'; createdAt: string; expiresAt: string };
}

/** The cookie a signed-in person's browser sends: the session's secret. */
export const SESSION_COOKIE = 'cbk_session';
/** The header a cookie-authenticated request that changes anything must carry. */
export const CSRF_HEADER = 'X-CSRF-Token';

declare module 'hono' {
  interface ContextVariableMap {
    caller: Caller;
    /** The request's session cookie named a session that has ended. */
    sessionEnded: boolean;
  }
}

export interface RouteResponse {
  description: string;
  schema?: ZodType;
  /** application/json unless told. */
  contentType?: string;
}

export interface RouteDoc {
  summary: string;
  description?: string;
  roles: readonly Role[];
  /** Success answers by status. */
  responses: Partial<Record<200 | 201 | 202 | 204, RouteResponse>>;
  /** The problem types this route answers with, besides those every route may (see problem-types.ts). */
  problems?: readonly ProblemType[];
  /** Request headers this route reads. */
  headers?: readonly { name: string; description: string; required?: boolean }[];
  /** Needs no key and no session: signing in. */
  open?: true;
}

export type DocumentedRoute = MiddlewareHandler & { doc: RouteDoc };

/** The route's description and its door: a caller whose role is not listed gets a 403. */
export function route(doc: RouteDoc): DocumentedRoute {
  const guard: MiddlewareHandler = async (c, next) => {
    if (doc.open) return next();
    const { role } = c.get('caller');
    if (!doc.roles.includes(role)) {
      throw problem('forbidden', `a key with the role ${role} may not do this`, { role, allowedRoles: doc.roles });
    }
    await next();
  };
  return Object.assign(guard, { doc });
}

export const ROLE_SETS = {
  admin: ['admin'],
  /** Reading configuration and records: administrators and other systems. */
  backOffice: ['admin', 'integration'],
  /** Reading what the centre does (records, queues, agents' presence, configuration): also supervisors, who change nothing. */
  oversight: ['admin', 'integration', 'supervisor'],
  /** Reading what agents read (their queues' records), and supervisors. */
  workAndOversight: ['agent', 'admin', 'integration', 'supervisor'],
  /** The agent desktop's work, and systems that act for it. */
  agentWork: ['agent', 'admin', 'integration'],
  /** What a customer reaches, by phone or on the web, and everyone behind them. */
  public: ROLES,
} as const satisfies Record<string, readonly Role[]>;

/** The header of audited routes. */
export const AUDITED = [{ name: 'X-Actor', description: "The person a system acts for, written to the audit log after the key's name" }];

const KEY_CACHE_MS = 5_000;
const TOUCH_EVERY_MS = 60_000;

/** Who holds a presented API key: null when the key is wrong or revoked. */
export type Authenticate = (presented: string) => Promise<Caller | null>;

/**
 * Finds the caller's key, through `authenticate` when deps give one (router tests do) and the
 * database's keys otherwise. The caller is left unset when the key is missing or wrong;
 * `requireCaller` answers that, after the rate limit has counted the attempt against the client's
 * address.
 */
export function identify({
  sql,
  authenticate = keysIn(sql),
  people = DEFAULT_PEOPLE_RULES,
  traffic,
}: Pick<ApiDeps, 'sql' | 'authenticate' | 'people' | 'traffic'>): MiddlewareHandler {
  return async (c, next) => {
    const presented = presentedKey(c.req.header('authorization'), c.req.header('x-api-key'));
    const secret = presented ? undefined : getCookie(c, SESSION_COOKIE);
    if (presented) {
      const caller = await authenticate(presented);
      if (caller) c.set('caller', caller);
    } else if (secret) {
      const session = await currentSession(sql, people, secret);
      if (session) {
        refuseCrossSiteRequest(c, session.csrfToken, traffic.corsOrigins);
        c.set('caller', {
          kind: 'person',
          keyId: `person:${session.personId}`,
          name: `person:${session.personId}`,
          role: session.role,
          ...(session.role === 'agent' ? { agentId: session.personId } : {}),
          session: {
            personId: session.personId,
            idSha256: sessionHash(secret),
            csrfToken: session.csrfToken,
            method: session.method,
            createdAt: session.createdAt,
            expiresAt: session.expiresAt,
          },
        });
      } else {
        deleteCookie(c, SESSION_COOKIE, { path: '/' });
        c.set('sessionEnded', true);
      }
    }
    if (!presented && c.req.method === 'POST' && c.req.path === '/v1/session') refuseForeignOrigin(c, traffic.corsOrigins);
    await next();
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A browser sends the session cookie with any request to this site, a forged one from another
 * site's page included: a request that changes anything must also carry the session's CSRF token
 * (which another site cannot read) and, when the browser names its origin, come from this site or
 * an allowed one. API keys travel in headers a browser never adds by itself, so they need neither.
 */
function refuseCrossSiteRequest(c: Context, csrfToken: string, corsOrigins: readonly string[]): void {
  if (SAFE_METHODS.has(c.req.method)) return;
  refuseForeignOrigin(c, corsOrigins);
  const given = Buffer.from(c.req.header(CSRF_HEADER) ?? '');
  const expected = Buffer.from(csrfToken);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw problem('csrf-refused', `a request with a session cookie that changes anything needs the session's ${CSRF_HEADER} header`);
  }
}

function refuseForeignOrigin(c: Context, corsOrigins: readonly string[]): void {
  const origin = c.req.header('origin');
  if (origin === undefined) return;
  if (origin === new URL(c.req.url).origin || corsOrigins.includes(origin)) return;
  throw problem('csrf-refused', `a request from ${origin} may not use or start a session here`);
}

/**
 * The keys in the database. A verified key is remembered for a few seconds, so that a busy client
 * costs no lookup per request: a revoked key stops working within KEY_CACHE_MS.
 */
export function keysIn(sql: Sql): Authenticate {
  const cache = new Map<string, { caller: Caller | null; at: number }>();
  const touchedAt = new Map<string, number>();
  return async (presented) => {
    const now = Date.now();
    let hit = cache.get(presented);
    if (!hit || now - hit.at > KEY_CACHE_MS) {
      const key = await verifyApiKey(sql, presented);
      hit = {
        caller: key && { kind: 'key', keyId: key.id, name: key.name, role: key.role, ...(key.agentId ? { agentId: key.agentId } : {}) },
        at: now,
      };
      if (cache.size > 10_000) cache.clear();
      cache.set(presented, hit);
    }
    if (hit.caller) {
      const id = hit.caller.keyId;
      if (now - (touchedAt.get(id) ?? 0) > TOUCH_EVERY_MS) {
        touchedAt.set(id, now);
        touchApiKey(sql, id).catch((err) => log().warn({ keyId: id, err }, 'could not note the use of an API key'));
      }
    }
    return hit.caller;
  };
}

/** What needs neither a key nor a session: signing in. */
export const OPEN_ROUTES = new Set(['POST /v1/session', 'GET /v1/session/oidc/start', 'GET /v1/session/oidc/callback']);

export const requireCaller: MiddlewareHandler = async (c, next) => {
  if (!c.get('caller') && !OPEN_ROUTES.has(`${c.req.method} ${c.req.path}`)) {
    c.header('www-authenticate', 'Bearer realm="callbacks"');
    const why = c.get('sessionEnded')
      ? 'the session has ended (signed out, idle too long, too old, or the account changed): sign in again'
      : whyUnauthenticated(c.req.header('authorization'), c.req.header('x-api-key'));
    throw problem('unauthenticated', why);
  }
  await next();
};

function whyUnauthenticated(authorization: string | undefined, apiKey: string | undefined): string {
  if (authorization === undefined && apiKey === undefined)
    return 'an API key (Authorization: Bearer <key>) or a signed-in session (POST /v1/session) is required';
  // A key sent without its scheme is not a wrong key: say what the header should look like.
  if (apiKey === undefined && !BEARER.test(authorization!))
    return 'the Authorization header must read Bearer <key> (or send the key alone in X-API-Key)';
  return 'the API key is not valid or has been revoked';
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

function presentedKey(authorization: string | undefined, apiKey: string | undefined): string | undefined {
  const bearer = authorization?.match(BEARER)?.[1];
  return bearer ?? apiKey?.trim();
}
