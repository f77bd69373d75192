// The proof-of-work challenges of the customer's page (/callback): the server signs
// {salt, bits, expires}; the browser finds a nonce such that sha256(salt + nonce) starts with
// `bits` zero bits; the request that carries it is admitted once. The signature means the server
// keeps nothing until a challenge is used; PostgreSQL keeps the used ones, so a solved challenge
// buys one request on any API process, and no more.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Sql } from '../db/connect.js';
import { sharedSecret } from '../db/secrets.js';
import { leadingZeroBits } from '../domain/proof-of-work.js';
import { problem } from './problem.js';

/** Long enough for a slow phone to solve it and a customer to fill the form in. */
export const CHALLENGE_TTL_MS = 20 * 60_000;

export interface Challenge {
  salt: string;
  bits: number;
  /** Unix seconds. */
  expires: number;
  /** The server's signature of the three above; the browser returns the challenge as it got it. */
  signature: string;
}

export interface ChallengeIssuer {
  issue(now?: Date): Promise<Challenge>;
  /** Refuses (403 challenge-failed) a forged, expired, unsolved or used challenge; else records its use. */
  redeem(challenge: Challenge, nonce: string, now?: Date): Promise<void>;
}

export function challengeIssuer(sql: Sql, bits: number): ChallengeIssuer {
  let secret: Promise<Buffer> | undefined;
  const key = () =>
    (secret ??= sharedSecret(sql, 'web-challenge').catch((err) => {
      secret = undefined;
      throw err;
    }));
  const sign = async (salt: string, bits: number, expires: number) =>
    createHmac('sha256', await key())
      .update(`${salt}.${bits}.${expires}`)
      .digest();

  return {
    async issue(now = new Date()) {
      const salt = randomBytes(16).toString('base64url');
      const expires = Math.ceil((now.getTime() + CHALLENGE_TTL_MS) / 1000);
      return { salt, bits, expires, signature: (await sign(salt, bits, expires)).toString('base64url') };
    },

    async redeem(challenge, nonce, now = new Date()) {
      const refuse = (why: string) => problem('challenge-failed', why);
      const expected = await sign(challenge.salt, challenge.bits, challenge.expires);
      const given = Buffer.from(challenge.signature, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw refuse('the challenge was not issued here');
      // A challenge issued under a higher setting still counts; one made easier by hand cannot be signed.
      if (challenge.expires * 1000 < now.getTime()) throw refuse('the challenge has expired');
      const digest = createHash('sha256').update(`${challenge.salt}${nonce}`).digest();
      if (leadingZeroBits(digest) < challenge.bits) throw refuse('the challenge is not solved');
      const expiresAt = new Date(challenge.expires * 1000);
      const used = await sql.begin(async (tx) => {
        await tx`delete from web_challenges_used where expires_at < ${now}`;
        return tx`insert into web_challenges_used (salt, expires_at) values (${challenge.salt}, ${expiresAt})
                  on conflict (salt) do nothing returning salt`;
      });
      if (used.length === 0) throw refuse('the challenge has been used already');
    },
  };
}
