// How an open record stands against its time, for the agents' list of a queue:
// appointments show before they are due (plain), highlighted when due, marked when overdue,
// because calling early hurts service level as much as calling late.
import { CALL_STAGES, type CallbackRecord } from './record.js';

export const TIMINGS = ['upcoming', 'due', 'overdue'] as const;
export type Timing = (typeof TIMINGS)[number];

/** A record with no appointment is overdue this long after its calling time if no agent has it. */
export const OVERDUE_AFTER_MINUTES = 30;

/**
 * `upcoming`: its calling time (`dueAt`) is ahead. `overdue`: no agent has taken it, and its
 * appointment's slot has ended (a booking) or its calling time is OVERDUE_AFTER_MINUTES behind (any
 * other record). `due`: the rest, including every record an agent holds (it is being handled).
 */
export function timingOf(record: Pick<CallbackRecord, 'dueAt' | 'stage'>, slotEnd: string | null, now: Date): Timing {
  if (CALL_STAGES.includes(record.stage)) return 'due';
  const lateFrom = slotEnd ? Date.parse(slotEnd) : Date.parse(record.dueAt) + OVERDUE_AFTER_MINUTES * 60_000;
  if (now.getTime() >= lateFrom) return 'overdue';
  return now.getTime() < Date.parse(record.dueAt) ? 'upcoming' : 'due';
}

/** A time that breaks the rule below: which field, and how. */
export interface TimeFault {
  field: 'requestedAt' | 'validUntil';
  rule: 'in-the-past' | 'after-valid-until' | 'before-due';
}

/**
 * The time rule of every request and every change: a calling time and a validity lie ahead, and
 * the calling time is not after the validity. A change of a record keeps what it does not name
 * (`kept`): its validity bounds a new calling time, and a new validity may not end before the
 * calling time it keeps. `requestedAt: null` asks for as soon as possible; `validUntil: null`, for
 * no end.
 */
export function timeFault(
  asked: { requestedAt?: string | null; validUntil?: string | null },
  now: number,
  kept?: Pick<CallbackRecord, 'dueAt' | 'validUntil'>,
): TimeFault | null {
  const { requestedAt, validUntil } = asked;
  if (requestedAt && Date.parse(requestedAt) <= now) return { field: 'requestedAt', rule: 'in-the-past' };
  if (validUntil && Date.parse(validUntil) <= now) return { field: 'validUntil', rule: 'in-the-past' };
  const until = validUntil !== undefined ? validUntil : kept?.validUntil;
  if (requestedAt && until && Date.parse(requestedAt) > Date.parse(until)) return { field: 'requestedAt', rule: 'after-valid-until' };
  if (validUntil && kept && requestedAt === undefined && Date.parse(validUntil) < Date.parse(kept.dueAt)) {
    return { field: 'validUntil', rule: 'before-due' };
  }
  return null;
}
