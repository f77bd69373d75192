// /v1/schedules: appointment schedules: their configuration, the free places of their slots for
// the IVR and the web page, and bookings (services/bookings.ts).
import type postgres from 'postgres';
import { Hono } from 'hono';
import { z } from 'zod';
import { findOrgArea, findQueue } from '../db/configuration.js';
import {
  deleteException,
  findSchedule,
  insertSchedule,
  listSchedules,
  putException,
  takenPlaces,
  updateSchedule,
  type Schedule,
} from '../db/schedules.js';
import { timeZone } from '../domain/queue-config.js';
import { addDays, bookableSlots, lastBookableDate, localDateAt, type Slot } from '../domain/schedule.js';
import { exceptionDay, exceptionList, IDENTIFICATIONS, localDate, weekPattern } from '../domain/schedule-config.js';
import { AUDITED, route, ROLE_SETS } from './access.js';
import { idempotencyKeyOf, send } from './idempotency.js';
import { actorOf } from './actor.js';
import { audited, auditedChange } from './audited.js';
import { bookSlot, cancelBooking, getBooking, moveBooking, requireSchedule } from '../services/bookings.js';
import type { Sql } from '../db/connect.js';
import type { ApiDeps } from './deps.js';
import { problem, problemResponse } from './problem.js';
import { phoneOrProblem, refuseWhatTheWebMayNotSet } from './request-checks.js';
import {
  availability,
  bookingAnswer,
  nextFreeSlot,
  schedule as scheduleAnswer,
  scheduleException,
  scheduleList,
  webBooked,
} from './schedules.schemas.js';
import { publicView } from './self-service.js';
import { areaId, createCallback, instant, queryInt, queueName } from './schemas.js';
import { validate } from './validate.js';

export const scheduleId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][\w.-]*$/, 'letters, digits and . _ - only')
  .describe("The schedule's id");

const scheduleFields = {
  name: z.string().trim().min(1).max(100).describe('A name for people'),
  orgArea: areaId.describe("The organisation area; the queue's when left out, and it must be the queue's"),
  queue: queueName.describe('The queue whose agents call the booked customers'),
  taskType: z.string().trim().min(1).max(100).nullable().describe('The task type of the booked records, or null'),
  timeZone: timeZone.describe("The IANA zone of the weekly pattern and exceptions; the queue's when left out"),
  active: z.boolean().describe('A stopped schedule offers and takes no bookings; bookings made stay'),
  week: weekPattern.describe('The weekly pattern: per weekday, bookable periods and minutes per appointment'),
  capacity: z.int().min(1).max(10_000).describe('Bookings one slot takes'),
  horizonDays: z.int().min(1).max(366).describe('How many days ahead a slot may be booked (local dates)'),
  minimumNoticeMinutes: z.int().min(0).max(43_200).describe('How long before its start a slot may still be booked'),
  identification: z.enum(IDENTIFICATIONS).describe('What a booking must carry: none, customer-id, or customer-id-and-phone'),
  priority: z.int().min(1).max(9).describe('The priority of the booked records'),
  exceptions: exceptionList.describe('Exception dates: a holiday (closed) or other hours, each replacing its weekday'),
};

/** Left out: the area and the time zone are the queue's; bookable 30 days ahead, an hour's notice. */
const createSchedule = z.strictObject({
  id: scheduleId,
  name: scheduleFields.name,
  orgArea: scheduleFields.orgArea.optional(),
  queue: scheduleFields.queue,
  taskType: scheduleFields.taskType.default(null),
  timeZone: scheduleFields.timeZone.optional(),
  active: scheduleFields.active.default(true),
  week: scheduleFields.week,
  capacity: scheduleFields.capacity,
  horizonDays: scheduleFields.horizonDays.default(30),
  minimumNoticeMinutes: scheduleFields.minimumNoticeMinutes.default(60),
  identification: scheduleFields.identification.default('none'),
  priority: scheduleFields.priority.default(5),
  exceptions: scheduleFields.exceptions.default([]),
});
const changeSchedule = z
  .strictObject(scheduleFields)
  .partial()
  .refine((o) => Object.keys(o).length > 0, 'name at least one field to change');

