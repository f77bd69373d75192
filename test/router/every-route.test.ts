// Every route of the API, in the test process with nothing behind it: who may call it, what a
// request without a key, with a body that is not JSON or with any invalid field gets, and that
// a refused request reaches neither the database nor Temporal.
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { DescribedRoute } from '../../api/openapi.js';
import { ROLES, type Role } from '../../domain/roles.js';
import { ANYONE, ROUTE_ROLES } from '../support/access-spec.js';
import { routerApp, type Answer } from '../support/router-app.js';
import { declaredRoutes } from '../support/routes.js';

const routes = declaredRoutes().filter((r) => r.path.startsWith('/v1/'));
const api = routerApp();
beforeEach(() => {
  api.calls.length = 0;
});

type Properties = Record<string, { enum?: unknown[]; format?: string }>;
const propertiesOf = (schema: z.ZodType): Properties =>
  (z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Properties }).properties ?? {};

/** Whether `value` in `field` alone makes the schema name that field. */
const refused = (schema: z.ZodType, field: string, value: unknown) =>
  schema.safeParse({ [field]: value }).error?.issues.some((i) => i.path[0] === field) ?? false;

const VALID_PARAMS = [randomUUID(), '0123456789abcdef', '2030-12-24', 'no-such-thing'];
const BAD_PARAMS = ['not valid', 'x'.repeat(300), '-'];
const BAD_QUERY = ['no such value', 'x'.repeat(300), '-1', '0x10', '2030-13-45'];
const BAD_BODY = [12345, 'not valid', -1, 1.5, true, null, [], {}, 'x'.repeat(10_000), '2030-13-45'];

/** The route's path with parameters every validator takes, or `bad` in `field`. */
function pathOf(route: DescribedRoute, bad?: { field: string; value: string }): string {
  const params = route.validations.find((v) => v.target === 'param')?.schema;
  return route.path.replace(/:(\w+)/g, (_, name: string) => {
    if (bad?.field === name) return encodeURIComponent(bad.value);
    const candidates = [...((params && propertiesOf(params)[name]?.enum) ?? []), ...VALID_PARAMS] as string[];
    return encodeURIComponent(candidates.find((value) => !params || !refused(params, name, value)) ?? 'x');
  });
}

const hasBody = (route: DescribedRoute) => route.validations.some((v) => v.target === 'json');
const isOpen = (route: DescribedRoute) => ROUTE_ROLES[`${route.method} ${route.path}`] === ANYONE;
const allowed = (route: DescribedRoute) =>
  (isOpen(route) ? [...ROLES] : ROUTE_ROLES[`${route.method} ${route.path}`]!.split(' ')) as Role[];
const anAllowedRole = (route: DescribedRoute) => (allowed(route).includes('admin') ? 'admin' : allowed(route)[0]!);

function expectProblem(answer: Answer, status: number, type: string) {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(answer.type).toBe('application/problem+json');
  expect(answer.body).toMatchObject({ status, type });
}

it('has exactly the routes the access table specifies', () => {
  expect(routes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(Object.keys(ROUTE_ROLES).sort());
});

describe.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s', (_, route) => {
  const send = (options: Parameters<typeof api.request>[2] = {}) =>
    api.request(route.method, pathOf(route), { json: hasBody(route) ? {} : undefined, ...options });

  it.skipIf(!isOpen(route))('is open to a request without a key: signing in', async () => {
    const none = await send({ as: null });
    expect(none.body?.type ?? null).not.toBe('unauthenticated');
    expect(none.status).toBeLessThan(500);
  });

  it.skipIf(isOpen(route))('refuses a request without a key, or with a wrong one, before anything is done', async () => {
    const none = await send({ as: null });
    expectProblem(none, 401, 'unauthenticated');
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expectProblem(await send({ as: null, headers: { authorization: 'Bearer cbk_wrong' } }), 401, 'unauthenticated');
    expect(api.calls).toEqual([]);
  });

  it.each(ROLES)('as %s', async (role) => {
    const answer = await send({ as: role });
    if (allowed(route).includes(role)) {
      expect(answer.body?.type ?? null, JSON.stringify(answer.body)).not.toBe('unauthenticated');
      expect(answer.body?.type ?? null).not.toBe('forbidden');
      expect(answer.status).toBeLessThan(500);
    } else {
      expectProblem(answer, 403, 'forbidden');
      expect(answer.body).toMatchObject({ role, allowedRoles: allowed(route) });
      expect(api.calls).toEqual([]);
    }
  });

  const params = route.validations.find((v) => v.target === 'param')?.schema;
  const paramFields = Object.keys((params && propertiesOf(params)) ?? {}).flatMap((field) => {
    const value = BAD_PARAMS.find((v) => refused(params!, field, v));
    return value === undefined ? [] : [[field, value] as const];
  });
  it.skipIf(paramFields.length === 0).each(paramFields)('refuses an invalid path parameter %s, naming it', async (field, value) => {
    const answer = await api.request(route.method, pathOf(route, { field, value }), {
      as: anAllowedRole(route),
      json: hasBody(route) ? {} : undefined,
    });
    expectProblem(answer, 400, 'validation-error');
    expect(answer.body.errors.map((e: { path: string }) => e.path)).toContain(field);
    expect(api.calls).toEqual([]);
  });

  const query = route.validations.find((v) => v.target === 'query')?.schema;
  const queryFields = Object.keys((query && propertiesOf(query)) ?? {}).flatMap((field) => {
    const value = BAD_QUERY.find((v) => refused(query!, field, v));
    return value === undefined ? [] : [[field, value] as const];
  });
  it.skipIf(queryFields.length === 0).each(queryFields)('refuses an invalid query parameter %s, naming it', async (field, value) => {
    const answer = await api.request(route.method, `${pathOf(route)}?${new URLSearchParams({ [field]: value })}`, {
      as: anAllowedRole(route),
    });
    expectProblem(answer, 400, 'validation-error');
    expect(answer.body.errors.map((e: { path: string }) => e.path)).toContain(field);
    expect(api.calls).toEqual([]);
  });

  if (!hasBody(route)) return;
  const body = route.validations.find((v) => v.target === 'json')!.schema;

  it('refuses a body that is not declared JSON (415), or is not JSON (400), before anything is done', async () => {
    const as = anAllowedRole(route);
    expectProblem(await send({ as, raw: '{}', contentType: 'text/plain' }), 415, 'unsupported-media-type');
    expectProblem(await send({ as, raw: '{"a": ' }), 400, 'bad-request');
    expect(api.calls).toEqual([]);
  });

  const bodyFields = Object.keys(propertiesOf(body)).flatMap((field) => {
    const value = BAD_BODY.find((v) => refused(body, field, v));
    return value === undefined ? [] : [[field, value] as const];
  });
  it.skipIf(bodyFields.length === 0).each(bodyFields)('refuses an invalid body field %s, naming it', async (field, value) => {
    const answer = await send({ as: anAllowedRole(route), json: { [field]: value } });
    expectProblem(answer, 400, 'validation-error');
    expect(answer.body.errors.map((e: { path: string }) => e.path.split('.')[0])).toContain(field);
    expect(api.calls).toEqual([]);
  });
});
