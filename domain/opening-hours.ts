// Whether a queue is open at an instant, read in the queue's own time zone. Only the local
// weekday and wall-clock time are needed, which Intl gives for any IANA zone; no offsets are
// computed by hand. (Exception dates come with appointment schedules.)
import { z } from 'zod';
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

/** Today's periods in the queue's zone, and whether `at` falls in one (from inclusive, to exclusive). */
export function openingAt(hours: OpeningHours, timeZone: string, at: Date) {
  const local = localTime(at, timeZone);
  const today = hours[local.weekday] ?? [];
  return { local, today, openNow: today.some((p) => p.from <= local.time && local.time < p.to) };
}

/**
 * When the queue next opens after `at` (local date, weekday and time in its zone), looking a week
 * ahead; null when it has no opening hours at all.
 */
export function nextOpening(hours: OpeningHours, timeZone: string, at: Date): LocalTime | null {
  const now = localTime(at, timeZone);
  for (let day = 0; day <= 7; day++) {
    const local = day === 0 ? now : localTime(new Date(at.getTime() + day * 86_400_000), timeZone);
    const periods = (hours[local.weekday] ?? []).filter((p) => day > 0 || p.from > now.time);
    const first = periods.map((p) => p.from).sort()[0];
    if (first !== undefined) return { date: local.date, weekday: local.weekday, time: first };
  }
  return null;
}
