// The one table from providers' call results to our outcomes, and the rule that decides a call's
// outcome from the status events of its two legs (agent first, then the customer), whatever order
// and however many times they arrive. Pure: the README's table is this one.
import type { DialOutcome, DialResult } from '../domain/record.js';

/** A leg's progress, in the generic gateway's words (Twilio's CallStatus maps onto them). */
export const LEG_STATUSES = ['initiated', 'ringing', 'answered', 'completed', 'busy', 'no-answer', 'failed', 'canceled'] as const;
export type LegStatus = (typeof LEG_STATUSES)[number];
export const LEGS = ['agent', 'customer'] as const;
export type Leg = (typeof LEGS)[number];

/** What answered the customer's leg, as answering-machine detection says. */
export const ANSWERED_BY = ['human', 'machine', 'fax', 'unknown'] as const;
export type AnsweredBy = (typeof ANSWERED_BY)[number];

export interface LegEvent {
  leg: Leg;
  status: LegStatus;
  answeredBy?: AnsweredBy | null;
  /** The SIP response code of a failed leg, when the provider gives it. */
  sipCode?: number | null;
}

/** Twilio's CallStatus of a status callback, as a leg status (`queued` says nothing new). */
export const TWILIO_CALL_STATUS: Record<string, LegStatus | null> = {
  queued: null,
  initiated: 'initiated',
  ringing: 'ringing',
  'in-progress': 'answered',
  completed: 'completed',
  busy: 'busy',
  'no-answer': 'no-answer',
  failed: 'failed',
  canceled: 'canceled',
};

/** Twilio's AnsweredBy (answering-machine detection), as ours. */
export const TWILIO_ANSWERED_BY: Record<string, AnsweredBy> = {
  human: 'human',
  machine_start: 'machine',
  machine_end_beep: 'machine',
  machine_end_silence: 'machine',
  machine_end_other: 'machine',
  fax: 'fax',
  unknown: 'unknown',
};

/** What answered the customer's leg decides the outcome once it answered. */
export const ANSWERED_BY_OUTCOME: Record<AnsweredBy, DialOutcome> = {
  human: 'answered',
  unknown: 'answered',
  machine: 'answering-machine',
  fax: 'fax-modem',
};

/** The customer's leg ended without being answered. */
export const UNANSWERED_OUTCOME: Record<'busy' | 'no-answer' | 'failed' | 'canceled', DialOutcome> = {
  busy: 'busy',
  'no-answer': 'no-answer',
  failed: 'telephony-error', // unless its SIP code says the number does not exist
  canceled: 'telephony-error', // we cancel no customer leg ourselves: someone else did
};

/**
 * SIP failures that mean the number cannot be called: 404 Not Found, 410 Gone, 484 Address
 * Incomplete, 485 Ambiguous, 604 Does Not Exist Anywhere. Any other failure is a telephony error.
 */
export const INVALID_NUMBER_SIP_CODES: readonly number[] = [404, 410, 484, 485, 604];

const FINAL: readonly LegStatus[] = ['completed', 'busy', 'no-answer', 'failed', 'canceled'];

/**
 * The call's outcome from the events received so far, or null while it is still open. Order and
 * duplicates do not matter: the rule looks at the set.
 *
 * - The customer's leg answered: its answering-machine result decides (none yet: wait for it,
 *   unless the leg already completed, then a person answered).
 * - The customer's leg ended unanswered: busy, no-answer, or failed (invalid-number by SIP code).
 * - The agent's leg ended and the customer's was never dialled: `agent-not-reached`, not an attempt.
 */
export function resolveCall(events: readonly LegEvent[], { amd }: { amd: boolean }): DialResult | null {
  const agent = events.filter((e) => e.leg === 'agent');
  const customer = events.filter((e) => e.leg === 'customer');
  const answeredBy = customer.find((e) => e.answeredBy)?.answeredBy;
  const customerAnswered = customer.some((e) => e.status === 'answered' || e.status === 'completed');
  if (customerAnswered) {
    if (answeredBy) return { outcome: ANSWERED_BY_OUTCOME[answeredBy], detail: { answeredBy } };
    if (!amd || customer.some((e) => e.status === 'completed')) return { outcome: 'answered' };
    return null;
  }
  const ended = customer.find((e) => e.status !== 'completed' && FINAL.includes(e.status));
  if (ended) {
    const status = ended.status as keyof typeof UNANSWERED_OUTCOME;
    const sipCode = customer.find((e) => e.sipCode)?.sipCode ?? null;
    if (status === 'failed' && sipCode !== null && INVALID_NUMBER_SIP_CODES.includes(sipCode)) {
      return { outcome: 'invalid-number', detail: { customerLeg: status, sipCode } };
    }
    return { outcome: UNANSWERED_OUTCOME[status], detail: { customerLeg: status, ...(sipCode !== null ? { sipCode } : {}) } };
  }
  const agentEnded = agent.find((e) => FINAL.includes(e.status));
  if (agentEnded && customer.length === 0) {
    const answered = agent.some((e) => e.status === 'answered');
    // Answered and hung up before the customer was dialled is the agent's doing, too.
    return { outcome: 'agent-not-reached', detail: { agentLeg: answered ? 'hung-up-before-customer' : agentEnded.status } };
  }
  return null;
}

/** The outcome for the first release's `dial`, which knows no `agent-not-reached`. */
export const bareOutcome = (result: DialResult): DialOutcome => (result.outcome === 'agent-not-reached' ? 'no-answer' : result.outcome);
