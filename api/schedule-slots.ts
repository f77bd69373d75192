// GET /v1/schedules/:id/slots: every slot of a schedule's pattern on the days asked for, with the
// places taken and free, for the administrator's calendar. Availability (schedules.ts) answers the
// customer's question, which slots can be booked now; this answers the back office's, how full
// each slot is, past and not yet bookable ones included.
import { Hono } from 'hono';
import { z } from 'zod';
import { takenPlaces } from '../db/schedules.js';
import { localDateAt, notBookableBecause, slotsBetween, slotSchema } from '../domain/schedule.js';
import { localDate } from '../domain/schedule-config.js';
import { requireSchedule } from '../services/bookings.js';
import { route, ROLE_SETS } from './access.js';
import type { ApiDeps } from './deps.js';
import { scheduleId } from './schedules.js';
import { count, queryInt } from './schemas.js';
import { validate } from './validate.js';

const idParam = z.object({ id: scheduleId });
const slotsQuery = z.strictObject({
  from: localDate.optional().describe("The first date, YYYY-MM-DD in the schedule's zone; today there when left out"),
  days: queryInt(1, 31).default(7).describe('How many days from it'),
});

const NOT_BOOKABLE = ['schedule-stopped', 'past', 'too-short-notice', 'beyond-booking-horizon'] as const;

export const placedSlot = slotSchema
  .extend({
    capacity: count().describe("Bookings it takes (the schedule's capacity now)."),
    taken: count().describe('Places held by records that are not closed (and moves on their way here); may exceed a lowered capacity.'),
    free: count().describe('Places still free: capacity less taken, never below 0.'),
    notBookable: z
      .enum(NOT_BOOKABLE)
      .nullable()
      .describe(
        'Why a customer cannot book it now (the schedule is stopped, it has begun, too short notice, beyond the horizon); null: bookable.',
      ),
  })
  .describe('A slot of the pattern with its places.');

export const scheduleSlots = z
  .strictObject({
    scheduleId: z.string().describe('The schedule.'),
    timeZone: z.string().describe("The schedule's zone: `date`, `localStart` and `localEnd` are on its wall clock."),
    active: z.boolean().describe('Whether it takes bookings.'),
    from: z.string().describe('The first local date listed.'),
    days: count().describe('How many days are listed.'),
    slots: z.array(placedSlot).describe('Every slot of the pattern and its exceptions on these days, in time order.'),
  })
  .describe("A schedule's slots with the places taken and free.");

const read = route({
  summary: "A schedule's slots with places taken and free",
  description:
    'Every slot the weekly pattern and the exception dates give on the days asked for (at most 31), past and unbookable ones ' +
    'included, each with its capacity, the places taken by records that are not closed, the places free, and why it cannot be ' +
    'booked now if it cannot. For the calendar of an administrator; customers ask `/availability`.',
  roles: ROLE_SETS.oversight,
  responses: { 200: { description: 'The slots', schema: scheduleSlots } },
  problems: ['not-found'],
});

export function scheduleSlotsRouter(deps: ApiDeps) {
  return new Hono().get('/:id/slots', read, validate('param', idParam), validate('query', slotsQuery), async (c) => {
    const schedule = await requireSchedule(deps, c.req.valid('param').id);
    const { from: given, days } = c.req.valid('query');
    const now = new Date();
    const from = given ?? localDateAt(now, schedule.timeZone);
    const slots = slotsBetween(schedule, from, days);
    const taken = slots.length ? await takenPlaces(deps.sql, schedule.id, slots[0]!.start, slots.at(-1)!.end) : new Map<number, number>();
    const whyNot = (slot: (typeof slots)[number]) => {
      if (!schedule.active) return 'schedule-stopped' as const;
      if (Date.parse(slot.start) <= now.getTime()) return 'past' as const;
      const because = notBookableBecause(schedule, slot, now);
      return because === 'too-soon'
        ? ('too-short-notice' as const)
        : because === 'beyond-horizon'
          ? ('beyond-booking-horizon' as const)
          : null;
    };
    return c.json({
      scheduleId: schedule.id,
      timeZone: schedule.timeZone,
      active: schedule.active,
      from,
      days,
      slots: slots.map((slot) => {
        const placed = taken.get(Date.parse(slot.start)) ?? 0;
        return {
          ...slot,
          capacity: schedule.capacity,
          taken: placed,
          free: Math.max(0, schedule.capacity - placed),
          notBookable: whyNot(slot),
        };
      }),
    });
  });
}
