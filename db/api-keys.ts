// API keys as stored: a name, a role and the SHA-256 of the key's secret. The secret is 256
// random bits, so a fast hash is as good as a slow one: there is nothing to guess from it.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type postgres from 'postgres';
import { z } from 'zod';
import type { Sql } from './connect.js';
import { utcInstant } from '../domain/record-schema.js';
import { ROLES, type Role } from '../domain/roles.js';

type Tx = Sql | postgres.TransactionSql;

export const apiKeySchema = z
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
export type ApiKey = z.infer<typeof apiKeySchema>;

// Never the secret's hash: only verifyApiKey reads that.
const keyColumns = (sql: Tx) => sql`id, name, role, created_at, created_by, revoked_at, last_used_at, agent_id`;

const sha256 = (secret: string) => createHash('sha256').update(secret).digest();

/** `cbk_<id>_<secret>`: the id finds the row, the secret proves the caller holds the key. */
const KEY_FORMAT = /^cbk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/** Makes a key; the returned `key` is the only time its secret exists outside the caller. */
export async function createApiKey(
  sql: Tx,
  input: { name: string; role: Role; createdBy: string; agentId?: string },
): Promise<ApiKey & { key: string }> {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const [row] = await sql<ApiKey[]>`
    insert into api_keys (id, name, role, secret_sha256, created_by, agent_id)
    values (${id}, ${input.name}, ${input.role}, ${sha256(secret).toString('hex')}, ${input.createdBy}, ${input.agentId ?? null})
    returning ${keyColumns(sql)}`;
  return { ...row!, key: `cbk_${id}_${secret}` };
}

export async function listApiKeys(sql: Tx): Promise<ApiKey[]> {
  return sql<ApiKey[]>`select ${keyColumns(sql)} from api_keys order by created_at, id`;
}

export async function findApiKey(sql: Tx, id: string): Promise<ApiKey | null> {
  const [row] = await sql<ApiKey[]>`select ${keyColumns(sql)} from api_keys where id = ${id}`;
  return row ?? null;
}

/** Revoked keys stay listed, so that the audit log's actors can still be told apart. */
export async function revokeApiKey(sql: Tx, id: string): Promise<ApiKey | null> {
  const [row] = await sql<ApiKey[]>`
    update api_keys set revoked_at = coalesce(revoked_at, now()) where id = ${id} returning ${keyColumns(sql)}`;
  return row ?? null;
}

export async function hasActiveAdminKey(sql: Tx): Promise<boolean> {
  const [row] = await sql`select 1 from api_keys where role = 'admin' and revoked_at is null limit 1`;
  return row !== undefined;
}

/**
 * The key a presented string names, if its secret is right and it is not revoked (nor, for an
 * agent's personal token, its agent deactivated). The hashes are compared in constant time; a
 * string that is no key at all is refused before any lookup.
 */
export async function verifyApiKey(sql: Tx, presented: string): Promise<ApiKey | null> {
  const match = KEY_FORMAT.exec(presented);
  if (!match) return null;
  const [, id, secret] = match;
  const [row] = await sql<(ApiKey & { secretSha256: string; agentActive: boolean | null })[]>`
    select ${keyColumns(sql)}, secret_sha256, (select active from agents where agents.id = api_keys.agent_id) as agent_active
    from api_keys where id = ${id!}`;
  if (!row) return null;
  const { secretSha256, agentActive, ...key } = row;
  const right = timingSafeEqual(sha256(secret!), Buffer.from(secretSha256, 'hex'));
  return right && key.revokedAt === null && (key.agentId === null || agentActive === true) ? key : null;
}

export async function touchApiKey(sql: Tx, id: string): Promise<void> {
  await sql`update api_keys set last_used_at = now() where id = ${id}`;
}
