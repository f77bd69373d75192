// Appointment slots: a schedule's weekly pattern and exception dates, read in the
// schedule's own time zone, give the instants customers can book. Zone arithmetic is luxon's
// (the IANA database through Intl); nothing here depends on the server's zone.
//
// Daylight saving time: slots follow the wall clock. A local start time that does not exist
// (spring forward) gives no slot; one that occurs twice (fall back) gives a slot at each real
// instant. A slot lasts its day's minutes per appointment in real time.
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { WEEKDAYS } from './queue-config.js';
import { count, utcInstant } from './record-schema.js';
import type { Identification, ScheduleException, WeekPattern } from './schedule-config.js';

export interface SchedulePattern {
  timeZone: string;
  week: WeekPattern;
  exceptions: ScheduleException[];
}

/** What decides which slots may be booked now, besides the pattern. */
export interface BookingRules extends SchedulePattern {
  /** The last bookable local date is today's (in the schedule's zone) plus this many days. */
  horizonDays: number;
  /** A slot must start at least this many minutes from now. */
  minimumNoticeMinutes: number;
}

/** A slot: its real instants in UTC, and the same on the schedule's wall clock. */
export const slotSchema = z.strictObject({
  start: utcInstant().describe("The slot's start, UTC: give it as slotStart to book."),
  end: utcInstant().describe("The slot's end, UTC."),
  localStart: z.string().describe("The start on the schedule's wall clock, with its offset (two slots of a repeated hour differ by it)."),
  localEnd: z.string().describe("The end on the schedule's wall clock, with its offset."),
  date: z.string().describe('The local date whose pattern made the slot.'),
  minutes: count().describe('Its length in minutes.'),
});
export type Slot = z.infer<typeof slotSchema>;

/** A booking as a client shows it: UTC and the schedule's wall clock. */
export const bookingViewSchema = z
  .strictObject({
    scheduleId: z.string().describe('The appointment schedule.'),
    timeZone: z.string().describe("The schedule's IANA time zone."),
    slotStart: utcInstant().describe("The slot's start, UTC."),
    slotEnd: utcInstant().describe("The slot's end, UTC."),
    localStart: z.string().describe("The slot's start on the schedule's wall clock, with its offset."),
    localEnd: z.string().describe("The slot's end on the schedule's wall clock, with its offset."),
    minutes: z.int().describe("The slot's length in minutes."),
  })
  .describe('An appointment: the slot a record is booked into.');
export type BookingView = z.infer<typeof bookingViewSchema>;

const MINUTE = 60_000;
const DAY = 86_400_000;

const minuteOfDay = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

/**
 * The real instants (ms) at which the zone's clocks show `date` `minute`: none in a spring-forward
 * gap, two in a fall-back overlap, one otherwise. Tries every offset the zone has around that day
 * and keeps those the zone really uses at the instant they give.
 */
export function instantsOf(date: string, minute: number, timeZone: string): number[] {
  const zone = IANAZone.create(timeZone);
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, 0, minute);
  const offsets = new Set([zone.offset(wall - DAY), zone.offset(wall), zone.offset(wall + DAY)]);
  const instants = [...offsets].map((o) => wall - o * MINUTE).filter((ts) => zone.offset(ts) === (wall - ts) / MINUTE);
  return [...new Set(instants)].sort((a, b) => a - b);
}

const local = (ts: number, timeZone: string) => DateTime.fromMillis(ts, { zone: timeZone });
const isoLocal = (ts: number, timeZone: string) => local(ts, timeZone).toISO({ suppressMilliseconds: true })!;

/** `date` plus `days` calendar days, YYYY-MM-DD. */
export const addDays = (date: string, days: number): string => DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate()!;

/** The local date in the zone at an instant. */
export const localDateAt = (at: Date, timeZone: string): string => local(at.getTime(), timeZone).toISODate()!;

/** The day's pattern: its exception if it has one (a holiday has none), else its weekday's. */
export function dayOf(p: SchedulePattern, date: string): { periods: { from: string; to: string }[]; minutesPerAppointment: number } | null {
  const exception = p.exceptions.find((e) => e.date === date);
  if (exception) return 'closed' in exception ? null : exception;
  const weekday = WEEKDAYS[DateTime.fromISO(date, { zone: 'UTC' }).weekday - 1]!;
  return p.week[weekday] ?? null;
}

/** The slots of one local date, in time order. */
export function slotsOn(p: SchedulePattern, date: string): Slot[] {
  const day = dayOf(p, date);
  if (!day) return [];
  const length = day.minutesPerAppointment;
  const slots: Slot[] = [];
  for (const { from, to } of day.periods) {
    for (let m = minuteOfDay(from); m + length <= minuteOfDay(to); m += length) {
      for (const ts of instantsOf(date, m, p.timeZone)) {
        const end = ts + length * MINUTE;
        slots.push({
          start: new Date(ts).toISOString(),
          end: new Date(end).toISOString(),
          localStart: isoLocal(ts, p.timeZone),
          localEnd: isoLocal(end, p.timeZone),
          date,
          minutes: length,
        });
      }
    }
  }
  return slots.sort((a, b) => a.start.localeCompare(b.start));
}

/** The slots of `days` local dates from `from`, in time order. */
export function slotsBetween(p: SchedulePattern, from: string, days: number): Slot[] {
  return Array.from({ length: days }, (_, i) => slotsOn(p, addDays(from, i))).flat();
}

/** The pattern's slot starting at exactly this instant, if there is one. */
export function slotStartingAt(p: SchedulePattern, at: Date): Slot | null {
  const date = localDateAt(at, p.timeZone);
  return slotsOn(p, date).find((s) => Date.parse(s.start) === at.getTime()) ?? null;
}

/** Why a slot of the pattern cannot be booked now: too soon (or past), or beyond the horizon; null when it can. */
export function notBookableBecause(rules: BookingRules, slot: Slot, now: Date): 'too-soon' | 'beyond-horizon' | null {
  if (Date.parse(slot.start) < now.getTime() + rules.minimumNoticeMinutes * MINUTE) return 'too-soon';
  if (slot.date > lastBookableDate(rules, now)) return 'beyond-horizon';
  return null;
}

export const lastBookableDate = (rules: BookingRules, now: Date): string => addDays(localDateAt(now, rules.timeZone), rules.horizonDays);

/** The bookable slots of `days` local dates from `from`. */
export function bookableSlots(rules: BookingRules, from: string, days: number, now: Date): Slot[] {
  return slotsBetween(rules, from, days).filter((s) => notBookableBecause(rules, s, now) === null);
}

/** What a booking lacks of the identification its schedule requires. */
export function missingIdentification(required: Identification, given: { customerId?: string | null; phone?: string | null }): string[] {
  const missing: string[] = [];
  if (required !== 'none' && !given.customerId) missing.push('customerId');
  if (required === 'customer-id-and-phone' && !given.phone) missing.push('phone');
  return missing;
}
