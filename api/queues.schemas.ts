// What /v1/queues answers: configurations, the IVR's status and an agent's list and next record.
import { z } from 'zod';
import { queueSchema } from '../db/configuration.js';
import { queueLoadSchema } from '../db/queue-status.js';
import { holiday } from '../domain/holidays.js';
import { localTimeSchema } from '../domain/opening-hours.js';
import { openingPeriod } from '../domain/queue-config.js';
import { OVERDUE_AFTER_MINUTES, TIMINGS } from '../domain/record-timing.js';
import { callbackRecordView } from './callbacks.schemas.js';
import { count, utcInstant } from './schemas.js';

export const queueConfig = queueSchema;

export const queueList = z.strictObject({ items: z.array(queueConfig).describe('Every queue, by name.') }).describe('The queues.');

export const NOT_OFFERED_REASONS = [
  'callback-service-disabled',
  'queue-not-accepting-callbacks',
  'queue-limit-reached',
  'org-area-limit-reached',
] as const;

export const queueStatus = z
  .strictObject({
    queue: z.string().describe("The queue's name."),
    timeZone: z.string().describe("The queue's IANA time zone."),
    openNow: z.boolean().describe('Whether the queue is within its opening hours now, its holidays counted.'),
    opensAt: utcInstant()
      .nullable()
      .describe(
        'When the queue opens next (UTC), its holidays counted: an ASAP callback requested now is offered to agents from then. Null when it is open now, or does not open within 400 days.',
      ),
    today: z
      .strictObject({
        date: localTimeSchema.shape.date.describe("Today's date in the queue's time zone (YYYY-MM-DD)."),
        weekday: localTimeSchema.shape.weekday.describe("Today's weekday in the queue's time zone."),
        openingHours: z.array(openingPeriod).describe("Today's opening periods (a holiday's when today is one); empty: closed all day."),
        holiday: z
          .strictObject({ name: z.string().nullable().describe("The holiday's name, if it has one.") })
          .nullable()
          .describe("Today is a holiday: closed, or open the periods above instead of its weekday's; null: an ordinary day."),
      })
      .describe("Today, in the queue's time zone."),
    records: queueLoadSchema,
    expectedWaitSeconds: count()
      .nullable()
      .describe(
        "The expected wait for an ASAP callback: the median time from due to accepted of the queue's recent acceptances; null with too few of them.",
      ),
    expectedWaitBasis: z
      .strictObject({
        windowMinutes: z.int().min(1).describe('The acceptances counted are those of the last this many minutes.'),
        acceptances: count().describe('Acceptances in that window.'),
        minimum: z.int().min(1).describe('Acceptances needed before an expected wait is given.'),
      })
      .describe('What the expected wait is based on.'),
    callbackOffered: z
      .boolean()
      .describe('Whether a callback may be offered now: a request would not be refused for a setting or a limit.'),
    notOfferedBecause: z
      .array(z.enum(NOT_OFFERED_REASONS))
      .describe(
        "Why not (empty when offered): the service is switched off, the queue takes no callbacks, or the queue's or the area's limit of active records is reached.",
      ),
  })
  .describe('For the IVR and the web page: whether to offer a callback now, and what the customer will meet.');

export const nextRecordAnswer = callbackRecordView.describe(
  'The record the agent has taken (200; stage `accepted`, or further on when the agent held it already): their own waiting list first, then priority, then place in line. 204 with no body when the queue offers them none.',
);

export const queueCallbacks = z
  .strictObject({
    queue: z.string().describe('The queue.'),
    at: utcInstant().describe('The instant the timings were judged at.'),
    items: z
      .array(
        callbackRecordView.extend({
          timing: z
            .enum(TIMINGS)
            .describe(
              `upcoming: before its time; overdue: no agent has it and its slot has ended, or ${OVERDUE_AFTER_MINUTES} minutes past its time without a slot; due: the rest.`,
            ),
          booking: z
            .strictObject({
              scheduleId: z.string().describe('The schedule.'),
              slotStart: utcInstant().describe("The slot's start."),
              slotEnd: utcInstant().describe("The slot's end."),
            })
            .nullable()
            .describe('The appointment, or null for a callback without one.'),
        }),
      )
      .describe("The queue's records that are not closed, by calling time."),
    nextCursor: z.string().nullable().describe('Give as `cursor` for the next page; null when this page is not full.'),
  })
  .describe("The agents' list of a queue.");

export const queueHoliday = holiday.describe("A holiday as stored: a date closed, or open other hours than its weekday's.");

export const holidayList = z
  .strictObject({
    queue: z.string().describe("The queue's name."),
    timeZone: z.string().describe('The IANA zone the dates and periods are in.'),
    items: z.array(queueHoliday).describe('The holidays, by date.'),
  })
  .describe("A queue's holidays.");
