// /v1/people: the accounts people sign in with. Administrators make them, change their role,
// deactivate them and set a new password (ending the person's sessions).
import { Hono } from 'hono';
import { z } from 'zod';
import { findAgent } from '../db/agents.js';
import { endSessionsOf, findPerson, insertPerson, listPeople, setPassword, updatePerson } from '../db/people.js';
import { hashPassword } from '../services/passwords.js';
import { AUDITED, route, ROLE_SETS } from './access.js';
import { actorOf } from './actor.js';
import { auditedChange } from './audited.js';
import type { ApiDeps } from './deps.js';
import { changePerson, createPerson, password, personId, personList, personView } from './people.schemas.js';
import { problem } from './problem.js';
import { validate } from './validate.js';

const idParam = z.object({ id: personId.describe("The person's id") });

const routes = {
  list: route({
    summary: 'List people with accounts',
    roles: ROLE_SETS.admin,
    responses: { 200: { description: 'Everyone, by id', schema: personList } },
  }),
  create: route({
    summary: 'Make an account',
    description:
      "An agent's account has the id of the agent's directory entry, which must exist. Without a password the person signs in through single sign-on only.",
    roles: ROLE_SETS.admin,
    responses: { 201: { description: 'The account', schema: personView } },
    problems: ['already-exists', 'unknown-agent'],
    headers: AUDITED,
  }),
  read: route({
    summary: 'Read an account',
    roles: ROLE_SETS.admin,
    responses: { 200: { description: 'The account', schema: personView } },
    problems: ['not-found'],
  }),
  change: route({
    summary: 'Change an account',
    description: "Name, role, email, active. Deactivating ends the person's sessions; so does a change of role.",
    roles: ROLE_SETS.admin,
    responses: { 200: { description: 'The account as changed', schema: personView } },
    problems: ['not-found', 'unknown-agent', 'already-exists'],
    headers: AUDITED,
  }),
  password: route({
    summary: "Set a person's password",
    description:
      'An administrator gives a new (temporary) password: the lock after failed sign-ins goes, and every session of the person ends.',
    roles: ROLE_SETS.admin,
    responses: { 200: { description: 'The account', schema: personView } },
    problems: ['not-found'],
    headers: AUDITED,
  }),
};

export function peopleRouter({ sql }: ApiDeps) {
  async function requireAgent(id: string) {
    if (!(await findAgent(sql, id))) {
      throw problem('unknown-agent', `no agent ${id} in the directory: an agent's account has its agent's id`, {
        errors: [{ path: 'id', message: 'no agent of this id' }],
      });
    }
  }
  const taken = (err: unknown) => {
    if ((err as { code?: string }).code === '23505') throw problem('already-exists', 'a person with this id or email exists');
    throw err;
  };

  return new Hono()
    .get('/', routes.list, async (c) => c.json({ items: await listPeople(sql) }))

    .post('/', routes.create, validate('json', createPerson), async (c) => {
      const actor = actorOf(c);
      const input = c.req.valid('json');
      const agent = input.role === 'agent' ? await findAgent(sql, input.id) : null;
      if (input.role === 'agent' && !agent) await requireAgent(input.id);
      const displayName = input.displayName ?? agent?.displayName ?? input.id;
      const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
      const made = await auditedChange(
        sql,
        async (tx) => {
          const person = await insertPerson(tx, {
            id: input.id,
            displayName,
            role: input.role,
            email: input.email,
            passwordHash,
            createdBy: actor,
          });
          if (!person) throw problem('already-exists', `a person with the id ${input.id} or this email exists`);
          return person;
        },
        (p) => ({ actor, action: 'person-create', detail: { id: p.id, role: p.role, email: p.email, hasPassword: p.hasPassword } }),
      ).catch(taken);
      c.header('location', `/v1/people/${made.id}`);
      return c.json(made, 201);
    })

    .get('/:id', routes.read, validate('param', idParam), async (c) => {
      const person = await findPerson(sql, c.req.valid('param').id);
      if (!person) throw problem('not-found', 'no person with this id');
      return c.json(person);
    })

    .patch('/:id', routes.change, validate('param', idParam), validate('json', changePerson), async (c) => {
      const actor = actorOf(c);
      const { id } = c.req.valid('param');
      const changes = c.req.valid('json');
      const before = await findPerson(sql, id);
      if (!before) throw problem('not-found', 'no person with this id');
      if (changes.role === 'agent' && before.role !== 'agent') await requireAgent(id);
      const after = await auditedChange(
        sql,
        async (tx) => {
          const changed = (await updatePerson(tx, id, changes))!;
          if (changed.active === false || changed.role !== before.role) await endSessionsOf(tx, id);
          return changed;
        },
        () => ({ actor, action: 'person-change', detail: { id, changes } }),
      ).catch(taken);
      return c.json(after);
    })

    .post(
      '/:id/password',
      routes.password,
      validate('param', idParam),
      validate('json', z.strictObject({ password: password.describe('The new password, at least 12 characters') })),
      async (c) => {
        const actor = actorOf(c);
        const { id } = c.req.valid('param');
        if (!(await findPerson(sql, id))) throw problem('not-found', 'no person with this id');
        const hash = await hashPassword(c.req.valid('json').password);
        const person = await auditedChange(
          sql,
          async (tx) => (await setPassword(tx, id, hash))!,
          () => ({ actor, action: 'person-password-set', detail: { id } }),
        );
        return c.json(person);
      },
    );
}
