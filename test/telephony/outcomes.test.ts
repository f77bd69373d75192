// The outcome table and the rule that decides a call from its legs' events, in any order and
// repeated; the number guards.
import { describe, expect, it } from 'vitest';
import { refusal } from '../../telephony/guards.js';
import { resolveCall, TWILIO_ANSWERED_BY, TWILIO_CALL_STATUS, type LegEvent } from '../../telephony/outcomes.js';
import { twilioEvent } from '../../telephony/twilio.js';

const agentAnswered: LegEvent[] = [
  { leg: 'agent', status: 'initiated' },
  { leg: 'agent', status: 'ringing' },
  { leg: 'agent', status: 'answered' },
];
const customer = (...events: Omit<LegEvent, 'leg'>[]): LegEvent[] => [
  ...agentAnswered,
  ...events.map((e) => ({ leg: 'customer' as const, ...e })),
];

describe('resolveCall', () => {
  it.each([
    [customer({ status: 'ringing' }, { status: 'busy' }), 'busy'],
    [customer({ status: 'no-answer' }), 'no-answer'],
    [customer({ status: 'failed', sipCode: 404 }), 'invalid-number'],
    [customer({ status: 'failed', sipCode: 484 }), 'invalid-number'],
    [customer({ status: 'failed', sipCode: 604 }), 'invalid-number'],
    [customer({ status: 'failed', sipCode: 503 }), 'telephony-error'],
    [customer({ status: 'failed' }), 'telephony-error'],
    [customer({ status: 'canceled' }), 'telephony-error'],
    [customer({ status: 'answered', answeredBy: 'human' }), 'answered'],
    [customer({ status: 'answered', answeredBy: 'unknown' }), 'answered'],
    [customer({ status: 'answered', answeredBy: 'machine' }), 'answering-machine'],
    [customer({ status: 'answered', answeredBy: 'fax' }), 'fax-modem'],
    [customer({ status: 'completed' }), 'answered'],
    [
      [
        { leg: 'agent', status: 'ringing' },
        { leg: 'agent', status: 'no-answer' },
      ],
      'agent-not-reached',
    ],
    [[{ leg: 'agent', status: 'busy' }], 'agent-not-reached'],
    [[...agentAnswered, { leg: 'agent', status: 'completed' }], 'agent-not-reached'],
  ] as [LegEvent[], string][])('%j → %s', (events, outcome) => {
    expect(resolveCall(events, { amd: true })?.outcome).toBe(outcome);
    // Any order, any repeats: the same outcome.
    expect(resolveCall([...events, ...events].reverse(), { amd: true })?.outcome).toBe(outcome);
  });

  it('waits for the answering-machine result, unless there is no detection', () => {
    const answered = customer({ status: 'answered' });
    expect(resolveCall(answered, { amd: true })).toBeNull();
    expect(resolveCall(answered, { amd: false })?.outcome).toBe('answered');
    expect(resolveCall(agentAnswered, { amd: true })).toBeNull();
    expect(
      resolveCall([...agentAnswered, { leg: 'customer', status: 'ringing' }, { leg: 'agent', status: 'completed' }], { amd: true }),
    ).toBeNull();
  });
});

describe("Twilio's words", () => {
  it('maps every CallStatus and AnsweredBy', () => {
    expect(TWILIO_CALL_STATUS).toMatchObject({
      'in-progress': 'answered',
      busy: 'busy',
      'no-answer': 'no-answer',
      failed: 'failed',
      canceled: 'canceled',
      completed: 'completed',
    });
    for (const machine of ['machine_start', 'machine_end_beep', 'machine_end_silence', 'machine_end_other'])
      expect(TWILIO_ANSWERED_BY[machine]).toBe('machine');
    expect(TWILIO_ANSWERED_BY).toMatchObject({ human: 'human', fax: 'fax', unknown: 'unknown' });
  });

  it('reads a status callback and an AMD callback', () => {
    expect(twilioEvent('customer', { CallSid: 'CA1', CallStatus: 'failed', SipResponseCode: '404' })).toMatchObject({
      leg: 'customer',
      status: 'failed',
      sipCode: 404,
      providerLegId: 'CA1',
    });
    expect(twilioEvent('customer', { CallSid: 'CA1', AnsweredBy: 'machine_end_beep' })).toMatchObject({
      status: 'answered',
      answeredBy: 'machine',
    });
    expect(twilioEvent('agent', { CallSid: 'CA1', CallStatus: 'queued' })).toBeNull();
  });
});

describe('number guards', () => {
  const guards = { allowedCountries: ['SE', 'NO'], blockedPrefixes: ['+46900', '+46939'], blockedNumbers: ['+46701234567'] };
  it.each([
    ['+46900123456', { refused: 'premium-rate', prefix: '+46900' }],
    ['+46939123456', { refused: 'premium-rate', prefix: '+46939' }],
    ['+46701234567', { refused: 'blocked-number' }],
    ['+4520123456', { refused: 'country-not-allowed', country: 'DK' }],
    ['+46701234568', null],
    ['+4791234567', null],
  ])('%s → %j', (phone, expected) => {
    expect(refusal(phone, guards)).toEqual(expected);
  });

  it('calls any country when none is listed', () => {
    expect(refusal('+4520123456', { allowedCountries: [], blockedPrefixes: [], blockedNumbers: [] })).toBeNull();
  });
});
