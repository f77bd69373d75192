// The API's edge: a body must be declared JSON and parse; no text may reach PostgreSQL that it
// cannot store, nor a `__proto__` key reach zod; then zod checks the shape. Any failure is a 4xx
// problem naming each field.
import { zValidator } from '@hono/zod-validator';
import type { Context, MiddlewareHandler, ValidationTargets } from 'hono';
import type { ZodType } from 'zod';
import { findUnstorableText } from '../domain/text.js';
import { problem } from './problem.js';

const TARGET_NAMES: Partial<Record<keyof ValidationTargets, string>> = { json: 'request body', param: 'path', query: 'query' };
const nameOf = (target: keyof ValidationTargets) => TARGET_NAMES[target] ?? target;

/** Hono's own rule, so that what passes here is what its validator reads: application/json or any +json. */
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

export const validate = <T extends ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) => {
  const check = zValidator(target, schema, (result) => {
    if (result.success) return;
    throw problem('validation-error', `invalid ${nameOf(target)}`, {
      errors: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  });
  const guarded: typeof check = async (c, next) => {
    if (target === 'json') await readJsonBody(c, schema);
    else if (target === 'query') refuseUnstorable(queryOf(c), 'query');
    else if (target === 'param') refuseUnstorable(c.req.param(), 'path');
    return check(c, next);
  };
  // The same schema describes the route in /openapi.json.
  return Object.assign(guarded, { validation: { target, schema } as Validation });
};

export interface Validation {
  target: keyof ValidationTargets;
  schema: ZodType;
}

/**
 * Reads the body once, and leaves it parsed for the validator and the handler. Without this a body
 * not declared JSON was read as `{}`: a PATCH changed nothing, a copy copied the source as it was.
 */
async function readJsonBody(c: Context, schema: ZodType): Promise<void> {
  const text = await c.req.text();
  let body: unknown = {};
  if (text === '') {
    // Nothing sent: a route whose fields are all optional (closing a record) needs no body.
    const empty = schema.safeParse(body);
    if (!empty.success) {
      throw problem('validation-error', 'a JSON request body is required', {
        errors: empty.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
    }
  } else {
    const mediaType = c.req.header('content-type')?.split(';')[0]?.trim() ?? '';
    if (!JSON_MEDIA_TYPE.test(mediaType)) {
      throw problem(
        'unsupported-media-type',
        `the request body must be JSON (Content-Type: application/json), not ${mediaType || 'undeclared'}`,
      );
    }
    try {
      body = JSON.parse(text);
    } catch {
      throw problem('bad-request', 'the request body is not valid JSON');
    }
    refuseUnstorable(body, 'request body');
  }
  c.req.bodyCache.json = Promise.resolve(body);
}

/** A 400 naming the first string or key PostgreSQL cannot store (domain/text.ts), or a `__proto__` key. */
export function refuseUnstorable(value: unknown, where: string): void {
  const path = findUnstorableText(value);
  if (path === null) return;
  const key = path.split('.').at(-1);
  const message =
    key === '__proto__'
      ? 'a key named __proto__ is not allowed'
      : 'contains a NUL character or half of a UTF-16 surrogate pair, which cannot be stored';
  throw problem('validation-error', `invalid ${where}`, { errors: [{ path, message }] });
}

/**
 * The backstop for every route, validated or not (and for paths no route matches): the decoded
 * path and query string. A NUL in either used to reach PostgreSQL as a parameter, and fail there.
 */
export const storableUrl: MiddlewareHandler = async (c, next) => {
  if (findUnstorableText(c.req.path) !== null) {
    throw problem('validation-error', 'invalid path', {
      errors: [{ path: '', message: 'the path contains a NUL character or half of a UTF-16 surrogate pair' }],
    });
  }
  refuseUnstorable(queryOf(c), 'query');
  await next();
};

/** As the validator reads a query: a parameter given once is a string, so that its path is its name. */
const queryOf = (c: Context) => Object.fromEntries(Object.entries(c.req.queries()).map(([k, v]) => [k, v.length === 1 ? v[0] : v]));
