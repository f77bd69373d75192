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
