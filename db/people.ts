// People's accounts and their sessions. A password is kept only as its scrypt hash
// (services/passwords.ts); a session only as the SHA-256 of its cookie's secret.
import type postgres from 'postgres';
import type { Sql } from './connect.js';
import type { PersonRole } from '../domain/roles.js';

type Tx = Sql | postgres.TransactionSql;

export interface Person {
  id: string;
  displayName: string;
  role: PersonRole;
  email: string | null;
  active: boolean;
  /** Whether the person can sign in with a password (else single sign-on only). */
  hasPassword: boolean;
  /** Set while too many failed sign-ins keep the account locked. */
  lockedUntil: string | null;
  /** Whether the person signed in through single sign-on at least once. */
  singleSignOn: boolean;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
}

const personColumns = (sql: Tx) => sql`
  id, display_name, role, email, active, password_hash is not null as has_password,
  case when locked_until > now() then locked_until end as locked_until,
  oidc_subject is not null as single_sign_on, created_at, updated_at, created_by`;

/** A person may work while active, and an agent's account while the agent's directory entry is active too. */
const canWork = (sql: Tx) => sql`(p.active and (p.role <> 'agent' or exists (select 1 from agents a where a.id = p.id and a.active)))`;

export async function findPerson(sql: Tx, id: string): Promise<Person | null> {
  const [row] = await sql<Person[]>`select ${personColumns(sql)} from people where id = ${id}`;
  return row ?? null;
}

export async function listPeople(sql: Tx): Promise<Person[]> {
  return sql<Person[]>`select ${personColumns(sql)} from people order by id`;
}

export interface NewPerson {
  id: string;
  displayName: string;
  role: PersonRole;
  email: string | null;
  passwordHash: string | null;
  oidcSubject?: string | null;
  createdBy: string;
}

/** null: a person with this id (or email, or identity) exists. */
export async function insertPerson(sql: Tx, p: NewPerson): Promise<Person | null> {
  const [row] = await sql<Person[]>`
    insert into people (id, display_name, role, email, password_hash, password_changed_at, oidc_subject, created_by)
    values (${p.id}, ${p.displayName}, ${p.role}, ${p.email}, ${p.passwordHash},
      ${p.passwordHash ? sql`now()` : null}, ${p.oidcSubject ?? null}, ${p.createdBy})
    on conflict do nothing
    returning ${personColumns(sql)}`;
  return row ?? null;
}

export async function updatePerson(
  sql: Tx,
  id: string,
  changes: { displayName?: string; role?: PersonRole; email?: string | null; active?: boolean },
): Promise<Person | null> {
  const set = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
  const [row] = Object.keys(set).length
    ? await sql<Person[]>`update people set ${sql(set)}, updated_at = now() where id = ${id} returning ${personColumns(sql)}`
    : await sql<Person[]>`select ${personColumns(sql)} from people where id = ${id}`;
  return row ?? null;
}

/** A new password (an administrator's reset): the lock goes, and so does every session. */
export async function setPassword(sql: Tx, id: string, passwordHash: string): Promise<Person | null> {
  const [row] = await sql<Person[]>`
    update people set password_hash = ${passwordHash}, password_changed_at = now(), failed_attempts = 0,
      lockouts = 0, locked_until = null, updated_at = now()
    where id = ${id} returning ${personColumns(sql)}`;
  if (row) await endSessionsOf(sql, id);
  return row ?? null;
}

export interface SignInState {
  id: string;
  role: PersonRole;
  active: boolean;
  passwordHash: string | null;
  failedAttempts: number;
  lockouts: number;
  /** Null when not locked now. */
  lockedUntil: string | null;
}

/** The person's sign-in state, locked for this transaction so that parallel attempts count one by one. */
export async function signInStateForUpdate(sql: postgres.TransactionSql, id: string): Promise<SignInState | null> {
  const [row] = await sql<SignInState[]>`
    select id, role, ${canWork(sql)} as active, password_hash, failed_attempts, lockouts,
      case when locked_until > now() then locked_until end as locked_until
    from people p where id = ${id} for update of p`;
  return row ?? null;
}

export async function recordFailedSignIn(
  sql: postgres.TransactionSql,
  id: string,
  next: { failedAttempts: number; lockouts: number; lockSeconds: number | null },
): Promise<void> {
  await sql`
    update people set failed_attempts = ${next.failedAttempts}, lockouts = ${next.lockouts},
      locked_until = ${next.lockSeconds === null ? null : sql`now() + make_interval(secs => ${next.lockSeconds})`}
    where id = ${id}`;
}

