// Who may call what, through the real API: every route against a key of every role, against no
// key, a wrong key and a revoked one. The table in test/support/access-spec.ts is the
// specification, written out by hand (not read from the code), and the app must have exactly its routes.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../domain/roles.js';
import { ANYONE, ROUTE_ROLES as SPEC } from '../support/access-spec.js';
import { declaredRoutes } from '../support/routes.js';
import { startStack, type Stack } from '../support/stack.js';

/** A path with made-up parameters: nothing it names exists, so an admitted call changes nothing. */
function concrete(path: string): string {
  return path
    .replace(
      /:id\b/,
      path.startsWith('/v1/api-keys') ? '0123456789abcdef' : path.startsWith('/v1/callbacks') ? randomUUID() : 'no-such-area',
    )
    .replace(/:queue\b/, 'no-such-queue')
    .replace(/:area\b/, 'no-such-area')
    .replace(/:name\b/, 'no-such-parameter')
    .replace(/:\w+/g, 'x');
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ withoutWorker: true });
});
afterAll(async () => {
  await stack?.stop();
});

const v1Routes = () =>
  declaredRoutes()
    .filter((r) => r.path.startsWith('/v1/'))
    .map((r) => `${r.method} ${r.path}`);

it('has exactly the routes the table specifies', () => {
  expect(v1Routes().sort()).toEqual(Object.keys(SPEC).sort());
});

describe.each(Object.entries(SPEC))('%s', (route, allowed) => {
  const [method, path] = route.split(' ') as [string, string];
  const send = (headers: Record<string, string>) =>
    fetch(stack.apiUrl + concrete(path), {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: method === 'GET' || method === 'DELETE' ? undefined : '{}',
    }).then(async (res) => ({
      status: res.status,
      body: (res.headers.get('content-type')?.includes('json') ? await res.json() : null) as any,
    }));

  it.each(ROLES)('as %s', async (role: Role) => {
    const reply = await send({ authorization: `Bearer ${stack.keys[role]}` });
    if (allowed === ANYONE || allowed.split(' ').includes(role)) {
      expect(reply.body?.type ?? null, `${role} must be admitted`).not.toBe('forbidden');
      expect(reply.body?.type ?? null).not.toBe('unauthenticated');
      expect(reply.status).toBeLessThan(500);
    } else {
      expect(reply.status).toBe(403);
      expect(reply.body).toMatchObject({ type: 'forbidden', role, allowedRoles: allowed.split(' ') });
    }
  });

  it.skipIf(allowed === ANYONE)('without a key, or with a wrong one', async () => {
    const none = await send({});
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ type: 'unauthenticated' });
    const [, id] = /^cbk_([0-9a-f]{16})_/.exec(stack.keys.admin)!;
    const forged = await send({ 'x-api-key': `cbk_${id}_${'A'.repeat(43)}` });
    expect(forged.status).toBe(401);
  });
});

describe('API keys', () => {
  it('are made by an administrator, shown once, listed without secrets, and stop working when revoked', async () => {
    const name = `crm-${randomUUID().slice(0, 8)}`;
    const made = await stack.api.post('/v1/api-keys', { name, role: 'integration' });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ name, role: 'integration', revokedAt: null, createdBy: stack.actor });
    expect(made.body.key).toMatch(/^cbk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const listed = (await stack.api.get('/v1/api-keys')).body.items.find((k: any) => k.name === name);
    expect(listed).toEqual({ ...made.body, key: undefined, lastUsedAt: null });
    expect(JSON.stringify((await stack.api.get('/v1/api-keys')).body)).not.toContain(made.body.key.slice(-43));
    const [stored] = await stack.sql`select secret_sha256 from api_keys where id = ${made.body.id}`;
    expect(stored!.secretSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(made.body.key).not.toContain(stored!.secretSha256);

    const crm = { authorization: `Bearer ${made.body.key}` };
    expect((await stack.api.get('/v1/parameters', crm)).status).toBe(200);
    expect((await stack.api.put('/v1/parameters/callbackBufferMax', { value: 3 }, crm)).status).toBe(403);
    expect((await stack.api.post('/v1/api-keys', { name: `${name}-2`, role: 'admin' }, crm)).status).toBe(403);

    expect((await stack.api.post('/v1/api-keys', { name, role: 'web' })).body.type).toBe('already-exists');
    expect((await stack.api.post('/v1/api-keys', { name: 'x y', role: 'boss' })).body).toMatchObject({
      status: 400,
      type: 'validation-error',
    });

    const revoked = await stack.api.delete(`/v1/api-keys/${made.body.id}`);
    expect(revoked.body.revokedAt).not.toBeNull();
    // Each API process remembers a verified key for up to 5 s.
    await new Promise((r) => setTimeout(r, 5_500));
    const refused = await stack.api.get('/v1/parameters', crm);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const audit = (await stack.api.get(`/v1/audit?action=api-key-create&limit=200`)).body.items;
    expect(audit.some((e: any) => e.detail.name === name && e.detail.id === made.body.id)).toBe(true);
  });

  it('accept the key as Authorization: Bearer or X-API-Key', async () => {
    expect((await stack.api.get('/v1/queues', { authorization: '', 'x-api-key': stack.keys.agent })).status).toBe(200);
    expect((await stack.api.get('/v1/queues', { authorization: `bearer ${stack.keys.agent}` })).status).toBe(200);
  });
});
