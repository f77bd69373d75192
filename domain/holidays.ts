// A queue's holiday calendar: dates it is closed, or open other hours than its weekday's. Shaped
// like an appointment schedule's exception dates (domain/schedule-config.ts), with periods checked
// the same way as opening hours.
import { z } from 'zod';
import { period } from './queue-config.js';
import { localDate } from './schedule-config.js';

const noOverlap = (periods: { from: string; to: string }[]) =>
  [...periods].sort((a, b) => a.from.localeCompare(b.from)).every((p, i, all) => i === 0 || all[i - 1]!.to <= p.from);

export const holidayDate = localDate.describe("The date, YYYY-MM-DD in the queue's time zone");

const name = z.string().trim().min(1).max(200).optional().describe('What the day is, e.g. Christmas Eve');
const periods = z
  .array(period)
  .min(1)
  .max(8)
  .refine(noOverlap, 'periods of one day must not overlap')
  .describe("The opening periods of the day, HH:MM to HH:MM local time (24:00 ends the day); they replace its weekday's");

/** What an administrator sets for a date: closed all day, or these hours instead of the weekday's. */
export const holidayDay = z.union([
  z.strictObject({ closed: z.literal(true).describe('Closed all day'), name }),
  z.strictObject({ periods, name }),
]);
export type HolidayDay = z.infer<typeof holidayDay>;

export const holiday = z.union([
  z.strictObject({ date: holidayDate, closed: z.literal(true).describe('Closed all day'), name }),
  z.strictObject({ date: holidayDate, periods, name }),
]);
export type Holiday = z.infer<typeof holiday>;
