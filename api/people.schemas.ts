// What /v1/agents, /v1/people and /v1/session take and answer.
import { z } from 'zod';
import { PERSON_ROLES, ROLES } from '../domain/roles.js';
import type { Agent } from '../db/agents.js';
import type { Person } from '../db/people.js';
import { agentId, queueName, utcInstant } from './schemas.js';

/** An agent's or a person's id; `me` names the caller in paths, so nobody is called that. */
export const personId = agentId.refine((id) => id !== 'me', 'me is reserved');

export const languageTag = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a language tag such as sv or en-GB');

/** A phone number (digits, spaces, dashes, brackets, a leading +) or a device's URI (sip:…, tel:…, a softphone's). */
export const dialAddress = z
  .string()
  .trim()
  .max(200)
  .regex(/^(\+?[\d ()-]{3,32}|[a-z][a-z0-9+.-]*:\S{1,190})$/i, 'a phone number, or a device address such as sip:anna@pbx.example');

export const agentQueue = z.strictObject({
  queue: queueName.describe('A queue the agent serves'),
  priority: z.int().min(1).max(99).nullable().default(null).describe('Routing priority in this queue: 1 is offered first; null: none'),
});

const agentQueues = z
  .array(agentQueue)
  .max(200)
  .refine((qs) => new Set(qs.map((q) => q.queue)).size === qs.length, 'a queue is listed twice');

export const agentFields = {
  displayName: z.string().trim().min(1).max(100).describe("The agent's name as people read it"),
  queues: agentQueues.describe('The queues the agent serves, each with an optional routing priority'),
  languages: z.array(languageTag).max(20).describe('Languages the agent speaks, BCP 47 tags (sv, en-GB)'),
  address: dialAddress
    .nullable()
    .describe("Where the dialler reaches the agent: a phone number or a device address; null: the dialler's default"),
  email: z.email().max(254).nullable().describe("The agent's email: single sign-on finds the agent by it"),
  active: z.boolean().describe('Whether the agent works here: a deactivated agent cannot sign in, and their tokens stop working'),
};

export const createAgent = z.strictObject({
  id: personId.describe("The agent's id, as the desktop platform and the records' history name them"),
  displayName: agentFields.displayName,
  queues: agentFields.queues.default([]),
  languages: agentFields.languages.default([]),
  address: agentFields.address.default(null),
  email: agentFields.email.default(null),
  active: agentFields.active.default(true),
});

export const changeAgent = z.strictObject(agentFields).partial();

export const agentView = z
  .strictObject({
    id: z.string().describe("The agent's id."),
    displayName: z.string().describe("The agent's name."),
    queues: z
      .array(
        z.strictObject({
          queue: z.string().describe('A queue the agent serves.'),
          priority: z.int().nullable().describe('Routing priority there (1 first); null: none.'),
        }),
      )
      .describe('The queues the agent serves, by name.'),
    languages: z.array(z.string()).describe('Languages the agent speaks.'),
    address: z.string().nullable().describe('Where the dialler reaches the agent.'),
    email: z.string().nullable().describe("The agent's email, for single sign-on."),
    active: z.boolean().describe('Whether the agent works here.'),
    createdAt: utcInstant().describe('When the entry was made.'),
    updatedAt: utcInstant().describe('When it last changed.'),
  })
  .describe('An agent of the directory.');

export const agentList = z.strictObject({ items: z.array(agentView).describe('The agents, by id.') }).describe('Agents of the directory.');

export const agentImportResult = z
  .strictObject({
    created: z.array(z.string()).describe('Ids of the agents the file added.'),
    updated: z.array(z.string()).describe('Ids of the agents the file replaced.'),
  })
  .describe('What a CSV import did: every row, or (refused) none.');

export const password = z.string().min(12, 'at least 12 characters').max(200).describe('At least 12 characters');

export const createPerson = z.strictObject({
  id: personId.describe("The person's sign-in name; an agent's account has the agent's id"),
  role: z
    .enum(PERSON_ROLES)
    .describe(
      'agent: works records as the agent of the same id; supervisor: watches queues and agents, reads records, configuration and statistics; admin: everything an admin key may',
    ),
  displayName: z.string().trim().min(1).max(100).optional().describe("The person's name; an agent's by default"),
  email: z.email().max(254).nullable().default(null).describe("For single sign-on: the provider's email claim finds the person by it"),
  password: password
    .optional()
    .describe('A first password (at least 12 characters); without one the person signs in through single sign-on only'),
});

export const changePerson = z
  .strictObject({
    displayName: z.string().trim().min(1).max(100).describe("The person's name"),
    role: z.enum(PERSON_ROLES).describe('agent, supervisor or admin'),
    email: z.email().max(254).nullable().describe('For single sign-on'),
    active: z.boolean().describe('false: the person cannot sign in, and their sessions end'),
  })
  .partial();

export const personView = z
  .strictObject({
    id: z.string().describe("The person's sign-in name."),
    displayName: z.string().describe("The person's name."),
    role: z.enum(PERSON_ROLES).describe('agent, supervisor or admin.'),
    email: z.string().nullable().describe("The person's email."),
    active: z.boolean().describe('Whether the person may sign in.'),
    hasPassword: z.boolean().describe('Whether the person has a password (else single sign-on only).'),
    lockedUntil: utcInstant().nullable().describe('Until when failed sign-ins keep the account locked; null: not locked.'),
    singleSignOn: z.boolean().describe('Whether the person has signed in through single sign-on.'),
    createdAt: utcInstant().describe('When the account was made.'),
    updatedAt: utcInstant().describe('When it last changed.'),
    createdBy: z.string().describe('Who made it (`single-sign-on` for an account made at a first sign-on).'),
  })
  .describe('A person with an account.');

export const personList = z.strictObject({ items: z.array(personView).describe('Everyone with an account, by id.') }).describe('People.');

export const signIn = z.strictObject({
  id: personId.describe('Your sign-in name'),
  password: z.string().min(1).max(200).describe('Your password'),
});

export const sessionView = z
  .strictObject({
    kind: z.enum(['person', 'key']).describe('A signed-in person (session cookie), or an API key.'),
    role: z.enum(ROLES).describe('What the caller may do.'),
    name: z.string().describe("The actor in the audit log: `person:<id>`, or the key's name."),
    agentId: z.string().nullable().describe('The agent the caller acts as (a signed-in agent, a personal token); null for others.'),
    person: personView.nullable().describe('The signed-in person; null for a key.'),
    csrfToken: z
      .string()
      .nullable()
      .describe('Send as X-CSRF-Token with every request that changes anything; null for a key (none needed).'),
    method: z.enum(['password', 'oidc']).nullable().describe('How the person signed in.'),
    expiresAt: utcInstant()
      .nullable()
      .describe(
        `When the session ends however busy (SESSION_MAX_SECONDS after sign-in); it ends sooner when idle longer than SESSION_IDLE_SECONDS.`,
      ),
  })
  .describe('Who is calling.');

// The types db/ reads and these schemas are one: a change to either fails to compile.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _agent: Same<z.infer<typeof agentView>, Agent> = true;
const _person: Same<z.infer<typeof personView>, Person> = true;
void [_agent, _person];
