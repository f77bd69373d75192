// Signing people in and keeping their sessions: password checks with lockout and back-off, the
// session's secret (a cookie) and its CSRF token.
import { createHash, randomBytes } from 'node:crypto';
import type { Sql } from '../db/connect.js';
import { insertSession, recordFailedSignIn, recordSignIn, signInStateForUpdate, touchSession, type SessionRow } from '../db/people.js';
import type { PersonRole } from '../domain/roles.js';
import { decoyHash, verifyPassword } from './passwords.js';
import { problem } from './problem.js';

export interface PeopleRules {
  idleSeconds: number;
  maxSeconds: number;
  lockAfter: number;
  lockSeconds: number;
  lockMaxSeconds: number;
}

export const DEFAULT_PEOPLE_RULES: PeopleRules = {
  idleSeconds: 1800,
  maxSeconds: 43_200,
  lockAfter: 5,
  lockSeconds: 60,
  lockMaxSeconds: 3600,
};

export const sessionHash = (secret: string) => createHash('sha256').update(secret).digest('hex');

export interface NewSession {
  /** The cookie's value: shown to the browser only, kept as its hash. */
  secret: string;
  csrfToken: string;
  personId: string;
  role: PersonRole;
  expiresAt: string;
}

export async function startSession(
  sql: Sql,
  rules: PeopleRules,
  person: { id: string; role: PersonRole },
  method: 'password' | 'oidc',
): Promise<NewSession> {
  const secret = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  await insertSession(sql, { idSha256: sessionHash(secret), personId: person.id, csrfToken, method, maxSeconds: rules.maxSeconds });
  const expiresAt = new Date(Date.now() + rules.maxSeconds * 1000).toISOString();
  return { secret, csrfToken, personId: person.id, role: person.role, expiresAt };
}

export function currentSession(sql: Sql, rules: PeopleRules, secret: string): Promise<SessionRow | null> {
  return touchSession(sql, sessionHash(secret), rules.idleSeconds);
}

/** The lock after the `lockouts`th lockout in a row: doubling from the first, up to the maximum. */
export const lockSecondsAfter = (rules: PeopleRules, lockouts: number) =>
  Math.min(rules.lockMaxSeconds, rules.lockSeconds * 2 ** Math.min(lockouts - 1, 30));

/**
 * Checks a person's password. Every failure reads the same (`sign-in-failed`: no such person,
 * deactivated, no password, or a wrong one), except a locked account (`account-locked`, with when
 * it opens), which is not checked at all while locked. Attempts on one account are counted one at a
 * time (its row is locked while the hash is checked), so parallel guesses cannot slip past the limit.
 */
export async function checkPassword(sql: Sql, rules: PeopleRules, id: string, password: string): Promise<{ id: string; role: PersonRole }> {
  const failed = () => problem('sign-in-failed', 'the name or the password is wrong, or the account cannot sign in with a password');
  const outcome = await sql.begin(async (tx) => {
    const state = await signInStateForUpdate(tx, id);
    if (!state || !state.active || state.passwordHash === null) {
      await verifyPassword(password, await decoyHash());
      return { kind: 'failed' as const };
    }
    if (state.lockedUntil) return { kind: 'locked' as const, until: state.lockedUntil };
    if (await verifyPassword(password, state.passwordHash)) {
      await recordSignIn(tx, id);
      return { kind: 'ok' as const, person: { id: state.id, role: state.role } };
    }
    const failedAttempts = state.failedAttempts + 1;
    if (failedAttempts < rules.lockAfter) {
      await recordFailedSignIn(tx, id, { failedAttempts, lockouts: state.lockouts, lockSeconds: null });
      return { kind: 'failed' as const };
    }
    const lockouts = state.lockouts + 1;
    const lockSeconds = lockSecondsAfter(rules, lockouts);
    await recordFailedSignIn(tx, id, { failedAttempts: 0, lockouts, lockSeconds });
    return { kind: 'locked' as const, until: new Date(Date.now() + lockSeconds * 1000).toISOString() };
  });
  if (outcome.kind === 'ok') return outcome.person;
  if (outcome.kind === 'locked') {
    const retryAfterSeconds = Math.max(1, Math.ceil((Date.parse(outcome.until) - Date.now()) / 1000));
    throw problem('account-locked', 'too many failed sign-ins: the account is locked for a while', {
      lockedUntil: outcome.until,
      retryAfterSeconds,
    });
  }
  throw failed();
}
