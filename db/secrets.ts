// Secrets every API process must share, made once by whichever process needs one first.
import { randomBytes } from 'node:crypto';
import type { Sql } from './connect.js';

export async function sharedSecret(sql: Sql, name: string): Promise<Buffer> {
  await sql`insert into api_secrets (name, value) values (${name}, ${randomBytes(32).toString('base64url')}) on conflict (name) do nothing`;
  const [row] = await sql<{ value: string }[]>`select value from api_secrets where name = ${name}`;
  return Buffer.from(row!.value, 'base64url');
}
