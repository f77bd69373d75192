// A real OpenID provider (oidc-provider) on a local port, with its development interactions: a
// login form that takes any password for the accounts a test gives, and a consent form.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { sessionClient } from './session-client.js';

export interface LocalProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Registers the client's redirect URI (known once the API listens) and starts answering. */
  start(redirectUri: string): void;
  /**
   * Signs `account` in at the provider, following its redirects and posting its login and consent
   * forms as a browser would, from the authorization URL to the redirect back to the client.
   */
  signIn(authorizationUrl: string, account: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startLocalProvider(accounts: Record<string, Record<string, unknown>>): Promise<LocalProvider> {
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server = createServer((req, res) => {
    if (handler) handler(req, res);
    else res.writeHead(503).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://localhost:${(server.address() as AddressInfo).port}`;
  const clientId = 'callbacks';
  const clientSecret = 'a-client-secret-long-enough-for-hs256-0123456789';
  return {
    issuer,
    clientId,
    clientSecret,
    start(redirectUri) {
      const provider = new Provider(issuer, {
        clients: [
          {
            client_id: clientId,
            client_secret: clientSecret,
            redirect_uris: [redirectUri],
            grant_types: ['authorization_code'],
            response_types: ['code'],
            token_endpoint_auth_method: 'client_secret_basic',
          },
        ],
        async findAccount(_ctx: unknown, id: string) {
          const claims = accounts[id];
          return claims && { accountId: id, claims: async () => ({ sub: id, ...claims }) };
        },
        claims: {
          openid: ['sub'],
          email: ['email', 'email_verified'],
          profile: ['name', 'preferred_username'],
          roles: ['roles'],
        },
        // The scopes' claims go into the ID token too, as many providers do.
        conformIdTokenClaims: false,
        cookies: { keys: ['a-test-cookie-key'] },
        features: { devInteractions: { enabled: true } },
      });
      handler = provider.callback();
    },
    async signIn(authorizationUrl, account) {
      const browser = sessionClient(issuer);
      let url = authorizationUrl;
      for (let step = 0; step < 20; step++) {
        if (!url.startsWith(issuer)) return url;
        const page = await browser.send('GET', url);
        if (page.status >= 300 && page.status < 400) {
          url = new URL(page.headers.get('location')!, url).toString();
          continue;
        }
        const form = /<form[^>]*action="([^"]+)"[\s\S]*?name="prompt" value="(\w+)"/.exec(String(page.body));
        if (!form) throw new Error(`no form at ${url}: ${page.status} ${String(page.body).slice(0, 300)}`);
        const fields = new URLSearchParams({ prompt: form[2]!, ...(form[2] === 'login' ? { login: account, password: 'any' } : {}) });
        const posted = await browser.send('POST', new URL(form[1]!, url).toString(), {
          raw: fields.toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });
        if (posted.status < 300 || posted.status >= 400)
          throw new Error(`the ${form[2]} form answered ${posted.status}: ${String(posted.body).slice(0, 300)}`);
        url = new URL(posted.headers.get('location')!, url).toString();
      }
      throw new Error('the provider never sent the browser back');
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
