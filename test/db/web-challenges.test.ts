// The customer page's proof-of-work challenges against the real database: a solved challenge buys
// exactly one request, also when many arrive at once on different connections; an expired or
// altered one buys none; used challenges are forgotten once they expire.
import { createHash } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { leadingZeroBits } from '../../domain/proof-of-work.js';
import { ProblemError } from '../../services/problem.js';
import { CHALLENGE_TTL_MS, challengeIssuer, type Challenge } from '../../services/web-challenge.js';
import { testSql } from '../support/stack.js';

const sql = testSql();
afterAll(() => sql.end());

const solve = ({ salt, bits }: Challenge) => {
  for (let nonce = 0; ; nonce++) if (leadingZeroBits(createHash('sha256').update(`${salt}${nonce}`).digest()) >= bits) return String(nonce);
};
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (err: unknown) => (err instanceof ProblemError ? `${err.problem.type}: ${err.problem.title}` : String(err)),
  );

it('admits a solved challenge once, whichever of many parallel requests comes first', async () => {
  const issuer = challengeIssuer(sql, 8);
  const challenge = await issuer.issue();
  const nonce = solve(challenge);
  // Two issuers: two API processes sharing the database.
  const other = challengeIssuer(sql, 8);
  const results = await Promise.all(Array.from({ length: 10 }, (_, i) => refusal((i % 2 ? other : issuer).redeem(challenge, nonce))));
  expect(results.filter((r) => r === null)).toHaveLength(1);
  expect(new Set(results.filter((r) => r !== null))).toEqual(new Set(['challenge-failed: the challenge has been used already']));
});

it('refuses an expired, altered or unsolved challenge, and forgets used ones after their expiry', async () => {
  const issuer = challengeIssuer(sql, 8);
  const old = await issuer.issue(new Date(Date.now() - CHALLENGE_TTL_MS - 5_000));
  expect(await refusal(issuer.redeem(old, solve(old)))).toBe('challenge-failed: the challenge has expired');
  const fresh = await issuer.issue();
  expect(await refusal(issuer.redeem({ ...fresh, bits: 0 }, '0'))).toBe('challenge-failed: the challenge was not issued here');
  expect(await refusal(issuer.redeem({ ...fresh, salt: fresh.salt.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) }, solve(fresh)))).toBe(
    'challenge-failed: the challenge was not issued here',
  );
  let wrong = 0;
  while (leadingZeroBits(createHash('sha256').update(`${fresh.salt}${wrong}`).digest()) >= fresh.bits) wrong++;
  expect(await refusal(issuer.redeem(fresh, String(wrong)))).toBe('challenge-failed: the challenge is not solved');

  expect(await refusal(issuer.redeem(fresh, solve(fresh)))).toBeNull();
  expect((await sql`select 1 from web_challenges_used where salt = ${fresh.salt}`).length).toBe(1);

  // A used challenge past its expiry is refused for that anyway: the next use forgets it.
  const expiredSalt = `expired-${fresh.salt.slice(8)}`;
  await sql`insert into web_challenges_used (salt, expires_at) values (${expiredSalt}, now() - interval '1 second')`;
  const next = await issuer.issue();
  expect(await refusal(issuer.redeem(next, solve(next)))).toBeNull();
  expect((await sql`select 1 from web_challenges_used where salt = ${expiredSalt}`).length).toBe(0);
  expect((await sql`select 1 from web_challenges_used where salt = ${fresh.salt}`).length).toBe(1);
});
