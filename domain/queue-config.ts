// What configures a queue: its time zone and weekly opening hours, validated the same way
// wherever they come from.
import { z } from 'zod';

/**
 * A queue's wrap-up limit unless it sets its own: from the customer answering to the agent's
 * feedback (the platform does not report when the talking ends, so the talk counts too).
 */
export const DEFAULT_WRAP_UP_TIMEOUT_SECONDS = 1800;

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

export const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return tz.includes('/') || tz === 'UTC';
  } catch {
    return false;
  }
}, 'an IANA time zone such as Europe/Stockholm');

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM');
export const period = z
  .strictObject({ from: clock.describe('Opens at, HH:MM local time'), to: clock.describe('Closes at, HH:MM local time (24:00: midnight)') })
  .refine((p) => p.from < p.to, 'from must be before to');

/** A period as a queue's configuration gives it back: accepted by `period`, so without its checks. */
export const openingPeriod = z
  .strictObject({
    from: clock.describe('Opens at, HH:MM local time (inclusive).'),
    to: clock.describe('Closes at, HH:MM local time (exclusive; 24:00 for midnight).'),
  })
  .describe("One opening period of a day, in the queue's time zone.");

export const openingHours = z
  .partialRecord(z.enum(WEEKDAYS), z.array(period).max(8))
  .refine(
    (week) =>
      Object.values(week).every((periods) =>
        [...(periods ?? [])].sort((a, b) => a.from.localeCompare(b.from)).every((p, i, all) => i === 0 || all[i - 1]!.to <= p.from),
      ),
    'periods of one day must not overlap',
  );
export type OpeningHours = z.infer<typeof openingHours>;

/** The week as a queue's configuration gives it back. */
export const openingHoursView = z
  .partialRecord(z.enum(WEEKDAYS), z.array(openingPeriod))
  .describe("Weekly opening hours by weekday (`monday` ... `sunday`), in the queue's time zone; a day absent or empty is closed.");
