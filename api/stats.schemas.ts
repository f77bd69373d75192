// What /v1/stats takes and answers.
import { z } from 'zod';
import { localDate } from '../domain/schedule-config.js';
import { MAX_PERIOD_DAYS, periodDays } from '../domain/stats.js';
import { queueName } from './schemas.js';

export { statsReportSchema } from '../domain/stats-schema.js';

/** A queue parameter given once is a string; given again, a list; either may hold names separated by commas. */
const queueList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => [...new Set([v].flat().flatMap((s) => s.split(',')))])
  // Checked as a whole, so that a bad name is an error of `queue` itself.
  .refine(
    (names) => names.length <= 100 && names.every((name) => queueName.safeParse(name).success),
    'queue names: letters, digits and . _ - (at most 64 characters), at most 100 of them',
  );

export const statsQuery = z
  .strictObject({
    from: localDate.describe("The first day, YYYY-MM-DD in each queue's time zone"),
    to: localDate.describe('The last day (included), YYYY-MM-DD'),
    queue: queueList
      .optional()
      .describe(
        'These queues only (repeat the parameter, or separate names with commas); every queue with something counted when left out',
      ),
    format: z.enum(['json', 'csv']).default('json').describe('csv: the same figures as a table, one line per queue and day'),
  })
  .refine((q) => q.from <= q.to, { message: 'is after to', path: ['from'] })
  .refine((q) => q.from > q.to || periodDays(q.from, q.to) <= MAX_PERIOD_DAYS, {
    message: `the period is longer than ${MAX_PERIOD_DAYS} days`,
    path: ['to'],
  });