const idParam = z.object({ id: scheduleId });
const exceptionParam = z.object({ id: scheduleId, date: localDate.describe("The date, YYYY-MM-DD in the schedule's zone") });
const bookingParam = z.object({ id: scheduleId, recordId: z.uuid().describe("The booked record's id") });

const availabilityQuery = z.strictObject({
  from: localDate.optional().describe("The first date, YYYY-MM-DD in the schedule's zone; today there when left out"),
  days: queryInt(1, 62).default(7).describe('How many days from it'),
});
const nextQuery = z.strictObject({
  after: instant.optional().describe('The next free slot starting after this instant (to offer another time); now when left out'),
});

const slotStart = instant.describe("The slot's start, as availability gives it");
const { phone, ani, customerId, createdBy, comment, language, contactData } = createCallback.shape;
const bookingBody = z
  .strictObject({
    slotStart,
    channel: createCallback.shape.channel,
    phone: phone.optional(),
    ani,
    customerId,
    createdBy,
    comment,
    language,
    contactData,
  })
  .refine((b) => b.phone !== undefined || b.ani !== undefined, {
    message: "the number to call: phone, or the caller's number (ani)",
    path: ['phone'],
  });
const moveBody = z.strictObject({ slotStart });

type Tx = Sql | postgres.TransactionSql;

/** Who handles bookings by id: the IVR, agents and back office; the web page has its token. */
const BOOKING_DESK = ['ivr', 'agent', 'admin', 'integration'] as const;
const SCHEDULE_PROBLEMS = ['unknown-queue', 'unknown-org-area', 'queue-not-in-org-area'] as const;
const BOOKING_PROBLEMS = [
  'not-found',
  'schedule-stopped',
  'no-such-slot',
  'too-short-notice',
  'beyond-booking-horizon',
  'slot-full',
] as const;

