// The Twilio adapter through the whole system, against a local stand-in of Twilio's REST API that
// signs its callbacks with the SDK's helper: each outcome, the agent's leg unanswered, a forged
// callback, duplicated and out-of-order callbacks, a late one (the worker killed mid-call:
// twilio-worker-crash.test.ts).
// With TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_TEST_FROM and TWILIO_TEST_TO set, the last
// block also places a call through the real Twilio.
import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTwilioAdapter, twilioUrls } from '../../telephony/twilio.js';
import { eventually, recordWhen, startStack, type Stack } from '../support/stack.js';
import { AGENT_NEVER_ANSWERS, AGENT_WAITS, startTwilioStandIn, type TwilioStandIn } from './twilio-stand-in.js';
import { acceptAndDial, CALLER_ID, dialledEvents, freePort, telephonyQueue } from './support.js';

const accountSid = `AC${randomBytes(16).toString('hex')}`;
const authToken = randomBytes(16).toString('hex');
const AGENT = '+46700000100';

let standIn: TwilioStandIn;
let stack: Stack;
let env: Record<string, string>;

beforeAll(async () => {
  standIn = await startTwilioStandIn({ accountSid, authToken });
  const port = await freePort();
  env = {
    PORT: String(port),
    DIALLER: 'twilio',
    TELEPHONY_PUBLIC_URL: `http://127.0.0.1:${port}`,
    TWILIO_ACCOUNT_SID: accountSid,
    TWILIO_AUTH_TOKEN: authToken,
    TWILIO_API_BASE_URL: standIn.url,
    TELEPHONY_KEEPER_MS: '500',
  };
  stack = await startStack({ env });
});
afterAll(async () => {
  await stack?.stop();
  await standIn?.close();
});

const createsFor = (callIdPrefix: string) => standIn.creates.filter((c) => String(c.Url).includes(encodeURIComponent(callIdPrefix)));

describe('each outcome', () => {
  it.concurrent.each([
    ['+46701230009', 'answered'],
    ['+46701230001', 'busy'],
    ['+46701230002', 'no-answer'],
    ['+46701230003', 'answering-machine'],
    ['+46701230007', 'answering-machine'],
    ['+46701230004', 'invalid-number'],
    ['+46701230005', 'fax-modem'],
    ['+46701230006', 'telephony-error'],
  ])('%s: %s', async (phone, outcome) => {
    const queue = await telephonyQueue(stack, AGENT);
    const { id, record } = await acceptAndDial(stack, queue, phone, `agent-${outcome}`);
    expect(dialledEvents(record)).toHaveLength(1);
    expect(dialledEvents(record)[0].detail).toMatchObject({ attempt: 1, outcome });
    expect(record).toMatchObject({ attempts: 1, latestOutcome: outcome, stage: outcome === 'answered' ? 'connected' : expect.anything() });
    // Agent first, from the queue's caller id, with our call id in every URL Twilio calls back.
    const creates = createsFor(`${id}:`);
    expect(creates).toHaveLength(1);
    expect(creates[0]).toMatchObject({
      To: AGENT,
      From: CALLER_ID,
      Url: twilioUrls(env.TELEPHONY_PUBLIC_URL!, `${id}:1`).voice,
      StatusCallback: twilioUrls(env.TELEPHONY_PUBLIC_URL!, `${id}:1`).agentStatus,
      StatusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
      Timeout: '20',
      TimeLimit: '600',
    });
    if (outcome === 'answering-machine' || outcome === 'fax-modem') {
      // The agent is not left listening to a machine: the call is hung up.
      const sid = (await stack.sql`select provider_call_id from telephony_calls where call_id = ${`${id}:1`}`)[0]!.providerCallId;
      await eventually(async () => (standIn.calls.get(sid)?.status === 'completed' ? true : undefined), 30_000, 'the hang-up');
    }
  });
});

it('sends a record whose agent never answered back to its queue, not counting the dial; the next dial has its own call id', async () => {
  const queue = await telephonyQueue(stack, `+4670000${AGENT_NEVER_ANSWERS}`);
  const { id, record } = await acceptAndDial(stack, queue, '+46701230019', 'agent-away');
  expect(dialledEvents(record)[0].detail).toMatchObject({
    outcome: 'agent-not-reached',
    counted: false,
    agentId: 'agent-away',
    agentLeg: 'no-answer',
  });
  const back = await recordWhen(stack.api, id, (r) => r.stage === 'offered');
  expect(back).toMatchObject({ attempts: 0, agentId: null, status: 'Active' });

  // The next agent names the device to call in the accept: it is called instead of the queue's.
  expect((await stack.api.post(`/v1/callbacks/${id}/accept`, { agentId: 'agent-here', agentDevice: AGENT })).status).toBe(200);
  const connected = await recordWhen(stack.api, id, (r) => r.stage === 'connected', 60_000);
  expect(connected).toMatchObject({ attempts: 1, latestOutcome: 'answered' });
  expect(connected.history.filter((e: any) => e.type === 'dialling').map((e: any) => e.detail.callId)).toEqual([`${id}:1`, `${id}:1.1`]);
  expect(createsFor(`${id}:`).map((c) => c.To)).toEqual([`+4670000${AGENT_NEVER_ANSWERS}`, AGENT]);
});

