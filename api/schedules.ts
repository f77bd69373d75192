// /v1/schedules: appointment schedules (DOMAIN.md §6): their configuration, the free places of
// their slots for the IVR and the web page, and bookings (api/bookings.ts).
import type { Context } from 'hono';
import type postgres from 'postgres';
import { Hono } from 'hono';
import { z } from 'zod';
import { writeAudit } from '../db/audit.js';
import { findOrgArea, findQueue } from '../db/configuration.js';
import { deleteException, findSchedule, insertSchedule, listSchedules, putException, takenPlaces, updateSchedule, type Schedule } from '../db/schedules.js';
import { CHANNELS } from '../domain/record.js';
import { timeZone } from '../domain/queue-config.js';
import { addDays, bookableSlots, lastBookableDate, localDateAt, type Slot } from '../domain/schedule.js';
import { exceptionDay, exceptionList, IDENTIFICATIONS, localDate, weekPattern } from '../domain/schedule-config.js';
import { actorOf } from './actor.js';
import { audited } from './audited.js';
import { bookSlot, cancelBooking, getBooking, moveBooking, requireSchedule } from './bookings.js';
import { createCallback, queueName } from './callbacks.js';
import type { Sql } from '../db/connect.js';
import type { ApiDeps } from './deps.js';
import { areaId } from './org-areas.js';
import { problem } from './problem.js';
import { phoneOrProblem } from './request-checks.js';
import { instant, validate } from './validate.js';

export const scheduleId = z.string().min(1).max(64).regex(/^[A-Za-z0-9][\w.-]*$/, 'letters, digits and . _ - only');

