// API keys as stored: a name, a role and the SHA-256 of the key's secret. The secret is 256
// random bits, so a fast hash is as good as a slow one: there is nothing to guess from it.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type postgres from 'postgres';
import type { Sql } from './connect.js';
import type { Role } from '../domain/roles.js';

type Tx = Sql | postgres.TransactionSql;

export interface ApiKey {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

interface KeyRow {
  id: string;
  name: string;
  role: Role;
  secret_sha256: string;
  created_at: Date;
  created_by: string;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

const toKey = (r: KeyRow): ApiKey => ({
  id: r.id,
  name: r.name,
  role: r.role,
  createdAt: r.created_at.toISOString(),
  createdBy: r.created_by,
  revokedAt: r.revoked_at?.toISOString() ?? null,
  lastUsedAt: r.last_used_at?.toISOString() ?? null,
});

const sha256 = (secret: string) => createHash('sha256').update(secret).digest();

/** `cbk_<id>_<secret>`: the id finds the row, the secret proves the caller holds the key. */
const KEY_FORMAT = /^cbk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/** Makes a key; the returned `key` is the only time its secret exists outside the caller. */
export async function createApiKey(sql: Tx, input: { name: string; role: Role; createdBy: string }): Promise<ApiKey & { key: string }> {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const [row] = await sql<KeyRow[]>`
    insert into api_keys (id, name, role, secret_sha256, created_by)
    values (${id}, ${input.name}, ${input.role}, ${sha256(secret).toString('hex')}, ${input.createdBy})
    returning *`;
  return { ...toKey(row!), key: `cbk_${id}_${secret}` };
}

export async function listApiKeys(sql: Tx): Promise<ApiKey[]> {
  return (await sql<KeyRow[]>`select * from api_keys order by created_at, id`).map(toKey);
}

export async function findApiKey(sql: Tx, id: string): Promise<ApiKey | null> {
  const [row] = await sql<KeyRow[]>`select * from api_keys where id = ${id}`;
  return row ? toKey(row) : null;
}

/** Revoked keys stay listed, so that the audit log's actors can still be told apart. */
export async function revokeApiKey(sql: Tx, id: string): Promise<ApiKey | null> {
  const [row] = await sql<KeyRow[]>`
    update api_keys set revoked_at = coalesce(revoked_at, now()) where id = ${id} returning *`;
  return row ? toKey(row) : null;
}

export async function hasActiveAdminKey(sql: Tx): Promise<boolean> {
  const [row] = await sql`select 1 from api_keys where role = 'admin' and revoked_at is null limit 1`;
  return row !== undefined;
}

/**
 * The key a presented string names, if its secret is right and it is not revoked. The hashes are
 * compared in constant time; a string that is no key at all is refused before any lookup.
 */
export async function verifyApiKey(sql: Tx, presented: string): Promise<ApiKey | null> {
  const match = KEY_FORMAT.exec(presented);
  if (!match) return null;
  const [, id, secret] = match;
  const [row] = await sql<KeyRow[]>`select * from api_keys where id = ${id!}`;
  if (!row) return null;
  const right = timingSafeEqual(sha256(secret!), Buffer.from(row.secret_sha256, 'hex'));
  return right && row.revoked_at === null ? toKey(row) : null;
}

export async function touchApiKey(sql: Tx, id: string): Promise<void> {
  await sql`update api_keys set last_used_at = now() where id = ${id}`;
}