const routes = {
  list: route({
    summary: 'List appointment schedules',
    roles: ROLE_SETS.oversight,
    responses: { 200: { description: 'Every schedule', schema: scheduleList } },
  }),
  create: route({
    summary: 'Create an appointment schedule',
    description:
      'A weekly pattern of bookable periods per weekday, exception dates, capacity per slot, horizon, notice and identification.',
    roles: ROLE_SETS.admin,
    responses: { 201: { description: 'The schedule as created', schema: scheduleAnswer } },
    problems: [...SCHEDULE_PROBLEMS, 'already-exists'],
    headers: AUDITED,
  }),
  read: route({
    summary: 'Read an appointment schedule',
    roles: ROLE_SETS.oversight,
    responses: { 200: { description: 'The schedule', schema: scheduleAnswer } },
    problems: ['not-found'],
  }),
  change: route({
    summary: 'Change an appointment schedule',
    description: 'Applies to new bookings and moves; bookings made keep their time and place.',
    roles: ROLE_SETS.admin,
    responses: { 200: { description: 'The schedule as changed', schema: scheduleAnswer } },
    problems: ['not-found', ...SCHEDULE_PROBLEMS],
    headers: AUDITED,
  }),
  putException: route({
    summary: 'Set an exception date',
    description: "Closed (a holiday) or other hours; it replaces that date's weekday pattern.",
    roles: ROLE_SETS.admin,
    responses: { 200: { description: 'The exception as stored', schema: scheduleException } },
    problems: ['not-found'],
    headers: AUDITED,
  }),
  deleteException: route({
    summary: 'Remove an exception date',
    roles: ROLE_SETS.admin,
    responses: { 204: { description: 'Removed: the date follows its weekday again' } },
    problems: ['not-found'],
    headers: AUDITED,
  }),
  availability: route({
    summary: 'Free appointment times',
    description: 'Each bookable slot of the days asked for, with its start in UTC and local time, length, capacity and free places.',
    roles: ROLE_SETS.public,
    responses: { 200: { description: 'The slots', schema: availability } },
    problems: ['not-found'],
  }),
  nextFree: route({
    summary: 'The next free slot (or the next after a given time)',
    description:
      'For the IVR: offer the first free time, and another one after it when the customer says no. `slot` is null when none is free within the horizon.',
    roles: ROLE_SETS.public,
    responses: { 200: { description: 'The next free slot, or null', schema: nextFreeSlot } },
    problems: ['not-found'],
  }),
  book: route({
    summary: 'Book a slot',
    description:
      "Creates a callback record at the slot's start, atomically with the slot's capacity, through the same admission as any " +
      'request (service, queue, duplicates, limits). A web key gets the public view and a selfServiceToken to move or cancel it.',
    roles: ROLE_SETS.public,
    responses: {
      201: {
        description: 'The record and its booking (a web key: the public view, booking and token)',
        schema: z.union([bookingAnswer, webBooked]),
      },
    },
    problems: [
      ...BOOKING_PROBLEMS,
      'identification-required',
      'duplicate',
      'callback-service-disabled',
      'queue-not-accepting-callbacks',
      'limit-reached',
      'idempotency-key-reused',
    ],
    headers: [{ name: 'Idempotency-Key', description: 'A retried booking with the same key and body gets the first answer' }],
  }),
  readBooking: route({
    summary: 'Read a booking',
    roles: BOOKING_DESK,
    responses: { 200: { description: 'The record and its booking', schema: bookingAnswer } },
    problems: ['not-found'],
  }),
  cancelBooking: route({
    summary: 'Cancel a booking',
    description: 'Closes the record as cancelled and frees its place (a web page uses /v1/self-service with its token).',
    roles: BOOKING_DESK,
    responses: { 200: { description: 'The record, cancelled, and the booking it had', schema: bookingAnswer } },
    problems: ['not-found', 'record-closed', 'record-in-call'],
    headers: AUDITED,
  }),
  moveBooking: route({
    summary: 'Move a booking to another slot',
    description: 'The new place is taken before the old one is given up, so no slot ever holds more than its capacity.',
    roles: BOOKING_DESK,
    responses: { 200: { description: 'The record at its new time, and its new booking', schema: bookingAnswer } },
    problems: [...BOOKING_PROBLEMS, 'record-closed', 'record-in-call', 'booking-being-moved'],
    headers: AUDITED,
  }),
};