const scheduleFields = {
  name: z.string().trim().min(1).max(100),
  orgArea: areaId,
  queue: queueName,
  taskType: z.string().trim().min(1).max(100).nullable(),
  timeZone,
  active: z.boolean(),
  week: weekPattern,
  capacity: z.int().min(1).max(10_000),
  horizonDays: z.int().min(1).max(366),
  minimumNoticeMinutes: z.int().min(0).max(43_200),
  identification: z.enum(IDENTIFICATIONS),
  priority: z.int().min(1).max(9),
  exceptions: exceptionList,
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
const exceptionParam = z.object({ id: scheduleId, date: localDate });
const bookingParam = z.object({ id: scheduleId, recordId: z.uuid() });

const availabilityQuery = z.strictObject({
  /** A date in the schedule's zone; today there when left out. */
  from: localDate.optional(),
  days: z.coerce.number().int().min(1).max(62).default(7),
});
const nextQuery = z.strictObject({ after: instant.optional() });

const { phone, ani, customerId, createdBy, comment, language, contactData } = createCallback.shape;
const bookingBody = z
  .strictObject({ slotStart: instant, channel: z.enum(CHANNELS), phone: phone.optional(), ani, customerId, createdBy, comment, language, contactData })
  .refine((b) => b.phone !== undefined || b.ani !== undefined, {
    message: 'the number to call: phone, or the caller\'s number (ani)',
    path: ['phone'],
  });
const moveBody = z.strictObject({ slotStart: instant });

type Tx = Sql | postgres.TransactionSql;

/** Customers act without an X-Actor; an administrator or a system names itself. */
const actorOrCustomer = (c: Context) => (c.req.header('x-actor') === undefined ? 'customer' : actorOf(c));

export function schedulesRouter(deps: ApiDeps) {
  const { sql, defaultCountry } = deps;

  /** The queue must exist, and lie in the schedule's organisation area (the queue's when not given). */
  async function placeOf(tx: Tx, queueName: string, orgArea: string | undefined) {
    const queue = await findQueue(tx, queueName);
    if (!queue) throw problem(422, 'unknown-queue', `no queue ${queueName}`, { errors: [{ path: 'queue', message: 'unknown queue' }] });
    if (orgArea !== undefined && orgArea !== queue.orgArea) {
      if (!(await findOrgArea(tx, orgArea))) {
        throw problem(422, 'unknown-org-area', `no organisation area ${orgArea}`, { errors: [{ path: 'orgArea', message: 'unknown organisation area' }] });
      }
      throw problem(422, 'queue-not-in-org-area', `queue ${queue.name} belongs to organisation area ${queue.orgArea}`, {
        errors: [{ path: 'queue', message: `belongs to organisation area ${queue.orgArea}` }],
      });
    }
    return queue;
  }

  const withPlaces = async (schedule: Schedule, slots: Slot[]) => {
    if (slots.length === 0) return [];
    const taken = await takenPlaces(sql, schedule.id, slots[0]!.start, slots.at(-1)!.end);
    return slots.map((s) => ({ ...s, capacity: schedule.capacity, free: Math.max(0, schedule.capacity - (taken.get(Date.parse(s.start)) ?? 0)) }));
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

  return new Hono()
    .get('/', async (c) => c.json({ items: await listSchedules(sql) }))

    .post('/', validate('json', createSchedule), async (c) => {
      const actor = actorOf(c);
      const body = c.req.valid('json');
      const queue = await placeOf(sql, body.queue, body.orgArea);
      const schedule: Schedule = { ...body, orgArea: queue.orgArea, timeZone: body.timeZone ?? queue.timeZone };
      if (!(await insertSchedule(sql, schedule))) throw problem(409, 'already-exists', `schedule ${schedule.id} exists`);
      await writeAudit(sql, { actor, action: 'schedule-create', detail: { schedule }, result: 'ok' });
      c.header('location', `/v1/schedules/${schedule.id}`);
      return c.json(schedule, 201);
    })

    .get('/:id', validate('param', idParam), async (c) => c.json(await requireSchedule(deps, c.req.valid('param').id)))

    // A changed pattern, capacity or stop applies to new bookings and moves; bookings made stay.
    .patch('/:id', validate('param', idParam), validate('json', changeSchedule), async (c) => {
      const actor = actorOf(c);
      const { id } = c.req.valid('param');
      const changes = c.req.valid('json');
      const next = await sql.begin(async (tx) => {
        const schedule = await findSchedule(tx, id, { lock: true });
        if (!schedule) throw problem(404, 'not-found', 'no schedule with this id');
        const next = { ...schedule, ...changes };
        if (changes.queue !== undefined || changes.orgArea !== undefined) {
          next.orgArea = (await placeOf(tx, next.queue, changes.orgArea ?? (changes.queue === undefined ? schedule.orgArea : undefined))).orgArea;
        }
        await updateSchedule(tx, next);
        return next;
      });
      await writeAudit(sql, { actor, action: 'schedule-change', detail: { schedule: id, changes }, result: 'ok' });
      return c.json(next);
    })

    .put('/:id/exceptions/:date', validate('param', exceptionParam), validate('json', exceptionDay), async (c) => {
      const actor = actorOf(c);
      const { id, date } = c.req.valid('param');
      await requireSchedule(deps, id);
      const exception = { date, ...c.req.valid('json') };
      await putException(sql, id, exception);
      await writeAudit(sql, { actor, action: 'schedule-exception-put', detail: { schedule: id, exception }, result: 'ok' });
      return c.json(exception);
    })

    .delete('/:id/exceptions/:date', validate('param', exceptionParam), async (c) => {
      const actor = actorOf(c);
      const { id, date } = c.req.valid('param');
      await requireSchedule(deps, id);
      if (!(await deleteException(sql, id, date))) throw problem(404, 'not-found', 'no exception on this date');
      await writeAudit(sql, { actor, action: 'schedule-exception-delete', detail: { schedule: id, date }, result: 'ok' });
      return c.body(null, 204);
    })

    // For the web page and the IVR: the bookable slots of these days, with their free places.
    .get('/:id/availability', validate('param', idParam), validate('query', availabilityQuery), async (c) => {
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
    .get('/:id/next-free-slot', validate('param', idParam), validate('query', nextQuery), async (c) => {
      const schedule = await requireSchedule(deps, c.req.valid('param').id);
      const { after } = c.req.valid('query');
      const slot = await nextFree(schedule, after ? new Date(after) : null, new Date());
      return c.json({ scheduleId: schedule.id, timeZone: schedule.timeZone, active: schedule.active, slot });
    })

    .post('/:id/bookings', validate('param', idParam), validate('json', bookingBody), async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const key = c.req.header('idempotency-key');
      if (key !== undefined && !/^[\x21-\x7e]{1,200}$/.test(key)) {
        throw problem(400, 'validation-error', 'invalid Idempotency-Key header', {
          errors: [{ path: 'Idempotency-Key', message: '1 to 200 printable characters' }],
        });
      }
      const answer = await bookSlot(
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
        key,
      );
      c.header('location', `/v1/schedules/${id}/bookings/${answer.record.id}`);
      return c.json(answer, 201);
    })

    .get('/:id/bookings/:recordId', validate('param', bookingParam), async (c) => {
      const { id, recordId } = c.req.valid('param');
      return c.json(await getBooking(deps, id, recordId));
    })

    .delete('/:id/bookings/:recordId', validate('param', bookingParam), async (c) => {
      const actor = actorOrCustomer(c);
      const { id, recordId } = c.req.valid('param');
      const answer = await audited(sql, { actor, action: 'booking-cancel', recordId, detail: { schedule: id } }, () =>
        cancelBooking(deps, id, recordId, actor),
      );
      return c.json(answer);
    })

    .patch('/:id/bookings/:recordId', validate('param', bookingParam), validate('json', moveBody), async (c) => {
      const actor = actorOrCustomer(c);
      const { id, recordId } = c.req.valid('param');
      const { slotStart } = c.req.valid('json');
      const answer = await audited(sql, { actor, action: 'booking-move', recordId, detail: { schedule: id, slotStart } }, () =>
        moveBooking(deps, id, recordId, slotStart, actor),
      );
      return c.json(answer);
    });
}
