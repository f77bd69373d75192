// What configures an appointment schedule: its weekly pattern of bookable periods
// with minutes per appointment per weekday, its exception dates, and the booking rules,
// validated the same way wherever they come from.
import { DateTime } from 'luxon';
import { z } from 'zod';
import { period, WEEKDAYS } from './queue-config.js';

/** What a booking must carry to identify the customer, besides the number to call. */
export const IDENTIFICATIONS = ['none', 'customer-id', 'customer-id-and-phone'] as const;
export type Identification = (typeof IDENTIFICATIONS)[number];

export const minutesPerAppointment = z
  .int()
  .min(5)
  .max(480)
  .describe('Minutes per appointment: each period is cut into slots this long from its start');

const noOverlap = (periods: { from: string; to: string }[]) =>
  [...periods].sort((a, b) => a.from.localeCompare(b.from)).every((p, i, all) => i === 0 || all[i - 1]!.to <= p.from);

const periods = z
  .array(period)
  .min(1)
  .max(16)
  .refine(noOverlap, 'periods of one day must not overlap')
  .describe('Bookable periods, local time');

/** One weekday's bookable periods, cut into appointments of this many minutes from each period's start. */
export const dayPattern = z.strictObject({ periods, minutesPerAppointment });
export const weekPattern = z.partialRecord(z.enum(WEEKDAYS), dayPattern.describe("A weekday's bookable periods and appointment length"));
export type WeekPattern = z.infer<typeof weekPattern>;

/** A calendar date in the schedule's zone, YYYY-MM-DD. */
export const localDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
  .refine((d) => DateTime.fromISO(d, { zone: 'UTC' }).isValid, 'not a calendar date');

const note = z.string().trim().min(1).max(200).optional().describe('Why, e.g. the holiday');
const closedDay = z.literal(true).describe('No slots this day');
const onDate = localDate.describe("The date, YYYY-MM-DD in the schedule's zone");

/** A holiday (closed) or a day with other hours than its weekday's; it replaces that day's pattern. */
export const exceptionDay = z.union([
  z.strictObject({ closed: closedDay, note }),
  z.strictObject({ periods, minutesPerAppointment, note }),
]);
export const scheduleException = z.union([
  z.strictObject({ date: onDate, closed: closedDay, note }),
  z.strictObject({ date: onDate, periods, minutesPerAppointment, note }),
]);
export type ScheduleException = z.infer<typeof scheduleException>;

export const exceptionList = z
  .array(scheduleException)
  .max(1000)
  .refine((list) => new Set(list.map((e) => e.date)).size === list.length, 'one exception per date');
