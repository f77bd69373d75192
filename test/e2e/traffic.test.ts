// Public traffic through the real API: the CORS allow-list, rate limits per client, and the body
// size limit, each set by configuration.
import { afterAll, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.js';
import { startStack, type Stack } from '../support/stack.js';

const stacks: Stack[] = [];
async function stackWith(env: Record<string, string>): Promise<Stack> {
  const stack = await startStack({ withoutWorker: true, env });
  stacks.push(stack);
  return stack;
}
afterAll(async () => {
  await Promise.all(stacks.map((s) => s.stop()));
});

it('limits each client to its requests a minute, with a Retry-After', async () => {
  const stack = await stackWith({ RATE_LIMIT_PER_MINUTE: '5' });
  for (let i = 0; i < 5; i++) expect((await stack.api.get('/v1/queues')).status).toBe(200);
  const limited = await stack.api.get('/v1/queues');
  expect(limited.status).toBe(429);
  expect(limited.type).toBe('application/problem+json');
  expect(limited.body).toMatchObject({ type: 'rate-limited', retryAfterSeconds: expect.any(Number) });
  expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect((await fetch(`${stack.apiUrl}/healthz`)).status).toBe(200); // health checks are not limited
});

it('counts each API key apart, wherever its requests come from', async () => {
  const stack = await stackWith({ RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY: 'true' });
  const ivr = (ip: string) => stack.as('ivr').get('/v1/queues/no-such-queue/status', { 'x-forwarded-for': ip });
  expect([(await ivr('192.0.2.1')).status, (await ivr('192.0.2.2')).status, (await ivr('192.0.2.3')).status]).toEqual([404, 404, 429]);
  expect((await stack.as('web').get('/v1/queues/no-such-queue/status', { 'x-forwarded-for': '192.0.2.1' })).status).toBe(404);
});

it('counts requests without a valid key by address, from X-Forwarded-For only behind a trusted proxy', async () => {
  const trusted = await stackWith({ RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY: 'true' });
  const as = (ip: string) => trusted.api.get('/v1/queues', { authorization: 'Bearer guess', 'x-forwarded-for': `${ip}, 10.0.0.1` });
  expect([(await as('192.0.2.1')).status, (await as('192.0.2.1')).status, (await as('192.0.2.1')).status]).toEqual([401, 401, 429]);
  expect((await as('192.0.2.2')).status).toBe(401);

  const direct = await stackWith({ RATE_LIMIT_PER_MINUTE: '2' });
  const spoof = (ip: string) => direct.api.get('/v1/queues', { authorization: '', 'x-forwarded-for': ip });
  expect([(await spoof('192.0.2.1')).status, (await spoof('192.0.2.2')).status, (await spoof('192.0.2.3')).status]).toEqual([
    401, 401, 429,
  ]);
});

it('lets only the allowed web origins call from a browser', async () => {
  const stack = await stackWith({ CORS_ORIGINS: 'https://shop.example, https://www.shop.example' });
  const preflight = (origin: string) =>
    fetch(`${stack.apiUrl}/v1/callbacks`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
  const allowed = await preflight('https://www.shop.example');
  expect(allowed.status).toBe(204);
  expect(allowed.headers.get('access-control-allow-origin')).toBe('https://www.shop.example');
  expect(allowed.headers.get('access-control-allow-methods')).toContain('POST');
  const other = await preflight('https://evil.example');
  expect(other.headers.get('access-control-allow-origin')).toBeNull();
  const read = await fetch(`${stack.apiUrl}/v1/queues`, {
    headers: { origin: 'https://shop.example', authorization: `Bearer ${stack.keys.admin}` },
  });
  expect(read.headers.get('access-control-allow-origin')).toBe('https://shop.example');
});

it('refuses a body over the configured size', async () => {
  const stack = await stackWith({ BODY_LIMIT_BYTES: '1024' });
  const big = await stack.api.post('/v1/callbacks', { phone: '+46701234567', queue: 'support', channel: 'web', comment: 'x'.repeat(1500) });
  expect(big.status).toBe(413);
  expect(big.body.type).toBe('payload-too-large');
});

it('refuses a bad traffic configuration at start, naming it', () => {
  expect(() => loadConfig({ CORS_ORIGINS: 'shop.example' })).toThrow(/CORS_ORIGINS/);
  expect(() => loadConfig({ CORS_ORIGINS: 'https://shop.example/path' })).toThrow(/CORS_ORIGINS/);
  expect(() => loadConfig({ RATE_LIMIT_PER_MINUTE: '0' })).toThrow(/RATE_LIMIT_PER_MINUTE/);
  expect(() => loadConfig({ BODY_LIMIT_BYTES: '10' })).toThrow(/BODY_LIMIT_BYTES/);
  expect(loadConfig({ CORS_ORIGINS: 'https://a.example,https://b.example:8443' }).CORS_ORIGINS).toEqual([
    'https://a.example',
    'https://b.example:8443',
  ]);
});
