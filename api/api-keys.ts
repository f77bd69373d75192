// /v1/api-keys: the administrator makes a key for each system that calls the API, and revokes it.
import { Hono } from 'hono';
import { z } from 'zod';
import { createApiKey, findApiKey, listApiKeys, revokeApiKey } from '../db/api-keys.js';
import { writeAudit } from '../db/audit.js';
import { keyName, ROLES } from '../domain/roles.js';
import { AUDITED, route, ROLE_SETS } from './access.js';
import { actorOf } from './actor.js';
import type { ApiDeps } from './deps.js';
import { problem } from './problem.js';
import { apiKey, apiKeyList, createdApiKey } from './api-keys.schemas.js';
import { validate } from './validate.js';

const createKey = z.strictObject({
  name: keyName.describe('Who calls with it, e.g. ivr-stockholm or crm-prod: the actor in the audit log'),
  role: z.enum(ROLES).describe('What it may do: ivr, web, agent, admin or integration'),
});
const idParam = z.object({
  id: z
    .string()
    .regex(/^[0-9a-f]{16}$/, 'a key id')
    .describe("The key's id (not its secret)"),
});

const routes = {
  list: route({
    summary: 'List API keys',
    description: 'Revoked keys included; never a secret.',
    roles: ROLE_SETS.admin,
    responses: { 200: { description: 'Every key', schema: apiKeyList } },
  }),
  create: route({
    summary: 'Make an API key',
    description: 'The answer holds the key itself (`key`), the only time it is shown: only a hash of it is kept.',
    roles: ROLE_SETS.admin,
    responses: { 201: { description: 'The key, with its secret', schema: createdApiKey } },
    problems: ['already-exists'],
    headers: AUDITED,
  }),
  read: route({
    summary: 'Read an API key',
    roles: ROLE_SETS.admin,
    responses: { 200: { description: 'The key, without its secret', schema: apiKey } },
    problems: ['not-found'],
  }),
  revoke: route({
    summary: 'Revoke an API key',
    description: 'It stops working within seconds (each API process remembers a verified key for 5 s); it stays listed.',
    roles: ROLE_SETS.admin,
    responses: { 200: { description: 'The key, revoked', schema: apiKey } },
    problems: ['not-found', 'last-admin-key'],
    headers: AUDITED,
  }),
};

export function apiKeysRouter({ sql }: ApiDeps) {
  return new Hono()
    .get('/', routes.list, async (c) => c.json({ items: await listApiKeys(sql) }))

    .post('/', routes.create, validate('json', createKey), async (c) => {
      const actor = actorOf(c);
      const input = c.req.valid('json');
      const taken = () => problem('already-exists', `a key named ${input.name} exists`);
      const made = await sql
        .begin(async (tx) => {
          if ((await tx`select 1 from api_keys where name = ${input.name}`).length) throw taken();
          const key = await createApiKey(tx, { ...input, createdBy: actor });
          await writeAudit(tx, { actor, action: 'api-key-create', detail: { id: key.id, name: key.name, role: key.role }, result: 'ok' });
          return key;
        })
        .catch((err: unknown) => {
          // Two requests for one name at once both pass the check above; the unique index decides.
          throw (err as { code?: string }).code === '23505' ? taken() : err;
        });
      c.header('location', `/v1/api-keys/${made.id}`);
      return c.json(made, 201);
    })

    .get('/:id', routes.read, validate('param', idParam), async (c) => {
      const key = await findApiKey(sql, c.req.valid('param').id);
      if (!key) throw problem('not-found', 'no API key with this id');
      return c.json(key);
    })

    .delete('/:id', routes.revoke, validate('param', idParam), async (c) => {
      const actor = actorOf(c);
      const { id } = c.req.valid('param');
      const revoked = await sql.begin(async (tx) => {
        // One at a time, so that two administrators cannot revoke the last two admin keys together.
        await tx`select pg_advisory_xact_lock(hashtext('api-key-revoke'))`;
        const key = await findApiKey(tx, id);
        if (!key) throw problem('not-found', 'no API key with this id');
        if (key.role === 'admin' && key.revokedAt === null) {
          const [admins] = await tx<{ n: number }[]>`select count(*)::int as n from api_keys where role = 'admin' and revoked_at is null`;
          if (admins!.n <= 1) throw problem('last-admin-key', 'this is the last admin key: make another before revoking it');
        }
        const done = await revokeApiKey(tx, id);
        await writeAudit(tx, { actor, action: 'api-key-revoke', detail: { id, name: key.name }, result: 'ok' });
        return done!;
      });
      return c.json(revoked);
    });
}
