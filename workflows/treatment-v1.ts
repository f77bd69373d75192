// The fixed treatment of the first release, frozen with callback-v1.ts.
import type { CloseReason, Outcome } from '../domain/record.js';

export type Decision = { action: 'close'; reason: CloseReason } | { action: 'postpone'; delayMinutes: number };

export interface Treatment {
  /** Close after this many attempts in total, whatever their outcomes. */
  maxAttempts: number;
  /** Per outcome that does not settle the record: close, or try again after a delay. */
  onOutcome: Partial<Record<Outcome, Decision>>;
}

export const DEFAULT_TREATMENT: Treatment = {
  maxAttempts: 3,
  onOutcome: {
    busy: { action: 'postpone', delayMinutes: 5 },
    'no-answer': { action: 'postpone', delayMinutes: 15 },
    'answering-machine': { action: 'postpone', delayMinutes: 30 },
    'fax-modem': { action: 'close', reason: 'invalid-number' },
    'invalid-number': { action: 'close', reason: 'invalid-number' },
    'telephony-error': { action: 'postpone', delayMinutes: 1 },
    'customer-not-reached': { action: 'postpone', delayMinutes: 15 },
  },
};

/**
 * Decide after an attempt ended in `outcome`, with `attempts` made so far (this one included).
 * `completed` always closes; `reestablish-later` and `answered` are not decided here because
 * they carry their own next step (the customer's new time, the agent's feedback).
 */
export function decide(
  outcome: Exclude<Outcome, 'answered' | 'reestablish-later'>,
  attempts: number,
  treatment: Treatment = DEFAULT_TREATMENT,
): Decision {
  if (outcome === 'completed') return { action: 'close', reason: 'completed' };
  const rule = treatment.onOutcome[outcome] ?? { action: 'postpone', delayMinutes: 0 };
  if (rule.action === 'close') return rule;
  if (attempts >= treatment.maxAttempts) return { action: 'close', reason: 'too-many-attempts' };
  return rule;
}
