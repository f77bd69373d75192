// The http adapter through the whole system, against the reference gateway of the documented
// protocol: each outcome, the agent's leg unanswered, a forged event, repeated and late events,
// the number guards, and the gateway's answer to a repeated call request.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedHeaders } from '../../telephony/signing.js';
import { recordWhen, startStack, type Stack } from '../support/stack.js';
import { startReferenceGateway, type ReferenceGateway } from './reference-gateway.js';
import { acceptAndDial, dialledEvents, freePort, telephonyQueue } from './support.js';

const secret = randomBytes(24).toString('hex');
const AGENT = 'sip:anna@pbx.example';

let gateway: ReferenceGateway;
let stack: Stack;
let eventsUrl: string;

beforeAll(async () => {
  gateway = await startReferenceGateway(secret);
  const port = await freePort();
  eventsUrl = `http://127.0.0.1:${port}/telephony/http/events`;
  stack = await startStack({
    env: {
      PORT: String(port),
      DIALLER: 'http',
      TELEPHONY_PUBLIC_URL: `http://127.0.0.1:${port}`,
      TELEPHONY_GATEWAY_URL: gateway.url,
      TELEPHONY_GATEWAY_SECRET: secret,
      TELEPHONY_KEEPER_MS: '500',
      DIAL_BLOCKED_NUMBERS: '+46701239999',
      DIAL_ALLOWED_COUNTRIES: 'SE,NO',
    },
  });
});
afterAll(async () => {
  await stack?.stop();
  await gateway?.close();
});

const post = (raw: string, headers: Record<string, string>) =>
  fetch(eventsUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: raw });

describe('each outcome', () => {
  it.concurrent.each([
    ['+46701250009', 'answered'],
    ['+46701250001', 'busy'],
    ['+46701250002', 'no-answer'],
    ['+46701250003', 'answering-machine'],
    ['+46701250004', 'invalid-number'],
    ['+46701250005', 'fax-modem'],
    ['+46701250006', 'telephony-error'],
  ])('%s: %s', async (phone, outcome) => {
    const queue = await telephonyQueue(stack, AGENT);
    const { id, record } = await acceptAndDial(stack, queue, phone, `gw-${outcome}`);
    expect(dialledEvents(record)).toHaveLength(1);
    expect(dialledEvents(record)[0].detail.outcome).toBe(outcome);
    expect(record).toMatchObject({ attempts: 1, latestOutcome: outcome });
    const call = gateway.calls.get(`${id}:1`)!;
    expect(call.request).toMatchObject({
      callId: `${id}:1`,
      agent: { device: AGENT },
      customer: { phone },
      maxRingSeconds: 20,
      maxCallSeconds: 600,
      answeringMachineDetection: true,
      eventsUrl,
    });
    expect(call.hungUp).toBe(outcome === 'answering-machine' || outcome === 'fax-modem');
  });
});

it('sends a record whose agent never answered back to its queue, not counted', async () => {
  const queue = await telephonyQueue(stack, '+46700009999');
  const { id, record } = await acceptAndDial(stack, queue, '+46701250019', 'gw-away');
  expect(dialledEvents(record)[0].detail).toMatchObject({ outcome: 'agent-not-reached', counted: false });
  expect(await recordWhen(stack.api, id, (r) => r.stage === 'offered')).toMatchObject({ attempts: 0, agentId: null });
});

it('refuses forged and stale events (403), takes repeated and late ones once', async () => {
  const queue = await telephonyQueue(stack, AGENT);
  const { id } = await acceptAndDial(stack, queue, '+46701250029', 'gw-forged');
  const callId = `${id}:1`;
  const late = JSON.stringify({ callId, leg: 'customer', status: 'busy' });
  const forged = [
    { 'telephony-timestamp': String(Math.floor(Date.now() / 1000)), 'telephony-signature': 'v1=00' },
    signedHeaders('another-secret-that-is-long-enough-000', late),
    signedHeaders(secret, late, Date.now() - 3_600_000),
    {},
  ];
  for (const headers of forged) {
    const res = await post(late, headers);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ type: 'invalid-telephony-signature' });
  }
  for (let i = 0; i < 2; i++) expect((await post(late, signedHeaders(secret, late))).status).toBe(204);
  const record = (await stack.api.get(`/v1/callbacks/${id}`)).body;
  expect(dialledEvents(record)).toHaveLength(1);
  expect(record).toMatchObject({ stage: 'connected', latestOutcome: 'answered' });
  const unknown = JSON.stringify({ callId: `${id}:9`, leg: 'agent', status: 'ringing' });
  expect((await post(unknown, signedHeaders(secret, unknown))).status).toBe(404);
  const invalid = JSON.stringify({ callId, leg: 'nobody', status: 'ringing' });
  expect((await post(invalid, signedHeaders(secret, invalid))).status).toBe(400);
});

it.each([
  ['+46900123456', { refused: 'premium-rate', prefix: '+46900' }],
  ['+46701239999', { refused: 'blocked-number' }],
  ['+4520123456', { refused: 'country-not-allowed', country: 'DK' }],
])('refuses %s before dialling: invalid-number', async (phone, detail) => {
  const queue = await telephonyQueue(stack, AGENT);
  const { id, record } = await acceptAndDial(stack, queue, phone, `gw-guard-${phone.slice(1)}`);
  expect(dialledEvents(record)[0].detail).toMatchObject({ outcome: 'invalid-number', ...detail });
  expect(gateway.calls.has(`${id}:1`)).toBe(false);
});
