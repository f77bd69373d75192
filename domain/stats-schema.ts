// The statistics report's shape: per queue and day, and for the period, what happened to callbacks.
import { z } from 'zod';
import { CHANNELS, CLOSE_REASONS } from './record.js';

const count = z.int().min(0);

export const figuresSchema = z.strictObject({
  requested: z
    .strictObject({
      total: count.describe('Requested from every channel.'),
      ...(Object.fromEntries(CHANNELS.map((c) => [c, count.describe(`Requested through the ${c} channel.`)])) as Record<
        (typeof CHANNELS)[number],
        typeof count
      >),
    })
    .describe('Callbacks requested, in all and by channel.'),
  completed: count.describe('Records closed as completed (the agent\'s "Close" after a connected call).'),
  closed: z
    .strictObject({
      total: count.describe('Closed for any reason.'),
      byReason: z.record(z.enum(CLOSE_REASONS), count).describe('Every close reason, 0 when none closed so.'),
    })
    .describe('Records closed, for any reason.'),
  successRate: z.number().min(0).max(1).nullable().describe('completed / closed (4 decimals); null when none closed.'),
  attemptsPerCompleted: z
    .number()
    .min(0)
    .nullable()
    .describe('Call attempts the completed records took, on average (2 decimals); null when none completed.'),
  connected: count.describe('Calls in which the customer answered.'),
  connectSeconds: z
    .strictObject({
      p50: z.number().min(0).nullable().describe('The median, in seconds.'),
      p90: z.number().min(0).nullable().describe('The 90th percentile, in seconds.'),
    })
    .describe(
      'Seconds from the request (or from the time the customer asked for: a later time, a booked slot, a "re-establish later" time) to the customer connected, median and 90th percentile (1 decimal); null when none connected.',
    ),
  offers: z
    .strictObject({
      refused: count.describe('Offers an agent refused.'),
      timedOut: count.describe("Offers no agent took within the offer timeout (a waiting list's, or the queue's)."),
    })
    .describe('Offers to agents that did not lead to a call.'),
  appointments: z
    .strictObject({
      booked: count.describe('Appointments booked (counted on the day of booking).'),
      kept: count.describe('Appointments whose customer was connected (on the day of the first connection).'),
      missed: count.describe('Appointment records closed without the customer ever connected (on the day of closing).'),
    })
    .describe('Bookings in appointment schedules.'),
});
export type Figures = z.infer<typeof figuresSchema>;

export const statsReportSchema = z
  .strictObject({
    from: z.iso.date().describe("The first day, in each queue's zone."),
    to: z.iso.date().describe('The last day (included).'),
    queues: z
      .array(
        z.strictObject({
          queue: z.string().describe("The queue's name."),
          timeZone: z.string().describe("The queue's time zone, in which its days are counted."),
          days: z
            .array(z.strictObject({ day: z.iso.date().describe("The date, in the queue's zone."), ...figuresSchema.shape }))
            .describe('Every day of the period, in order.'),
          total: figuresSchema.describe('The whole period.'),
        }),
      )
      .describe('Each queue asked for, in that order; or every queue with something counted in the period, by name.'),
  })
  .describe(
    "Statistics per queue and day, each figure counted on the day its event happened in the queue's time zone. Deleted records stay counted.",
  );
export type StatsReport = z.infer<typeof statsReportSchema>;
