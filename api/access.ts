// Who may call what. Every request under /v1 names its API key (`Authorization: Bearer <key>`
// or `X-API-Key`); every route declares, with `route(...)`, what it does and which roles may do
// it. The same declaration documents the route in /openapi.json, so the door and its sign
// cannot disagree.
import type { MiddlewareHandler } from 'hono';
import type { ZodType } from 'zod';
import { touchApiKey, verifyApiKey } from '../db/api-keys.js';
import type { Sql } from '../db/connect.js';
import { ROLES, type Role } from '../domain/roles.js';
import type { ApiDeps } from './deps.js';
import { problem } from './problem.js';
import type { ProblemType } from '../services/problem-types.js';
import { log } from '../telemetry/log.js';

export interface Caller {
  keyId: string;
  /** The key's name: the actor in the audit log. */
  name: string;
  role: Role;
}

declare module 'hono' {
  interface ContextVariableMap {
    caller: Caller;
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
}

export type DocumentedRoute = MiddlewareHandler & { doc: RouteDoc };

/** The route's description and its door: a caller whose role is not listed gets a 403. */
export function route(doc: RouteDoc): DocumentedRoute {
  const guard: MiddlewareHandler = async (c, next) => {
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
export function identify({ sql, authenticate = keysIn(sql) }: Pick<ApiDeps, 'sql' | 'authenticate'>): MiddlewareHandler {
  return async (c, next) => {
    const presented = presentedKey(c.req.header('authorization'), c.req.header('x-api-key'));
    const caller = presented ? await authenticate(presented) : null;
    if (caller) c.set('caller', caller);
    await next();
  };
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
      hit = { caller: key && { keyId: key.id, name: key.name, role: key.role }, at: now };
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

export const requireCaller: MiddlewareHandler = async (c, next) => {
  if (!c.get('caller')) {
    c.header('www-authenticate', 'Bearer realm="callbacks"');
    throw problem('unauthenticated', whyUnauthenticated(c.req.header('authorization'), c.req.header('x-api-key')));
  }
  await next();
};

function whyUnauthenticated(authorization: string | undefined, apiKey: string | undefined): string {
  if (authorization === undefined && apiKey === undefined) return 'an API key is required: Authorization: Bearer <key>';
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
