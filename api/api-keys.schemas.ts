// What /v1/api-keys answers.
import { z } from 'zod';
import { ROLES } from '../domain/roles.js';
import { utcInstant } from './schemas.js';
import type { ApiKey } from '../db/api-keys.js';

export const apiKey = z
  .strictObject({
    id: z.string().describe("The key's id: the part of the key after `cbk_`, not secret."),
    name: z.string().describe('Who calls with it; the actor in the audit log.'),
    role: z.enum(ROLES).describe('What it may do.'),
    createdAt: utcInstant().describe('When it was made.'),
    createdBy: z.string().describe('Who made it.'),
    revokedAt: utcInstant().nullable().describe('When it was revoked; null while it works.'),
    lastUsedAt: utcInstant().nullable().describe('About when it was last used (noted at most once a minute per API process).'),
    agentId: z.string().nullable().describe("An agent's personal token acts as this agent only; null for a system's key."),
  })
  .describe('An API key, without its secret.');

export const apiKeyList = z.strictObject({ items: z.array(apiKey).describe('Every key, oldest first.') }).describe('The API keys.');

export const createdApiKey = apiKey
  .extend({ key: z.string().describe('The key itself, `cbk_<id>_<secret>`: shown this once, only its hash is kept.') })
  .describe('A new API key, with its secret.');

// The type db/ reads keys as and this schema are one: a change to either fails to compile.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _key: Same<z.infer<typeof apiKey>, ApiKey> = true;
void _key;
