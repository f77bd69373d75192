// Whether a queue is open at an instant, and when it opens next, read in the queue's own time
// zone: its weekly opening hours, replaced on its holidays by the holiday's hours (or none).
// Periods become instants through luxon, so daylight saving changes move them as the clock on
// the wall does.
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { Holiday } from './holidays.js';
import { WEEKDAYS, type OpeningHours } from './queue-config.js';

export const localTimeSchema = z.strictObject({
  date: z.iso.date().describe('YYYY-MM-DD in the zone.'),
  weekday: z.enum(WEEKDAYS).describe('The weekday in the zone.'),
  time: z.string().describe('HH:MM in the zone, 24-hour.'),
});
export type LocalTime = z.infer<typeof localTimeSchema>;

export function localTime(at: Date, timeZone: string): LocalTime {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'long',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: parts.weekday!.toLowerCase() as LocalTime['weekday'],
    time: `${parts.hour}:${parts.minute}`,
  };
}

/** What decides when a queue is open. */
export interface BusinessHours {
  timeZone: string;
  openingHours: OpeningHours;
  holidays: readonly Holiday[];
}

/** How far ahead the next opening is looked for: a queue closed longer than this never opens. */
export const OPENING_HORIZON_DAYS = 400;

interface Period {
  from: string;
  to: string;
}

/** A date's periods: its holiday's (none when closed) if it has one, else its weekday's. */
export function periodsOn(hours: BusinessHours, date: string): { periods: Period[]; holiday: Holiday | null } {
  const holiday = hours.holidays.find((h) => h.date === date) ?? null;
  if (holiday) return { periods: 'closed' in holiday ? [] : holiday.periods, holiday };
  const weekday = WEEKDAYS[DateTime.fromISO(date, { zone: 'UTC' }).weekday - 1]!;
  return { periods: hours.openingHours[weekday] ?? [], holiday: null };
}

/**
 * A local wall-clock time on a date as an instant. 24:00 is the next day's midnight. A time that
 * does not exist (skipped by a spring-forward change) comes out as the wall clock shows it after
 * the change: 02:30 on the night 02:00 becomes 03:00 is 03:30 summer time.
 */
function instantOf(date: string, time: string, timeZone: string): number {
  if (time === '24:00') return DateTime.fromISO(date, { zone: timeZone }).plus({ days: 1 }).startOf('day').toMillis();
  return DateTime.fromISO(`${date}T${time}`, { zone: timeZone }).toMillis();
}

/**
 * The first instant at or after `at` at which the queue is open: `at` itself when it is open
 * then; null when it does not open within OPENING_HORIZON_DAYS.
 */
export function nextOpening(hours: BusinessHours, at: Date): Date | null {
  const t = at.getTime();
  // From the day before: nothing of it reaches into today, but a zone's date line is not ours to trust.
  const first = DateTime.fromMillis(t, { zone: hours.timeZone }).minus({ days: 1 }).toISODate()!;
  for (let day = 0; day <= OPENING_HORIZON_DAYS; day++) {
    const date = DateTime.fromISO(first, { zone: 'UTC' }).plus({ days: day }).toISODate()!;
    const periods = [...periodsOn(hours, date).periods].sort((a, b) => a.from.localeCompare(b.from));
    for (const p of periods) {
      const start = instantOf(date, p.from, hours.timeZone);
      const end = instantOf(date, p.to, hours.timeZone);
      if (end > t && start < end) return new Date(Math.max(start, t));
    }
  }
  return null;
}

/**
 * The queue at an instant: today's date and periods in its zone (a holiday's when today is one),
 * whether it is open (from inclusive, to exclusive), and when it opens next when it is not.
 */
export function openingAt(hours: BusinessHours, at: Date) {
  const local = localTime(at, hours.timeZone);
  const { periods: today, holiday } = periodsOn(hours, local.date);
  const next = nextOpening(hours, at);
  const openNow = next !== null && next.getTime() === at.getTime();
  return { local, today, holiday, openNow, opensAt: openNow || next === null ? null : next.toISOString() };
}
