// The generic telephony gateway protocol in /openapi.json: the call request we POST to a gateway
// (an OpenAPI webhook: a request we make), the lookup and hang-up we send, and the leg events it
// POSTs back to us, from the zod schemas the adapter and the route use.
import { z, type ZodType } from 'zod';
import { GATEWAY_EVENTS_PATH, gatewayCallAnswer, gatewayCallRequest, gatewayEvent } from '../telephony/http-gateway.js';

const schema = (s: ZodType) => {
  const { $schema: _, ...rest } = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

const SIGNED =
  'Signed both ways like our webhooks: `Telephony-Timestamp` (unix seconds) and `Telephony-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`, ' +
  'keyed with TELEPHONY_GATEWAY_SECRET; a timestamp more than 300 s away is refused.';

const signatureHeaders = [
  { name: 'Telephony-Timestamp', in: 'header', required: true, schema: { type: 'string' }, description: 'Unix seconds when signed.' },
  { name: 'Telephony-Signature', in: 'header', required: true, schema: { type: 'string' }, description: 'v1=<hex HMAC-SHA256>.' },
];

export function telephonyProtocolDoc() {
  return {
    paths: {
      [GATEWAY_EVENTS_PATH]: {
        post: {
          summary: 'A gateway reports a leg event (DIALLER=http)',
          description: `No API key: ${SIGNED} Events may repeat and come in any order; the first outcome they decide is kept. README: "The http gateway protocol".`,
          operationId: 'postTelephonyHttpEvents',
          tags: ['telephony'],
          security: [],
          parameters: signatureHeaders,
          requestBody: { required: true, content: { 'application/json': { schema: schema(gatewayEvent) } } },
          responses: {
            '204': { description: 'Taken (or a repeat, taken before).' },
            '400': { description: '`validation-error`, `bad-request`: not an event of the protocol.' },
            '403': { description: '`invalid-telephony-signature`: the signature does not verify; nothing changed.' },
            '404': { description: '`not-found`: no call with this callId, or the http dialler is not configured.' },
          },
        },
      },
    },
    webhooks: {
      gatewayPlaceCall: {
        post: {
          summary: 'POST <TELEPHONY_GATEWAY_URL>/calls: we ask the gateway for a call, agent first',
          description: `${SIGNED} The gateway calls agent.device; once it answers, customer.phone (with answering-machine detection), bridges them and posts leg events to eventsUrl. The same callId again (a retry) must not place a second call: answer with the existing call. GET <url>/calls/{callId} answers \`{gatewayCallId, events}\` (404 when unknown): we look a call up after a crash and when events go quiet. POST <url>/calls/{callId}/hangup ends it (an answering machine or fax answered).`,
          operationId: 'gatewayPlaceCall',
          parameters: signatureHeaders,
          requestBody: { required: true, content: { 'application/json': { schema: schema(gatewayCallRequest) } } },
          responses: {
            '201': { description: 'The call is placed.', content: { 'application/json': { schema: schema(gatewayCallAnswer) } } },
          },
        },
      },
    },
  };
}
