// /v1/self-service: the customer's own callback, reached from the web page with the token that
// came with it (header Callback-Token): see it, cancel it, or move it to another time.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { findRecordWithBooking, findSchedule, type Booking } from '../db/schedules.js';
import type { CallbackRecord } from '../domain/record.js';
import { route } from './access.js';
import { bookingView, moveBooking } from '../services/bookings.js';
import type { ApiDeps } from './deps.js';
import { type publicRecord, selfServiceView } from './self-service.schemas.js';
import { problem } from './problem.js';
import { administerRecord } from '../services/record-messages.js';
import { checkRequestTimes } from './request-checks.js';
import { instant } from './schemas.js';
import { validate } from './validate.js';

/** What the customer may know of their callback: nothing of the centre's work on it. */
export function publicView(r: CallbackRecord): z.infer<typeof publicRecord> {
  return {
    id: r.id,
    status: r.status,
    queue: r.queue,
    requestedAt: r.requestedAt,
    dueAt: r.dueAt,
    validUntil: r.validUntil,
    createdAt: r.createdAt,
    closeReason: r.closeReason,
  };
}

const TOKEN = [{ name: 'Callback-Token', description: 'The selfServiceToken given when the callback was requested', required: true }];
const SELF = ['web', 'ivr'] as const;

const routes = {
  read: route({
    summary: 'The customer reads their callback',
    roles: SELF,
    responses: { 200: { description: 'The public view of the callback', schema: selfServiceView } },
    problems: ['invalid-callback-token', 'link-expired', 'not-found'],
    headers: TOKEN,
  }),
  cancel: route({
    summary: 'The customer cancels their callback',
    description: 'It closes as cancelled. A callback being dialled or in a call cannot be cancelled (the customer is on it).',
    roles: SELF,
    responses: { 200: { description: 'The callback, closed as cancelled', schema: selfServiceView } },
    problems: ['invalid-callback-token', 'link-expired', 'not-found', 'record-closed', 'record-in-call', 'not-supported-for-this-record'],
    headers: TOKEN,
  }),
  move: route({
    summary: 'The customer moves their callback to another time',
    description:
      'A callback moves to a new time (`requestedAt`), ahead and within its validity; an appointment to another slot of its ' +
      'schedule (`slotStart`), if that slot has a free place.',
    roles: SELF,
    responses: { 200: { description: 'The callback at its new time', schema: selfServiceView } },
    problems: [
      'invalid-callback-token',
      'link-expired',
      'not-found',
      'record-closed',
      'record-in-call',
      'invalid-time',
      'not-supported-for-this-record',
      'slot-full',
      'no-such-slot',
      'too-short-notice',
      'beyond-booking-horizon',
      'schedule-stopped',
      'booking-being-moved',
    ],
    headers: TOKEN,
  }),
};

const moveBody = z.union([
  z.strictObject({ requestedAt: instant.describe('The new time to call (a callback without an appointment)') }),
  z.strictObject({ slotStart: instant.describe("The new slot's start, as availability gives it (an appointment)") }),
]);

export function selfServiceRouter(deps: ApiDeps) {
  const { sql, tokens } = deps;

  /** The record the token names, with its booking. */
  async function own(c: Context): Promise<{ record: CallbackRecord; booking: Booking | null }> {
    const found = await findRecordWithBooking(sql, await tokens.verify(c.req.header('callback-token')));
    // Deleted for good since the token was given.
    if (!found) throw problem('not-found', 'this callback no longer exists');
    // The link is for a callback still to come: once it has closed or expired, nothing is left to see or change.
    const { status, validUntil } = found.record;
    if (status === 'Closed' || (validUntil !== null && Date.parse(validUntil) <= Date.now())) {
      throw problem('link-expired', status === 'Closed' ? 'the callback has closed' : 'the callback has expired');
    }
    return found;
  }

  /** The customer's view: the record's public part, and its appointment when it has one. */
  async function view(record: CallbackRecord, booking: Booking | null) {
    const schedule = booking && (await findSchedule(sql, booking.scheduleId));
    return { ...publicView(record), booking: booking && schedule ? bookingView(schedule, booking.slotStart, booking.slotEnd) : null };
  }

  /** The customer acts, through the key of the page or IVR that carries their token. */
  const actor = (c: Context) => `customer:${c.get('caller').name}`;

  return (
    new Hono()
      // A customer's own callback, and a refusal that depends on the token: no cache may keep either
      // (a 410 is cacheable by default, and would answer for the next token).
      .use(async (c, next) => {
        await next();
        c.header('cache-control', 'no-store');
      })
      .get('/callback', routes.read, async (c) => {
        const { record, booking } = await own(c);
        return c.json(await view(record, booking));
      })

      .post('/callback/cancel', routes.cancel, async (c) => {
        const { record, booking } = await own(c);
        return c.json(await view(await administerRecord(deps, record.id, { action: 'cancel', actor: actor(c) }), booking));
      })

      .post('/callback/move', routes.move, validate('json', moveBody), async (c) => {
        const { record, booking } = await own(c);
        const body = c.req.valid('json');
        const wrong = (path: string, message: string) =>
          problem('validation-error', 'invalid request body', { errors: [{ path, message }] });
        if (booking) {
          // An appointment moves to another slot of its schedule, with the slot's capacity checked.
          if (!('slotStart' in body)) throw wrong('slotStart', 'an appointment moves to another slot: give slotStart');
          const moved = await moveBooking(deps, booking.scheduleId, record.id, body.slotStart, actor(c));
          return c.json({ ...publicView(moved.record), booking: moved.booking });
        }
        if (!('requestedAt' in body)) throw wrong('requestedAt', 'a callback without an appointment moves to a time: give requestedAt');
        const requestedAt = new Date(body.requestedAt).toISOString();
        checkRequestTimes({ requestedAt });
        const changed = await administerRecord(deps, record.id, { action: 'change', actor: actor(c), changes: { requestedAt } });
        return c.json(await view(changed, null));
      })
  );
}
