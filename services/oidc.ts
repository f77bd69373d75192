// Single sign-on with OpenID Connect: authorization code with PKCE (openid-client). The state,
// nonce and code verifier of a login under way stay in PostgreSQL, so that any API process can
// finish a login another began. The provider's role claim decides the person's role at every
// sign-in; who the person is comes from the identity they used before, else from their email.
import { createHash } from 'node:crypto';
import * as client from 'openid-client';
import type { Sql } from '../db/connect.js';
import { findAgent, findAgentByEmail } from '../db/agents.js';
import { findPersonForSignOn, insertOidcLogin, insertPerson, linkSignOn, takeOidcLogin } from '../db/people.js';
import type { PersonRole } from '../domain/roles.js';
import { problem } from './problem.js';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  /** The callback as the browser reaches it; from the request when not set. */
  redirectUri?: string;
  scopes: string;
  roleClaim: string;
  /** Claim values and the roles they give. */
  roleMap: [string, PersonRole][];
  afterSignInUrl: string;
}

export interface SignOn {
  /** The provider's authorization URL for a new login. */
  start(redirectUri: string, returnTo: string | null): Promise<URL>;
  /** Finishes the login the provider sent the browser back from: the person, made or found. */
  finish(callbackUrl: URL, redirectUri: string): Promise<{ person: { id: string; role: PersonRole }; returnTo: string | null }>;
}

const ID = /^[\w.@:-]{1,100}$/;

export function oidcSignOn(sql: Sql, settings: OidcSettings): SignOn {
  let discovered: Promise<client.Configuration> | undefined;
  const configuration = () =>
    (discovered ??= (async () => {
      const issuer = new URL(settings.issuer);
      const local = ['localhost', '127.0.0.1', '[::1]'].includes(issuer.hostname);
      return client.discovery(
        issuer,
        settings.clientId,
        settings.clientSecret,
        settings.clientSecret ? client.ClientSecretBasic(settings.clientSecret) : client.None(),
        // A provider on this machine (a test's, a developer's) may speak plain HTTP; any other must not.
        local && issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : undefined,
      );
    })().catch((err: unknown) => {
      discovered = undefined;
      throw err;
    }));

  const unreachable = (err: unknown) =>
    problem('sign-on-failed', 'the identity provider could not be reached or refused the login', {
      reason: String((err as Error).message ?? err),
    });

  return {
    async start(redirectUri, returnTo) {
      const config = await configuration().catch((err: unknown) => {
        throw unreachable(err);
      });
      const codeVerifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      await insertOidcLogin(sql, { state, nonce, codeVerifier, returnTo });
      return client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: settings.scopes,
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
    },

    async finish(callbackUrl, redirectUri) {
      const state = callbackUrl.searchParams.get('state');
      const login = state ? await takeOidcLogin(sql, state) : null;
      if (!login) throw problem('sign-on-failed', 'this login is unknown, used already or older than 10 minutes: start again');
      const config = await configuration().catch((err: unknown) => {
        throw unreachable(err);
      });
      // The provider checks the redirect URI against the one the login began with: the callback as configured, not as proxied.
      const current = new URL(redirectUri);
      current.search = callbackUrl.search;
      let claims: Record<string, unknown>;
      try {
        const tokens = await client.authorizationCodeGrant(config, current, {
          pkceCodeVerifier: login.codeVerifier,
          expectedState: state!,
          expectedNonce: login.nonce,
        });
        claims = { ...tokens.claims() };
        if (claims[settings.roleClaim] === undefined || claims.email === undefined) {
          claims = { ...(await client.fetchUserInfo(config, tokens.access_token, String(claims.sub))), ...claims };
        }
      } catch (err) {
        throw unreachable(err);
      }
      return { person: await personFor(claims), returnTo: login.returnTo };
    },
  };

  function roleOf(value: unknown): PersonRole | null {
    const values = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
    const roles = settings.roleMap.filter(([claimValue]) => values.includes(claimValue)).map(([, role]) => role);
    // The widest role the person is given: an administrator who also supervises administers.
    return (['admin', 'supervisor', 'agent'] as const).find((r) => roles.includes(r)) ?? null;
  }

  async function personFor(claims: Record<string, unknown>): Promise<{ id: string; role: PersonRole }> {
    const refused = (why: string) => problem('sign-on-refused', why);
    const subject = `${settings.issuer} ${String(claims.sub)}`;
    const role = roleOf(claims[settings.roleClaim]);
    if (!role) throw refused(`the identity provider gives this person no role here (claim ${settings.roleClaim})`);
    // An email the provider says it has not verified identifies nobody.
    const email = typeof claims.email === 'string' && claims.email_verified !== false ? claims.email : null;
    const known = await findPersonForSignOn(sql, subject, email);
    if (known) {
      if (known.oidcSubject !== null && known.oidcSubject !== subject)
        throw refused('this email belongs to an account that signs on with another identity');
      if (!known.active) throw refused('this account is deactivated');
      if (role === 'agent' && !(await findAgent(sql, known.id))?.active) throw refused('no active agent in the directory has this account');
      await linkSignOn(sql, known.id, subject, role);
      return { id: known.id, role };
    }
    if (role === 'agent') {
      const agent = email ? await findAgentByEmail(sql, email) : null;
      if (!agent?.active) throw refused('no active agent in the directory has this email');
      const made = await insertPerson(sql, {
        id: agent.id,
        displayName: agent.displayName,
        role,
        email,
        passwordHash: null,
        oidcSubject: subject,
        createdBy: 'single-sign-on',
      });
      if (!made) throw refused(`an account ${agent.id} exists with another email: give it this one to link it`);
      return { id: made.id, role };
    }
    const wanted = typeof claims.preferred_username === 'string' && ID.test(claims.preferred_username) ? claims.preferred_username : null;
    const fallback = `sso-${createHash('sha256').update(subject).digest('hex').slice(0, 12)}`;
    const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 100) : (wanted ?? fallback);
    for (const id of [wanted, fallback].filter((x): x is string => x !== null)) {
      const made = await insertPerson(sql, {
        id,
        displayName: name,
        role,
        email,
        passwordHash: null,
        oidcSubject: subject,
        createdBy: 'single-sign-on',
      });
      if (made) return { id: made.id, role };
    }
    throw refused('no account could be made for this identity');
  }
}
