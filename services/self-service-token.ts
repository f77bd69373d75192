// The token a customer gets when the web page requests a callback: proof, without an account,
// that this callback is theirs. It names the record and when it stops working, signed with
// HMAC-SHA256 under a secret the API processes share; it is checked in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Sql } from '../db/connect.js';
import { sharedSecret } from '../db/secrets.js';
import { problem } from './problem.js';

/** A token outlives its record's validity by a day, and lives 30 days when the record has none. */
const GRACE_MS = 24 * 3600_000;
const WITHOUT_VALIDITY_MS = 30 * 24 * 3600_000;

export interface TokenSigner {
  sign(recordId: string, validUntil: string | null, now?: Date): Promise<string>;
  /** The record id the token names; a 401 problem when it is forged, mangled or out of date. */
  verify(token: string | undefined, now?: Date): Promise<string>;
}

export function tokenSigner(sql: Sql): TokenSigner {
  let secret: Promise<Buffer> | undefined;
  const key = () =>
    (secret ??= sharedSecret(sql, 'self-service-token').catch((err) => {
      secret = undefined;
      throw err;
    }));
  const mac = async (body: string) =>
    createHmac('sha256', await key())
      .update(body)
      .digest();

  return {
    async sign(recordId, validUntil, now = new Date()) {
      const expires = validUntil ? Date.parse(validUntil) + GRACE_MS : now.getTime() + WITHOUT_VALIDITY_MS;
      const body = `${recordId}.${Math.ceil(expires / 1000)}`;
      return `${body}.${(await mac(body)).toString('base64url')}`;
    },

    async verify(token, now = new Date()) {
      const refuse = (why: string) => problem('invalid-callback-token', why);
      if (token === undefined || token === '') throw refuse('the Callback-Token header is required');
      const match = /^([0-9a-f-]{36})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
      if (!match) throw refuse('not a callback token');
      const [, recordId, expires, signature] = match;
      const expected = await mac(`${recordId}.${expires}`);
      if (!timingSafeEqual(expected, Buffer.from(signature!, 'base64url'))) throw refuse('not a callback token');
      if (Number(expires) * 1000 < now.getTime()) throw refuse('the callback token has expired');
      return recordId!;
    },
  };
}
