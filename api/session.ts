// /v1/session: people sign in (password, or single sign-on through OpenID Connect), see who they
// are signed in as, and sign out. The session is a cookie (HttpOnly, SameSite=Lax, Secure except
// on localhost) holding a random secret whose hash is the session's row; requests that change
// anything also carry the session's CSRF token (api/access.ts).
import { signOff } from '../db/presence.js';
import { Hono, type Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { deleteSession, findPerson } from '../db/people.js';
import { ROLES } from '../domain/roles.js';
import { checkPassword, DEFAULT_PEOPLE_RULES, startSession, type NewSession } from '../services/people.js';
import { route, SESSION_COOKIE } from './access.js';
import type { ApiDeps } from './deps.js';
import { sessionView, signIn } from './people.schemas.js';
import { problem } from './problem.js';
import { validate } from './validate.js';
import { writeAudit } from '../db/audit.js';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** A path of this site to return to after single sign-on: `/…`, never `//host/…`, which a browser reads as another site. */
const localPath = z
  .string()
  .max(500)
  .regex(/^\/(?![/\\])[^\s]*$/, 'a path of this site, starting with one /');

const routes = {
  signIn: route({
    summary: 'Sign in with a password',
    description:
      'Sets the session cookie and answers who is signed in, with the CSRF token every request that changes anything must send ' +
      'as X-CSRF-Token. After LOGIN_LOCK_AFTER failures in a row the account is locked, for LOGIN_LOCK_SECONDS and twice as long ' +
      'with each further lock (up to LOGIN_LOCK_MAX_SECONDS).',
    roles: ROLES,
    open: true,
    responses: { 200: { description: 'Signed in', schema: sessionView } },
    problems: ['sign-in-failed', 'account-locked', 'csrf-refused'],
  }),
  who: route({
    summary: 'Who is calling',
    description: 'The signed-in person and their session (with its CSRF token), or the API key.',
    roles: ROLES,
    responses: { 200: { description: 'The caller', schema: sessionView } },
  }),
  signOut: route({
    summary: 'Sign out',
    description: 'Ends the session and clears its cookie. With an API key there is nothing to end.',
    roles: ROLES,
    responses: { 204: { description: 'Signed out' } },
    problems: ['csrf-refused'],
  }),
  oidcStart: route({
    summary: 'Begin single sign-on',
    description:
      'Redirects the browser to the identity provider (OpenID Connect, authorization code with PKCE). `returnTo`: where to go afterwards.',
    roles: ROLES,
    open: true,
    responses: { 200: { description: 'Never: the answer is a 302 redirect to the provider' } },
    problems: ['sign-on-not-configured', 'sign-on-failed'],
  }),
  oidcCallback: route({
    summary: 'Finish single sign-on',
    description:
      'Where the identity provider sends the browser back: the person is found by the identity they used before, else by email ' +
      "(an agent by the directory's email, made an account at the first sign-on); the role comes from OIDC_ROLE_CLAIM. Sets the " +
      'session cookie and redirects to `returnTo` or OIDC_AFTER_SIGN_IN_URL.',
    roles: ROLES,
    open: true,
    responses: { 200: { description: 'Never: the answer is a 302 redirect' } },
    problems: ['sign-on-not-configured', 'sign-on-failed', 'sign-on-refused'],
  }),
};

export function sessionRouter({ sql, people = DEFAULT_PEOPLE_RULES, signOn }: ApiDeps) {
  function setSessionCookie(c: Context, session: NewSession) {
    setCookie(c, SESSION_COOKIE, session.secret, {
      path: '/',
      httpOnly: true,
      sameSite: 'Lax',
      secure: !LOCAL_HOSTS.has(new URL(c.req.url).hostname),
      maxAge: people.maxSeconds,
    });
  }

  async function signedIn(session: NewSession) {
    const person = (await findPerson(sql, session.personId))!;
    return {
      kind: 'person' as const,
      role: person.role,
      name: `person:${person.id}`,
      agentId: person.role === 'agent' ? person.id : null,
      person,
      csrfToken: session.csrfToken,
      method: null,
      expiresAt: session.expiresAt,
    };
  }

  const sso = () => {
    if (!signOn) throw problem('sign-on-not-configured', 'single sign-on is not configured here');
    return signOn;
  };
  const redirectUri = (c: Context) => sso().redirectUri ?? new URL('/v1/session/oidc/callback', c.req.url).toString();

  return new Hono()
    .post('/', routes.signIn, validate('json', signIn), async (c) => {
      const { id, password } = c.req.valid('json');
      let person;
      try {
        person = await checkPassword(sql, people, id, password);
      } catch (err) {
        const refused = err as { problem?: { type: string; retryAfterSeconds?: number } };
        if (refused.problem?.type === 'account-locked') c.header('retry-after', String(refused.problem.retryAfterSeconds));
        await writeAudit(sql, {
          actor: `person:${id}`,
          action: 'sign-in',
          detail: { method: 'password' },
          result: refused.problem?.type ?? 'internal-error',
        });
        throw err;
      }
      const session = await startSession(sql, people, person, 'password');
      await writeAudit(sql, { actor: `person:${id}`, action: 'sign-in', detail: { method: 'password' }, result: 'ok' });
      setSessionCookie(c, session);
      return c.json({ ...(await signedIn(session)), method: 'password' as const });
    })

    .get('/', routes.who, async (c) => {
      const caller = c.get('caller');
      if (caller.kind === 'key' || !caller.session) {
        return c.json({
          kind: 'key' as const,
          role: caller.role,
          name: caller.name,
          agentId: caller.agentId ?? null,
          person: null,
          csrfToken: null,
          method: null,
          expiresAt: null,
        });
      }
      const person = await findPerson(sql, caller.session.personId);
      if (!person) throw problem('unauthenticated', 'the session has ended');
      return c.json({
        kind: 'person' as const,
        role: caller.role,
        name: caller.name,
        agentId: caller.agentId ?? null,
        person,
        csrfToken: caller.session.csrfToken,
        method: caller.session.method,
        expiresAt: caller.session.expiresAt,
      });
    })

    .delete('/', routes.signOut, async (c) => {
      const { session, name, agentId } = c.get('caller');
      if (session) {
        await deleteSession(sql, session.idSha256);
        // An agent who signs out takes no more records (one on a call goes on as usual).
        if (agentId !== undefined) await signOff(sql, agentId);
        await writeAudit(sql, { actor: name, action: 'sign-out', result: 'ok' });
      }
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.body(null, 204);
    })

    .get(
      '/oidc/start',
      routes.oidcStart,
      validate('query', z.strictObject({ returnTo: localPath.optional().describe('Where to go after signing in: a path of this site') })),
      async (c) => {
        const url = await sso().client.start(redirectUri(c), c.req.valid('query').returnTo ?? null);
        return c.redirect(url.toString(), 302);
      },
    )

    .get(
      '/oidc/callback',
      routes.oidcCallback,
      validate(
        'query',
        z.looseObject({
          state: z.string().min(1).max(500).describe('The login this answers, as the provider sends it back'),
          code: z.string().min(1).max(4000).optional().describe('The authorization code'),
          error: z.string().max(200).optional().describe("The provider's refusal, when it refused"),
        }),
      ),
      async (c) => {
        const { client, afterSignInUrl } = sso();
        const { error } = c.req.valid('query');
        if (error !== undefined) throw problem('sign-on-failed', `the identity provider refused the login: ${error}`);
        const { person, returnTo } = await client.finish(new URL(c.req.url), redirectUri(c));
        const session = await startSession(sql, people, person, 'oidc');
        await writeAudit(sql, { actor: `person:${person.id}`, action: 'sign-in', detail: { method: 'oidc' }, result: 'ok' });
        setSessionCookie(c, session);
        return c.redirect(returnTo ?? afterSignInUrl, 302);
      },
    );
}