export async function recordSignIn(sql: Tx, id: string): Promise<void> {
  await sql`update people set failed_attempts = 0, lockouts = 0, locked_until = null where id = ${id}`;
}

/** The person a single sign-on identity belongs to, by the identity, else by email. */
export async function findPersonForSignOn(
  sql: Tx,
  subject: string,
  email: string | null,
): Promise<(Person & { oidcSubject: string | null }) | null> {
  const [bySubject] = await sql<(Person & { oidcSubject: string | null })[]>`
    select ${personColumns(sql)}, oidc_subject from people where oidc_subject = ${subject}`;
  if (bySubject) return bySubject;
  if (email === null) return null;
  const [byEmail] = await sql<(Person & { oidcSubject: string | null })[]>`
    select ${personColumns(sql)}, oidc_subject from people where lower(email) = lower(${email})`;
  return byEmail ?? null;
}

/** What single sign-on learned at a sign-in: the identity, and the role the provider's claim gives. */
export async function linkSignOn(sql: Tx, id: string, subject: string, role: PersonRole): Promise<void> {
  await sql`update people set oidc_subject = ${subject}, role = ${role}, updated_at = now() where id = ${id}`;
}

export interface SessionRow {
  personId: string;
  role: PersonRole;
  displayName: string;
  csrfToken: string;
  method: 'password' | 'oidc';
  createdAt: string;
  expiresAt: string;
  lastSeenAt: string;
}

export async function insertSession(
  sql: Tx,
  s: { idSha256: string; personId: string; csrfToken: string; method: 'password' | 'oidc'; maxSeconds: number },
): Promise<void> {
  await sql`
    insert into sessions (id_sha256, person_id, csrf_token, method, expires_at)
    values (${s.idSha256}, ${s.personId}, ${s.csrfToken}, ${s.method}, now() + make_interval(secs => ${s.maxSeconds}))`;
}

/**
 * The session of this hash if it has not expired, been idle too long, or lost its person; its
 * last use moves to now. An expired session is deleted on the way.
 */
export async function touchSession(sql: Tx, idSha256: string, idleSeconds: number): Promise<SessionRow | null> {
  const [row] = await sql<SessionRow[]>`
    update sessions s set last_seen_at = now()
    from people p
    where s.id_sha256 = ${idSha256} and p.id = s.person_id and ${canWork(sql)}
      and s.expires_at > now() and s.last_seen_at > now() - make_interval(secs => ${idleSeconds})
    returning s.person_id, p.role, p.display_name, s.csrf_token, s.method, s.created_at, s.expires_at, s.last_seen_at`;
  if (!row) await sql`delete from sessions where id_sha256 = ${idSha256}`;
  return row ?? null;
}

export async function deleteSession(sql: Tx, idSha256: string): Promise<void> {
  await sql`delete from sessions where id_sha256 = ${idSha256}`;
}

export async function endSessionsOf(sql: Tx, personId: string): Promise<number> {
  return (await sql`delete from sessions where person_id = ${personId}`).count;
}

export async function forgetExpiredSessions(sql: Tx, idleSeconds: number): Promise<number> {
  const gone = await sql`
    delete from sessions where expires_at <= now() or last_seen_at <= now() - make_interval(secs => ${idleSeconds})`;
  await sql`delete from oidc_logins where created_at < now() - interval '10 minutes'`;
  return gone.count;
}

export async function insertOidcLogin(sql: Tx, l: { state: string; nonce: string; codeVerifier: string; returnTo: string | null }) {
  await sql`insert into oidc_logins (state, nonce, code_verifier, return_to) values (${l.state}, ${l.nonce}, ${l.codeVerifier}, ${l.returnTo})`;
}

/** The login this state began, used once: it is gone after this, whatever comes of it. */
export async function takeOidcLogin(
  sql: Tx,
  state: string,
): Promise<{ nonce: string; codeVerifier: string; returnTo: string | null } | null> {
  const [row] = await sql<{ nonce: string; codeVerifier: string; returnTo: string | null }[]>`
    delete from oidc_logins where state = ${state} and created_at > now() - interval '10 minutes'
    returning nonce, code_verifier, return_to`;
  return row ?? null;
}
