// The generic gateway protocol, for any PBX or CCaaS (Asterisk, FreeSWITCH, Genesys, Amazon
// Connect ...): we POST a call request with our call id; the gateway calls the agent, then the
// customer, and POSTs signed leg events back. Documented in the README and in /openapi.json.
import { z } from 'zod';
import type { StoredEvent, TelephonyCall } from '../db/telephony.js';
import { ANSWERED_BY, LEGS, LEG_STATUSES } from './outcomes.js';
import type { TelephonyAdapter } from './port.js';
import { signedHeaders } from './signing.js';

export const GATEWAY_EVENTS_PATH = '/telephony/http/events';

export const gatewayCallRequest = z
  .strictObject({
    callId: z.string().describe('Our id of the call, one per attempt. A request repeated with the same id must not place a second call.'),
    agent: z.strictObject({ device: z.string().describe('The agent device to call first: a number (E.164) or a platform identity.') }),
    customer: z.strictObject({ phone: z.string().describe('The customer to call once the agent answered, E.164.') }),
    callerId: z.string().nullable().describe('The number the customer sees; null: the platform default.'),
    maxRingSeconds: z.int().describe('Ring each leg at most this long, then report `no-answer`.'),
    maxCallSeconds: z.int().describe('End the bridged call after this long.'),
    answeringMachineDetection: z.boolean().describe('Detect answering machines and faxes on the customer leg and report `answeredBy`.'),
    eventsUrl: z.url().describe('Where to POST the leg events of this call.'),
  })
  .describe('POST <gateway>/calls: place a call, agent first. Answer 200 or 201 with `{gatewayCallId}`.');

export const gatewayCallAnswer = z
  .object({ gatewayCallId: z.string().describe("The gateway's own id of the call.") })
  .describe('The answer to POST /calls, and to GET /calls/{callId} (then with `events`).');

export const gatewayEvent = z
  .strictObject({
    callId: z.string().min(1).max(200).describe('Our call id, from the call request.'),
    leg: z.enum(LEGS).describe('`agent` (called first) or `customer`.'),
    status: z
      .enum(LEG_STATUSES)
      .describe(
        "The leg's progress: `initiated`, `ringing`, `answered`, `completed` (answered, then ended), or how it ended unanswered: `busy`, `no-answer`, `failed`, `canceled`.",
      ),
    answeredBy: z.enum(ANSWERED_BY).optional().describe("With the customer leg's `answered`: `human`, `machine`, `fax` or `unknown`."),
    sipCode: z
      .int()
      .min(100)
      .max(699)
      .optional()
      .describe('With `failed`: the SIP response code (404, 410, 484, 485, 604: the number does not exist).'),
    gatewayLegId: z.string().max(200).optional().describe("The gateway's id of the leg."),
    at: z.iso.datetime({ offset: true }).optional().describe('When it happened.'),
  })
  .describe(
    'A leg event the gateway POSTs to eventsUrl, signed (Telephony-Timestamp, Telephony-Signature). Repeats and any order are fine; answer 2xx.',
  );
export type GatewayEvent = z.infer<typeof gatewayEvent>;

export const gatewayEventToStored = (e: GatewayEvent): StoredEvent => ({
  leg: e.leg,
  status: e.status,
  answeredBy: e.answeredBy ?? null,
  sipCode: e.sipCode ?? null,
  providerLegId: e.gatewayLegId ?? null,
  raw: e,
});

export interface GatewaySettings {
  url: string;
  secret: string;
  publicUrl: string;
}

export function createHttpGatewayAdapter(settings: GatewaySettings): TelephonyAdapter {
  const base = settings.url.replace(/\/+$/, '');
  const eventsUrl = `${settings.publicUrl.replace(/\/+$/, '')}${GATEWAY_EVENTS_PATH}`;

  async function send(method: string, path: string, body?: unknown): Promise<Response> {
    const raw = body === undefined ? '' : JSON.stringify(body);
    return fetch(`${base}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...signedHeaders(settings.secret, raw) },
      ...(body === undefined ? {} : { body: raw }),
      signal: AbortSignal.timeout(10_000),
    });
  }

  async function lookUp(call: TelephonyCall): Promise<{ gatewayCallId: string; events?: GatewayEvent[] } | null> {
    const res = await send('GET', `/calls/${encodeURIComponent(call.callId)}`);
    if (res.status === 404) return null;
    if (!res.ok) throw new Error(`gateway answered ${res.status} to GET /calls/${call.callId}`);
    return (await res.json()) as { gatewayCallId: string; events?: GatewayEvent[] };
  }

  return {
    name: 'http',
    amd: true,
    async place(call) {
      if (!call.agentDevice) throw new Error(`call ${call.callId}: no agent device`);
      const request: z.infer<typeof gatewayCallRequest> = {
        callId: call.callId,
        agent: { device: call.agentDevice },
        customer: { phone: call.customerPhone },
        callerId: call.callerId,
        maxRingSeconds: call.maxRingSeconds,
        maxCallSeconds: call.maxCallSeconds,
        answeringMachineDetection: true,
        eventsUrl,
      };
      const res = await send('POST', '/calls', request);
      if (!res.ok) throw new Error(`gateway answered ${res.status} to POST /calls`);
      return gatewayCallAnswer.parse(await res.json()).gatewayCallId;
    },
    async find(call) {
      return (await lookUp(call))?.gatewayCallId ?? null;
    },
    async current(call) {
      const found = await lookUp(call);
      return (found?.events ?? []).flatMap((e) => {
        const parsed = gatewayEvent.safeParse(e);
        return parsed.success ? [gatewayEventToStored(parsed.data)] : [];
      });
    },
    async hangUp(call) {
      const res = await send('POST', `/calls/${encodeURIComponent(call.callId)}/hangup`, {});
      if (!res.ok && res.status !== 404) throw new Error(`gateway answered ${res.status} to hangup`);
    },
  };
}