export function schedulesRouter(deps: ApiDeps) {
  const { sql, defaultCountry } = deps;

  /** The queue must exist, and lie in the schedule's organisation area (the queue's when not given). */
  async function placeOf(tx: Tx, queueName: string, orgArea: string | undefined) {
    const queue = await findQueue(tx, queueName);
    if (!queue) throw problem('unknown-queue', `no queue ${queueName}`, { errors: [{ path: 'queue', message: 'unknown queue' }] });
    if (orgArea !== undefined && orgArea !== queue.orgArea) {
      if (!(await findOrgArea(tx, orgArea))) {
        throw problem('unknown-org-area', `no organisation area ${orgArea}`, {
          errors: [{ path: 'orgArea', message: 'unknown organisation area' }],
        });
      }
      throw problem('queue-not-in-org-area', `queue ${queue.name} belongs to organisation area ${queue.orgArea}`, {
        errors: [{ path: 'queue', message: `belongs to organisation area ${queue.orgArea}` }],
      });
    }
    return queue;
  }

  const withPlaces = async (schedule: Schedule, slots: Slot[]) => {
    if (slots.length === 0) return [];
    const taken = await takenPlaces(sql, schedule.id, slots[0]!.start, slots.at(-1)!.end);
    return slots.map((s) => ({
      ...s,
      capacity: schedule.capacity,
      free: Math.max(0, schedule.capacity - (taken.get(Date.parse(s.start)) ?? 0)),
    }));
  };

  /** The first slot after `after` with a free place, within the horizon, looking a week at a time. */
  async function nextFree(schedule: Schedule, after: Date | null, now: Date) {
    if (!schedule.active) return null;
    const last = lastBookableDate(schedule, now);
    const start = after && after > now ? after : now;
    for (let from = localDateAt(start, schedule.timeZone); from <= last; from = addDays(from, 7)) {
      const slots = bookableSlots(schedule, from, 7, now).filter((s) => !after || Date.parse(s.start) > after.getTime());
      const free = (await withPlaces(schedule, slots)).find((s) => s.free > 0);
      if (free) return free;
    }
    return null;
  }

  return (
    new Hono()
      .get('/', routes.list, async (c) => c.json({ items: await listSchedules(sql) }))

      .post('/', routes.create, validate('json', createSchedule), async (c) => {
        const actor = actorOf(c);
        const body = c.req.valid('json');
        const queue = await placeOf(sql, body.queue, body.orgArea);
        const schedule: Schedule = { ...body, orgArea: queue.orgArea, timeZone: body.timeZone ?? queue.timeZone };
        await auditedChange(
          sql,
          async (tx) => {
            if (!(await insertSchedule(tx, schedule))) throw problem('already-exists', `schedule ${schedule.id} exists`);
          },
          () => ({ actor, action: 'schedule-create', detail: { schedule } }),
        );
        c.header('location', `/v1/schedules/${schedule.id}`);
        return c.json(schedule, 201);
      })

      .get('/:id', routes.read, validate('param', idParam), async (c) => c.json(await requireSchedule(deps, c.req.valid('param').id)))

      // A changed pattern, capacity or stop applies to new bookings and moves; bookings made stay.
      .patch('/:id', routes.change, validate('param', idParam), validate('json', changeSchedule), async (c) => {
        const actor = actorOf(c);
        const { id } = c.req.valid('param');
        const changes = c.req.valid('json');
        const next = await auditedChange(
          sql,
          async (tx) => {
            const schedule = await findSchedule(tx, id, { lock: true });
            if (!schedule) throw problem('not-found', 'no schedule with this id');
            const next = { ...schedule, ...changes };
            if (changes.queue !== undefined || changes.orgArea !== undefined) {
              next.orgArea = (
                await placeOf(tx, next.queue, changes.orgArea ?? (changes.queue === undefined ? schedule.orgArea : undefined))
              ).orgArea;
            }
            await updateSchedule(tx, next);
            return next;
          },
          () => ({ actor, action: 'schedule-change', detail: { schedule: id, changes } }),
        );
        return c.json(next);
      })

      .put('/:id/exceptions/:date', routes.putException, validate('param', exceptionParam), validate('json', exceptionDay), async (c) => {
        const actor = actorOf(c);
        const { id, date } = c.req.valid('param');
        await requireSchedule(deps, id);
        const exception = { date, ...c.req.valid('json') };
        await auditedChange(
          sql,
          (tx) => putException(tx, id, exception),
          () => ({ actor, action: 'schedule-exception-put', detail: { schedule: id, exception } }),
        );
        return c.json(exception);
      })

      .delete('/:id/exceptions/:date', routes.deleteException, validate('param', exceptionParam), async (c) => {
        const actor = actorOf(c);
        const { id, date } = c.req.valid('param');
        await requireSchedule(deps, id);
        await auditedChange(
          sql,
          async (tx) => {
            if (!(await deleteException(tx, id, date))) throw problem('not-found', 'no exception on this date');
          },
          () => ({ actor, action: 'schedule-exception-delete', detail: { schedule: id, date } }),
        );
        return c.body(null, 204);
      })

      // For the web page and the IVR: the bookable slots of these days, with their free places.
      .get('/:id/availability', routes.availability, validate('param', idParam), validate('query', availabilityQuery), async (c) => {
        const schedule = await requireSchedule(deps, c.req.valid('param').id);
        const { from: given, days } = c.req.valid('query');
        const now = new Date();
        const from = given ?? localDateAt(now, schedule.timeZone);
        const slots = schedule.active ? bookableSlots(schedule, from, days, now) : [];
        return c.json({
          scheduleId: schedule.id,
          timeZone: schedule.timeZone,
          active: schedule.active,
          from,
          days,
          slots: await withPlaces(schedule, slots),
        });
      })

      // For the IVR: the next free time, or (with `after` a slot's start) the next one after it.
      .get('/:id/next-free-slot', routes.nextFree, validate('param', idParam), validate('query', nextQuery), async (c) => {
        const schedule = await requireSchedule(deps, c.req.valid('param').id);
        const { after } = c.req.valid('query');
        const slot = await nextFree(schedule, after ? new Date(after) : null, new Date());
        return c.json({ scheduleId: schedule.id, timeZone: schedule.timeZone, active: schedule.active, slot });
      })

      .post('/:id/bookings', routes.book, validate('param', idParam), validate('json', bookingBody), async (c) => {
        const { id } = c.req.valid('param');
        const body = c.req.valid('json');
        const { role } = c.get('caller');
        if (role === 'web') refuseWhatTheWebMayNotSet(await c.req.json(), ['createdBy']);
        const key = idempotencyKeyOf(c);
        const response = await bookSlot(
          deps,
          id,
          {
            slotStart: body.slotStart,
            phone: body.phone === undefined ? null : phoneOrProblem(body.phone, defaultCountry, 'phone'),
            ani: body.ani === undefined ? null : phoneOrProblem(body.ani, defaultCountry, 'ani'),
            customerId: body.customerId ?? null,
            channel: body.channel,
            createdBy: body.createdBy ?? body.channel,
            comment: body.comment ?? null,
            language: body.language ?? null,
            contactData: body.contactData,
          },
          {
            async booked({ record, booking }) {
              if (role === 'web') {
                return c.json(
                  { ...publicView(record), booking, selfServiceToken: await deps.tokens.sign(record.id, record.validUntil) },
                  201,
                );
              }
              return c.json({ record, booking }, 201, { location: `/v1/schedules/${id}/bookings/${record.id}` });
            },
            refused: (duplicate) => problemResponse(c, duplicate.problem),
          },
          key,
        );
        return send(c, response);
      })

      .get('/:id/bookings/:recordId', routes.readBooking, validate('param', bookingParam), async (c) => {
        const { id, recordId } = c.req.valid('param');
        return c.json(await getBooking(deps, id, recordId));
      })

      .delete('/:id/bookings/:recordId', routes.cancelBooking, validate('param', bookingParam), async (c) => {
        const actor = actorOf(c);
        const { id, recordId } = c.req.valid('param');
        const answer = await audited(sql, { actor, action: 'booking-cancel', recordId, detail: { schedule: id } }, () =>
          // The IVR cancels for the caller on the line; anyone else cancels as themselves.
          cancelBooking(deps, id, recordId, c.get('caller').role === 'ivr' ? `customer:${actor}` : actor),
        );
        return c.json(answer);
      })

      .patch('/:id/bookings/:recordId', routes.moveBooking, validate('param', bookingParam), validate('json', moveBody), async (c) => {
        const actor = actorOf(c);
        const { id, recordId } = c.req.valid('param');
        const { slotStart } = c.req.valid('json');
        const answer = await audited(sql, { actor, action: 'booking-move', recordId, detail: { schedule: id, slotStart } }, () =>
          moveBooking(deps, id, recordId, slotStart, actor),
        );
        return c.json(answer);
      })
  );
}
