// What happens to a record after an outcome: the one place that decides. A treatment set is
// configured per organisation area (the standard) and per queue (an exception); the product's
// defaults apply where neither is set.
import type { CallbackRecord, CloseReason, TreatableOutcome } from './record.js';
import { DIAL_OUTCOMES, TREATABLE_OUTCOMES } from './record.js';
import type { Treatment } from './treatment-schema.js';

export type { Rule, Treatment } from './treatment-schema.js';

/** Outcomes that may carry a threshold: the treatable ones, and the customer's re-establish requests. */
export const COUNTED_OUTCOMES = [...TREATABLE_OUTCOMES, 'reestablish-later'] as const;
export type CountedOutcome = (typeof COUNTED_OUTCOMES)[number];

export const DEFAULT_TREATMENT: Treatment = {
  onOutcome: {
    busy: { action: 'postpone', delayMinutes: 5 },
    'no-answer': { action: 'postpone', delayMinutes: 15 },
    'answering-machine': { action: 'postpone', delayMinutes: 30 },
    'fax-modem': { action: 'close' },
    'invalid-number': { action: 'close' },
    'telephony-error': { action: 'postpone', delayMinutes: 1 },
    refused: { action: 'postpone', delayMinutes: 0 },
    'customer-not-reached': { action: 'postpone', delayMinutes: 15 },
    'agent-client-terminated': { action: 'postpone', delayMinutes: 0 },
    'lost-during-routing': { action: 'postpone', delayMinutes: 0 },
  },
  closeAfter: {},
  maxAttempts: 3,
};

/** Outcomes that end an attempt (a dial was made): only these count against `maxAttempts`. */
const ENDS_ATTEMPT: ReadonlySet<string> = new Set([
  ...DIAL_OUTCOMES.filter((o) => o !== 'answered'),
  'customer-not-reached',
  'agent-client-terminated',
]);

export type Decision =
  | { action: 'close'; reason: CloseReason; threshold?: number }
  | { action: 'postpone'; delayMinutes: number }
  /** `reestablish-later` below its threshold: the customer's own time. */
  | { action: 'reschedule' };

/**
 * Decide after `outcome`, on a record whose counters already include it. The outcome's own rule
 * comes first (Close is Close), then the outcome's threshold, then the limit of attempts.
 */
export function decide(
  outcome: CountedOutcome,
  record: Pick<CallbackRecord, 'attempts' | 'outcomeCounts'>,
  treatment: Treatment = DEFAULT_TREATMENT,
): Decision {
  const rule = outcome === 'reestablish-later' ? null : treatment.onOutcome[outcome];
  if (rule?.action === 'close') return { action: 'close', reason: outcome as TreatableOutcome };
  const threshold = treatment.closeAfter[outcome];
  if (threshold !== undefined && (record.outcomeCounts[outcome] ?? 0) >= threshold) {
    return { action: 'close', reason: 'outcome-limit-reached', threshold };
  }
  if (treatment.maxAttempts !== null && ENDS_ATTEMPT.has(outcome) && record.attempts >= treatment.maxAttempts) {
    return { action: 'close', reason: 'too-many-attempts', threshold: treatment.maxAttempts };
  }
  return rule ?? { action: 'reschedule' };
}

/** A stored set that lacks an outcome (saved by an older release) gets the default's rule for it. */
export function completeTreatment(stored: Partial<Treatment>): Treatment {
  const onOutcome = structuredClone(DEFAULT_TREATMENT.onOutcome);
  for (const outcome of TREATABLE_OUTCOMES) {
    const rule = stored.onOutcome?.[outcome];
    if (rule) onOutcome[outcome] = rule;
  }
  return {
    onOutcome,
    closeAfter: structuredClone(stored.closeAfter ?? DEFAULT_TREATMENT.closeAfter),
    maxAttempts: stored.maxAttempts === undefined ? DEFAULT_TREATMENT.maxAttempts : stored.maxAttempts,
  };
}
