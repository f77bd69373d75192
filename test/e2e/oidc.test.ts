// Single sign-on against a real OpenID provider running in the test (oidc-provider): the
// authorization code flow with PKCE, driven as a browser would; roles from the provider's claim.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalProvider, type LocalProvider } from '../support/oidc-provider.js';
import { sessionClient } from '../support/session-client.js';
import { startStack, uniqueName, type Stack } from '../support/stack.js';

let stack: Stack;
let idp: LocalProvider;
const suffix = uniqueName('sso');
const agentId = `${suffix}-anna`;
const accounts: Record<string, Record<string, unknown>> = {
  anna: { email: `${agentId}@example.com`, email_verified: true, name: 'Anna Agent', roles: ['cc-agents'] },
  boss: {
    email: `${suffix}-boss@example.com`,
    email_verified: true,
    name: 'The Boss',
    preferred_username: `${suffix}-boss`,
    roles: ['cc-agents', 'cc-admins'],
  },
  stranger: { email: `${suffix}-stranger@example.com`, email_verified: true, roles: ['cc-agents'] },
  nobody: { email: `${suffix}-nobody@example.com`, email_verified: true, roles: ['marketing'] },
  unverified: { email: `${agentId}@example.com`, email_verified: false, roles: ['cc-agents'] },
};

beforeAll(async () => {
  idp = await startLocalProvider(accounts);
  stack = await startStack({
    withoutWorker: true,
    env: {
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: idp.clientId,
      OIDC_CLIENT_SECRET: idp.clientSecret,
      OIDC_SCOPES: 'openid email profile roles',
      OIDC_ROLE_CLAIM: 'roles',
      OIDC_ROLE_MAP: 'cc-agents=agent,cc-admins=admin',
      OIDC_AFTER_SIGN_IN_URL: '/desk',
    },
  });
  idp.start(`${stack.apiUrl}/v1/session/oidc/callback`);
  const made = await stack.api.post('/v1/agents', { id: agentId, displayName: 'Anna', email: `${agentId}@example.com` });
  expect(made.status).toBe(201);
});
afterAll(async () => {
  await stack?.stop();
  await idp?.stop();
});

/** The whole flow for `account`: the API's start, the provider's forms, and the API's callback. */
async function signOn(account: string, returnTo?: string) {
  const browser = sessionClient(stack.apiUrl);
  const started = await browser.send('GET', `/v1/session/oidc/start${returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : ''}`);
  expect(started.status).toBe(302);
  const authorization = new URL(started.headers.get('location')!);
  expect(authorization.origin).toBe(idp.issuer);
  expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authorization.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
  const callback = await idp.signIn(authorization.toString(), account);
  expect(callback.startsWith(`${stack.apiUrl}/v1/session/oidc/callback?`)).toBe(true);
  const finished = await browser.send('GET', callback);
  return { browser, callback, finished };
}

describe('single sign-on with OpenID Connect', () => {
  it("signs an agent in by the directory's email, makes their account, and goes where the login began", async () => {
    const { browser, finished, callback } = await signOn('anna', '/desk/queues');
    expect(finished.status, JSON.stringify(finished.body)).toBe(302);
    expect(finished.headers.get('location')).toBe('/desk/queues');
    expect(browser.lastSetCookie.find((c) => c.startsWith('cbk_session='))).toMatch(/HttpOnly.*SameSite=Lax|SameSite=Lax.*HttpOnly/);
    const who = await browser.send('GET', '/v1/session');
    expect(who.body).toMatchObject({
      kind: 'person',
      role: 'agent',
      agentId,
      method: 'oidc',
      person: { id: agentId, singleSignOn: true, hasPassword: false },
    });
    expect((await browser.send('GET', '/v1/agents/me')).body.id).toBe(agentId);

    // The same answer from the provider twice: the login was used.
    const replay = await sessionClient(stack.apiUrl).send('GET', callback);
    expect(replay).toMatchObject({ status: 401, body: { type: 'sign-on-failed' } });

    // Next time the identity finds the account, and the session is a new one.
    const again = await signOn('anna');
    expect(again.finished.headers.get('location')).toBe('/desk');
    expect((await again.browser.send('GET', '/v1/session')).body.person.id).toBe(agentId);
    expect(again.browser.cookies.get('cbk_session')).not.toBe(browser.cookies.get('cbk_session'));
  });

  it("gives the role the provider's claim maps to: an administrator is made an account and may administer", async () => {
    const { browser, finished } = await signOn('boss');
    expect(finished.status).toBe(302);
    const who = await browser.send('GET', '/v1/session');
    expect(who.body).toMatchObject({
      role: 'admin',
      agentId: null,
      person: { id: `${suffix}-boss`, displayName: 'The Boss', createdBy: 'single-sign-on' },
    });
    expect((await browser.send('GET', '/v1/agents')).status).toBe(200);
    const made = await browser.send('POST', '/v1/agents', { json: { id: uniqueName('x'), displayName: 'X' } });
    expect(made.body.type).toBe('csrf-refused');
  });

  it('refuses a person the claim gives no role, an agent not in the directory, and an unverified email', async () => {
    for (const account of ['nobody', 'stranger', 'unverified']) {
      const { browser, finished } = await signOn(account);
      expect(finished, account).toMatchObject({ status: 403, body: { type: 'sign-on-refused' } });
      expect(browser.cookies.has('cbk_session')).toBe(false);
    }
    expect((await stack.api.get(`/v1/people/${suffix}-stranger`)).status).toBe(404);
  });

  it('refuses an unknown state, a foreign returnTo, and says when single sign-on is not configured', async () => {
    const browser = sessionClient(stack.apiUrl);
    expect((await browser.send('GET', '/v1/session/oidc/callback?state=made-up&code=x')).body.type).toBe('sign-on-failed');
    expect((await browser.send('GET', `/v1/session/oidc/start?returnTo=${encodeURIComponent('//evil.example/')}`)).status).toBe(400);
    const plain = await startStack({ withoutWorker: true });
    try {
      const reply = await sessionClient(plain.apiUrl).send('GET', '/v1/session/oidc/start');
      expect(reply).toMatchObject({ status: 404, body: { type: 'sign-on-not-configured' } });
    } finally {
      await plain.stop();
    }
  });
});
