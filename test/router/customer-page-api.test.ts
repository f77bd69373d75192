// The customer page's API (/callback/api) in the app with nothing behind it: the rate limit counts the page's
// clients by address, and a malformed request is refused before it reaches the database.
import { expect, it } from 'vitest';
import type { ApiDeps } from '../../api/deps.js';
import { createApp } from '../../api/app.js';

function pageApp(rateLimitPerMinute: number) {
  const calls: string[] = [];
  // Any use of the database fails the request and is noted.
  const sql = new Proxy(() => {}, {
    apply: () => {
      calls.push('query');
      throw new Error('no database in router tests');
    },
    get: (_, name) => {
      calls.push(String(name));
      throw new Error('no database in router tests');
    },
  });
  const deps = {
    sql,
    temporal: {},
    waits: {},
    taskQueue: 'router-tests',
    retryAfterSeconds: 5,
    tokens: {},
    webhookTargets: { allowedPrivateHosts: [] },
    defaultCountry: 'SE',
    traffic: { corsOrigins: [], rateLimitPerMinute, bodyLimitBytes: 64 * 1024, trustProxy: false },
  } as unknown as ApiDeps;
  const app = createApp(deps);
  const from = (address: string) => ({ incoming: { socket: { remoteAddress: address, remotePort: 40000, remoteFamily: 'IPv4' } } });
  return { app, calls, from };
}

it('counts requests per client address', async () => {
  const { app, from } = pageApp(3);
  const statuses = [];
  for (let i = 0; i < 4; i++) statuses.push((await app.request('/callback/api/strings/en', {}, from('192.0.2.1'))).status);
  expect(statuses).toEqual([200, 200, 200, 429]);
  const refused = await app.request('/callback/api/strings/en', {}, from('192.0.2.1'));
  expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
  expect((await app.request('/callback/api/strings/sv', {}, from('192.0.2.2'))).status).toBe(200);
});

it('refuses a malformed request, or one from another site, before the database', async () => {
  const { app, calls, from } = pageApp(1000);
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    app.request(
      '/callback/api/callbacks',
      { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) },
      from('192.0.2.3'),
    );
  const valid = {
    queue: 'support',
    phone: '0701234567',
    country: 'SE',
    language: 'sv',
    consent: true,
    challenge: { salt: 'a'.repeat(22), bits: 16, expires: 1, signature: 'b'.repeat(43) },
    nonce: '1',
  };
  for (const body of [
    {},
    { ...valid, consent: false },
    { ...valid, language: 'de' },
    { ...valid, priority: 1 },
    { ...valid, nonce: 'x' },
  ]) {
    const res = await post(body);
    expect(res.status, JSON.stringify(body)).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  }
  expect((await post({ ...valid, phone: '12' })).status).toBe(400);
  expect((await post(valid, { origin: 'https://elsewhere.example' })).status).toBe(403);
  expect(calls).toEqual([]);
});
