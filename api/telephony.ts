// Telephony over HTTP: the providers' status callbacks (outside /v1: a provider holds no API key;
// each request is verified by its signature instead), Twilio's TwiML for the customer leg, and
// each queue's telephony settings under /v1. No state is kept in this process: a callback may
// reach any API process, before or after a restart.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { findQueue } from '../db/configuration.js';
import { putQueueTelephony, queueTelephony } from '../db/telephony.js';
import { customerLegTwiml, twilioEvent, verifyTwilio } from '../telephony/twilio.js';
import { gatewayEvent, gatewayEventToStored } from '../telephony/http-gateway.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verify } from '../telephony/signing.js';
import type { Telephony } from '../telephony/calls.js';
import { auditedChange } from './audited.js';
import { route, ROLE_SETS, AUDITED } from './access.js';
import { actorOf } from './actor.js';
import type { ApiDeps } from './deps.js';
import { problem } from './problem.js';
import { queueName } from './schemas.js';
import { validate } from './validate.js';

/** What the callback routes need: the engine and the secrets to verify the provider with. */
export interface TelephonyApi {
  engine: Telephony;
  publicUrl: string;
  twilioAuthToken?: string | undefined;
  gatewaySecret?: string | undefined;
}

const refused = () => problem('invalid-telephony-signature', 'the request is not signed by the telephony provider');

/** The URL Twilio signed: our public address, with the path and query it called. */
function publicUrlOf(c: Context, publicUrl: string): string {
  const url = new URL(c.req.url);
  return `${publicUrl.replace(/\/+$/, '')}${url.pathname}${url.search}`;
}

async function formParams(c: Context): Promise<Record<string, string>> {
  return Object.fromEntries(new URLSearchParams(await c.req.text()));
}

const twilioQuery = z.object({ callId: z.string().min(1).max(200), leg: z.enum(['agent', 'customer']).optional() });

/** Mounted at /telephony, outside the API key middleware. */
export function telephonyCallbacksRouter(deps: ApiDeps) {
  const configured = (adapter: 'twilio' | 'http'): TelephonyApi => {
    const t = deps.telephony;
    if (!t || t.engine.adapter.name !== adapter) throw problem('not-found', `the ${adapter} dialler is not configured`);
    return t;
  };

  async function verifiedTwilio(c: Context) {
    const t = configured('twilio');
    const params = await formParams(c);
    if (!verifyTwilio(t.twilioAuthToken!, c.req.header('x-twilio-signature'), publicUrlOf(c, t.publicUrl), params)) throw refused();
    const query = twilioQuery.safeParse(c.req.query());
    if (!query.success) throw problem('validation-error', 'invalid query', { errors: [{ path: 'callId', message: 'required' }] });
    return { t, params, ...query.data };
  }

  return (
    new Hono()
      // Twilio asks what to do once the agent answered: dial the customer.
      .post('/twilio/voice', async (c) => {
        const { t, callId } = await verifiedTwilio(c);
        const call = await t.engine.find(callId);
        const twiml = call ? customerLegTwiml(call, t.publicUrl) : '<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>';
        return c.body(twiml, 200, { 'content-type': 'text/xml' });
      })
      .post('/twilio/status', async (c) => {
        const { t, params, callId, leg } = await verifiedTwilio(c);
        const event = twilioEvent(leg ?? 'agent', params);
        if (event && (await t.engine.receive(callId, event)) === 'unknown-call') throw problem('not-found', `no call ${callId}`);
        return c.body(null, 204);
      })
      .post('/http/events', async (c) => {
        const t = configured('http');
        const raw = await c.req.text();
        const signed = { timestamp: c.req.header(TIMESTAMP_HEADER), signature: c.req.header(SIGNATURE_HEADER) };
        if (!verify(t.gatewaySecret!, signed, raw)) throw refused();
        let body: unknown;
        try {
          body = JSON.parse(raw);
        } catch {
          throw problem('bad-request', 'the body is not JSON');
        }
        const parsed = gatewayEvent.safeParse(body);
        if (!parsed.success) {
          throw problem('validation-error', 'invalid request body', {
            errors: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
          });
        }
        const e = parsed.data;
        if ((await t.engine.receive(e.callId, gatewayEventToStored(e))) === 'unknown-call')
          throw problem('not-found', `no call ${e.callId}`);
        return c.body(null, 204);
      })
  );
}

export const agentDeviceField = z
  .string()
  .regex(/^(\+[1-9]\d{1,14}|client:[A-Za-z0-9_.@-]{1,100}|sip:[^\s]{1,200})$/, 'an E.164 number, client:<identity> or sip:<address>');

export const queueTelephonySettings = z
  .strictObject({
    agentDevice: agentDeviceField
      .nullable()
      .describe(
        "The agent device called first when the accepting agent named none: a number (E.164), `client:<identity>` or `sip:<address>`; null: the TELEPHONY_AGENT_DEVICE default. The agent directory's device will take its place.",
      ),
    callerId: z
      .string()
      .regex(/^\+[1-9]\d{1,14}$/, 'an E.164 number')
      .nullable()
      .describe('The number the customer sees (a number of the provider account); null: TELEPHONY_CALLER_ID.'),
    maxRingSeconds: z.int().min(5).max(120).describe('How long each leg rings before it counts as not answered.'),
    maxCallSeconds: z.int().min(60).max(14_400).describe('The longest a call may last; the provider ends it then.'),
  })
  .describe("A queue's telephony settings.");

const queueTelephonyAnswer = queueTelephonySettings.extend({ queue: z.string().describe("The queue's name.") });

const routes = {
  read: route({
    summary: "A queue's telephony settings",
    roles: ROLE_SETS.backOffice,
    responses: { 200: { description: 'The settings (defaults when none were set)', schema: queueTelephonyAnswer } },
    problems: ['not-found'],
  }),
  put: route({
    summary: "Set a queue's telephony settings",
    description:
      'The agent device called first, the caller id the customer sees, the longest ring and the longest call. Applies to the next dial.',
    roles: ROLE_SETS.admin,
    responses: { 200: { description: 'The settings as set', schema: queueTelephonyAnswer } },
    problems: ['not-found'],
    headers: AUDITED,
  }),
};

const queueParam = z.object({ queue: queueName.describe("The queue's name") });

/** Mounted at /v1/telephony. */
export function telephonySettingsRouter({ sql }: ApiDeps) {
  async function requireQueue(name: string) {
    if (!(await findQueue(sql, name))) throw problem('not-found', `no queue ${name}`);
  }
  return new Hono()
    .get('/queues/:queue', routes.read, validate('param', queueParam), async (c) => {
      const { queue } = c.req.valid('param');
      await requireQueue(queue);
      return c.json(await queueTelephony(sql, queue));
    })
    .put('/queues/:queue', routes.put, validate('param', queueParam), validate('json', queueTelephonySettings), async (c) => {
      const { queue } = c.req.valid('param');
      await requireQueue(queue);
      const settings = { queue, ...c.req.valid('json') };
      const saved = await auditedChange(
        sql,
        (tx) => putQueueTelephony(tx, settings),
        () => ({ actor: actorOf(c), action: 'queue-telephony-change', detail: { settings } }),
      );
      return c.json(saved);
    });
}
