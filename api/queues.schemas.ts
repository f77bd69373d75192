// What /v1/queues answers: configurations, the IVR's status and an agent's list and next record.
import { z } from 'zod';
import { WEEKDAYS } from '../domain/queue-config.js';
import { OVERDUE_AFTER_MINUTES, TIMINGS } from '../domain/record-timing.js';
import { callbackRecordView } from './callbacks.schemas.js';
import { count, utcInstant } from './schemas.js';
import type { Queue } from '../db/configuration.js';
import type { QueueLoad } from '../db/queue-status.js';
import type { LocalTime } from '../domain/opening-hours.js';
import type { OpeningHours } from '../domain/queue-config.js';

const clock = () => z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/);
export const openingPeriod = z
  .strictObject({
    from: clock().describe('Opens at, HH:MM local time (inclusive).'),
    to: clock().describe('Closes at, HH:MM local time (exclusive; 24:00 for midnight).'),
  })
  .describe("One opening period of a day, in the queue's time zone.");

export const openingHours = z
  .partialRecord(z.enum(WEEKDAYS), z.array(openingPeriod))
  .describe("Weekly opening hours by weekday (`monday` ... `sunday`), in the queue's time zone; a day absent or empty is closed.");

export const queueConfig = z
  .strictObject({
    name: z.string().describe("The queue's name, as records and agents name it."),
    orgArea: z.string().describe('The organisation area the queue belongs to.'),
    timeZone: z.string().describe("The queue's IANA time zone (`Europe/Stockholm`): its opening hours are read in it."),
    openingHours,
    maxActiveRecords: count()
      .nullable()
      .describe(
        'The most active records (Open, Paused, Active or Closing, whatever their calling time; records being moved there included) the queue takes; null: no limit.',
      ),
    offerTimeoutSeconds: z
      .int()
      .min(1)
      .nullable()
      .describe('How long an offer waits for an agent before it goes to another; null: the `offerTimeoutSeconds` parameter.'),
    gateSize: z
      .int()
      .min(1)
      .nullable()
      .describe(
        'How many records may be in the queue at once (offered, dialled, in a call, in wrap-up); null: the `callbackBufferMax` parameter.',
      ),
    acceptsCallbacks: z
      .boolean()
      .describe('false: requests for a callback in this queue are refused (409 `queue-not-accepting-callbacks`).'),
    wrapUpTimeoutSeconds: z
      .int()
      .min(1)
      .describe(
        "Seconds from the customer answering to the agent's feedback; without feedback by then the record counts as `agent-client-terminated` and leaves the agent.",
      ),
  })
  .describe("A queue's configuration.");

export const queueList = z.strictObject({ items: z.array(queueConfig).describe('Every queue, by name.') }).describe('The queues.');

export const queueLoad = z
  .strictObject({
    scheduled: count().describe('Open records before their calling time (stage `waiting`).'),
    due: count().describe('Open records that are due and wait for room in the queue.'),
    offered: count().describe('Records in the queue for an agent to accept.'),
    withAgent: count().describe('Records with an agent: accepted, dialling, in a call or in wrap-up.'),
    paused: count().describe('Records an administrator paused.'),
  })
  .describe("The queue's records that are not closed, by stage.");

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
    openNow: z.boolean().describe('Whether the queue is within its opening hours now.'),
    today: z
      .strictObject({
        date: z.iso.date().describe("Today's date in the queue's time zone (YYYY-MM-DD)."),
        weekday: z.enum(WEEKDAYS).describe("Today's weekday in the queue's time zone."),
        openingHours: z.array(openingPeriod).describe("Today's opening periods; empty: closed all day."),
      })
      .describe("Today, in the queue's time zone."),
    records: queueLoad,
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

// The types db/ and domain/ give and these schemas are one: a change to either fails to compile.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _queue: Same<z.infer<typeof queueConfig>, Queue> = true;
const _openingHours: Same<z.infer<typeof openingHours>, OpeningHours> = true;
const _load: Same<z.infer<typeof queueLoad>, QueueLoad> = true;
const _today: Same<Omit<z.infer<typeof queueStatus>['today'], 'openingHours'>, Omit<LocalTime, 'time'>> = true;
void [_queue, _openingHours, _load, _today];
