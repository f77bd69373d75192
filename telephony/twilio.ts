// Twilio Programmable Voice through the official package. Agent first: the REST API calls the
// agent's device; when the agent answers, Twilio fetches our TwiML, which dials the customer with
// answering-machine detection and bridges the two. Both legs' status callbacks (and the AMD
// result) come to /telephony/twilio/status with our call id in the URL, signed by Twilio.
import twilio from 'twilio';
import type { StoredEvent, TelephonyCall } from '../db/telephony.js';
import { TWILIO_ANSWERED_BY, TWILIO_CALL_STATUS, type Leg } from './outcomes.js';
import type { TelephonyAdapter } from './port.js';

export interface TwilioSettings {
  accountSid: string;
  authToken: string;
  /** https://api.twilio.com, or a stand-in's address in tests. */
  apiBaseUrl: string;
  /** Our API as Twilio reaches it. */
  publicUrl: string;
}

export const TWILIO_PATHS = { voice: '/telephony/twilio/voice', status: '/telephony/twilio/status' } as const;

const EVENTS = ['initiated', 'ringing', 'answered', 'completed'];

export function twilioUrls(publicUrl: string, callId: string) {
  const base = publicUrl.replace(/\/+$/, '');
  const id = encodeURIComponent(callId);
  return {
    voice: `${base}${TWILIO_PATHS.voice}?callId=${id}`,
    agentStatus: `${base}${TWILIO_PATHS.status}?callId=${id}&leg=agent`,
    customerStatus: `${base}${TWILIO_PATHS.status}?callId=${id}&leg=customer`,
  };
}

/** The TwiML Twilio runs when the agent answers: dial the customer, detect machines, bridge. */
export function customerLegTwiml(call: TelephonyCall, publicUrl: string): string {
  const urls = twilioUrls(publicUrl, call.callId);
  const response = new twilio.twiml.VoiceResponse();
  const dial = response.dial({
    ...(call.callerId ? { callerId: call.callerId } : {}),
    timeout: call.maxRingSeconds,
    timeLimit: call.maxCallSeconds,
    answerOnBridge: true,
  });
  dial.number(
    {
      machineDetection: 'Enable',
      amdStatusCallback: urls.customerStatus,
      amdStatusCallbackMethod: 'POST',
      statusCallback: urls.customerStatus,
      statusCallbackMethod: 'POST',
      statusCallbackEvent: EVENTS as never,
    },
    call.customerPhone,
  );
  return response.toString();
}

/** A status or AMD callback's form parameters as a leg event; null when it says nothing we use (`queued`). */
export function twilioEvent(leg: Leg, params: Record<string, string>): StoredEvent | null {
  const answeredBy = params.AnsweredBy ? (TWILIO_ANSWERED_BY[params.AnsweredBy] ?? 'unknown') : null;
  // The AMD callback carries no CallStatus: the leg was answered.
  const status = params.CallStatus ? TWILIO_CALL_STATUS[params.CallStatus] : answeredBy ? 'answered' : null;
  if (!status) return null;
  const sip = Number(params.SipResponseCode);
  return {
    leg,
    status,
    answeredBy,
    sipCode: Number.isInteger(sip) && sip > 0 ? sip : null,
    providerLegId: params.CallSid ?? null,
    raw: params,
  };
}

export function verifyTwilio(authToken: string, signature: string | undefined, url: string, params: Record<string, string>): boolean {
  return Boolean(signature) && twilio.validateRequest(authToken, signature!, url, params);
}

export function createTwilioAdapter(settings: TwilioSettings): TelephonyAdapter {
  const client = twilio(settings.accountSid, settings.authToken, { autoRetry: false });
  client.api.baseUrl = settings.apiBaseUrl;

  return {
    name: 'twilio',
    amd: true,
    async place(call) {
      if (!call.agentDevice || !call.callerId) throw new Error(`call ${call.callId}: no agent device or caller id to call from`);
      const urls = twilioUrls(settings.publicUrl, call.callId);
      const created = await client.calls.create({
        to: call.agentDevice,
        from: call.callerId,
        url: urls.voice,
        method: 'POST',
        statusCallback: urls.agentStatus,
        statusCallbackMethod: 'POST',
        statusCallbackEvent: EVENTS,
        timeout: call.maxRingSeconds,
        timeLimit: call.maxCallSeconds,
      });
      return created.sid;
    },

    // Twilio takes no id of ours: the call to this agent device from this caller id, made since
    // the row was written, is this one (an agent holds one record at a time).
    async find(call) {
      if (!call.agentDevice) return null;
      const since = Date.parse(call.createdAt) - 5_000;
      const calls = await client.calls.list({ to: call.agentDevice, ...(call.callerId ? { from: call.callerId } : {}), limit: 20 });
      const mine = calls.filter((c) => c.dateCreated.getTime() >= since).sort((a, b) => a.dateCreated.getTime() - b.dateCreated.getTime());
      return mine[0]?.sid ?? null;
    },

    async current(call) {
      if (!call.providerCallId) return [];
      const agent = await client.calls(call.providerCallId).fetch();
      const children = await client.calls.list({ parentCallSid: call.providerCallId, limit: 5 });
      const events: StoredEvent[] = [];
      const agentEvent = twilioEvent('agent', { CallStatus: agent.status, CallSid: agent.sid });
      if (agentEvent) events.push(agentEvent);
      for (const child of children) {
        const e = twilioEvent('customer', {
          CallStatus: child.status,
          CallSid: child.sid,
          ...(child.answeredBy ? { AnsweredBy: child.answeredBy } : {}),
        });
        if (e) events.push(e);
      }
      return events;
    },

    async hangUp(call) {
      if (call.providerCallId) await client.calls(call.providerCallId).update({ status: 'completed' });
    },
  };
}