it('refuses a status callback with a bad signature, and nothing changes', async () => {
  const device = `+4670001${AGENT_WAITS}`;
  const queue = await telephonyQueue(stack, device);
  const created = await stack.api.post('/v1/callbacks', { phone: '+46701230029', queue, channel: 'agent' });
  const id = created.body.id;
  await recordWhen(stack.api, id, (r) => r.stage === 'offered', 60_000);
  await stack.api.post(`/v1/callbacks/${id}/accept`, { agentId: 'agent-forged' });
  const callId = `${id}:1`;
  await eventually(async () =>
    (await stack.sql`select 1 from telephony_calls where call_id = ${callId} and task_token is not null`).length ? true : undefined,
  );
  const url = twilioUrls(env.TELEPHONY_PUBLIC_URL!, callId).customerStatus;
  const params = { AccountSid: accountSid, CallSid: `CA${'0'.repeat(32)}`, CallStatus: 'busy' };
  const forged = [
    twilio.getExpectedTwilioSignature('not-the-token', url, params),
    twilio.getExpectedTwilioSignature(authToken, url, { ...params, CallStatus: 'completed' }),
    '',
  ];
  for (const signature of forged) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature ? { 'x-twilio-signature': signature } : {}) },
      body: new URLSearchParams(params).toString(),
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ type: 'invalid-telephony-signature' });
  }
  const events = await stack.sql`select leg, status from telephony_call_events where call_id = ${callId} and leg = 'customer'`;
  expect(events).toEqual([]);
  const [call] = await stack.sql`select outcome from telephony_calls where call_id = ${callId}`;
  expect(call!.outcome).toBeNull();
  expect((await stack.api.get(`/v1/callbacks/${id}`)).body.stage).toBe('dialling');

  standIn.release(device);
  const connected = await recordWhen(stack.api, id, (r) => r.stage === 'connected', 60_000);
  expect(dialledEvents(connected)).toHaveLength(1);
});

describe('callbacks twice and in reverse order', () => {
  beforeAll(() => {
    standIn.options.duplicate = true;
    standIn.options.reverse = true;
  });
  afterAll(() => {
    standIn.options.duplicate = false;
    standIn.options.reverse = false;
  });

  it.each([
    ['+46701240009', 'answered'],
    ['+46701240001', 'busy'],
    ['+46701240003', 'answering-machine'],
  ])('%s: %s, once', async (phone, outcome) => {
    const queue = await telephonyQueue(stack, AGENT);
    const { id } = await acceptAndDial(stack, queue, phone, `agent-twice-${outcome}`);
    const callId = `${id}:1`;
    // Every callback came twice, and each was taken.
    await eventually(async () => {
      const posts = standIn.posted.filter((p) => p.url.includes(encodeURIComponent(callId)) && p.url.includes('leg=customer'));
      return posts.length >= 6 ? posts : undefined;
    });
    // A late callback after the outcome changes nothing either.
    const url = twilioUrls(env.TELEPHONY_PUBLIC_URL!, callId).customerStatus;
    const late = { AccountSid: accountSid, CallSid: `CA${'1'.repeat(32)}`, CallStatus: 'failed', SipResponseCode: '404' };
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilio.getExpectedTwilioSignature(authToken, url, late),
      },
      body: new URLSearchParams(late).toString(),
    });
    expect(res.status).toBe(204);
    const record = (await stack.api.get(`/v1/callbacks/${id}`)).body;
    expect(dialledEvents(record)).toHaveLength(1);
    expect(dialledEvents(record)[0].detail.outcome).toBe(outcome);
    expect(record).toMatchObject({ attempts: 1, latestOutcome: outcome });
    expect(createsFor(`${id}:`)).toHaveLength(1);
  });
});

it('finds the call it placed when the row never learnt its id (a crash between asking and recording)', async () => {
  const adapter = createTwilioAdapter({ accountSid, authToken, apiBaseUrl: standIn.url, publicUrl: env.TELEPHONY_PUBLIC_URL! });
  const row = {
    callId: `lookup-${randomBytes(4).toString('hex')}:1`,
    agentDevice: `+4670003${AGENT_WAITS}`,
    callerId: CALLER_ID,
    customerPhone: '+46701230059',
    maxRingSeconds: 20,
    maxCallSeconds: 600,
    createdAt: new Date().toISOString(),
  } as any;
  expect(await adapter.find(row)).toBeNull();
  const sid = await adapter.place(row);
  expect(await adapter.find(row)).toBe(sid);
  standIn.release(row.agentDevice);
});

const real = ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_TEST_FROM', 'TWILIO_TEST_TO'].every((k) => process.env[k]);
if (!real)
  console.info(
    '[twilio.test] TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_TEST_FROM, TWILIO_TEST_TO not set: skipping the real Twilio account',
  );
describe.skipIf(!real)('against the real Twilio (TWILIO_* set)', () => {
  it('places a call, finds it again and hangs it up', async () => {
    const adapter = createTwilioAdapter({
      accountSid: process.env.TWILIO_ACCOUNT_SID!,
      authToken: process.env.TWILIO_AUTH_TOKEN!,
      apiBaseUrl: 'https://api.twilio.com',
      publicUrl: process.env.TELEPHONY_PUBLIC_URL ?? 'https://example.invalid',
    });
    const row = {
      callId: `real-${randomBytes(4).toString('hex')}:1`,
      agentDevice: process.env.TWILIO_TEST_TO,
      callerId: process.env.TWILIO_TEST_FROM,
      customerPhone: process.env.TWILIO_TEST_TO,
      maxRingSeconds: 10,
      maxCallSeconds: 60,
      createdAt: new Date().toISOString(),
      providerCallId: null,
    } as any;
    const sid = await adapter.place(row);
    expect(sid).toMatch(/^CA[0-9a-f]{32}$/);
    expect(await adapter.find(row)).toBe(sid);
    await adapter.hangUp({ ...row, providerCallId: sid });
  });
});
