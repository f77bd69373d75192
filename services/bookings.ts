// Booking, moving and cancelling appointments in a schedule's slots. A booking is a callback record at
// its slot's start, admitted like any request (service switch, queue, duplicates, limits) and
// holding one of the slot's places in the same transaction; a record's place is free again once
// it closes, whatever closes it. Plain functions, so that other front doors (the customer's web
// page with a signed token) can reuse them with their own access checks.
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import {
  abandonMove,
  attachBooking,
  findBooking,
  findSchedule,
  finishMove,
  holdMove,
  moveInProgress,
  takenAt,
  type Schedule,
} from '../db/schedules.js';
import { CALL_STAGES, newRequest, type CallbackRecord, type Channel } from '../domain/record.js';
import { missingIdentification, notBookableBecause, slotStartingAt, type BookingView, type Slot } from '../domain/schedule.js';
import type { StoredResponse } from '../db/admission.js';
import { admitAndRespond, requestHash } from './admission.js';
import type { ServiceDeps } from './deps.js';
import { problem, type ProblemError } from './problem.js';
import { administerRecord } from './record-messages.js';

/** A booked record stays valid this long after its slot ends: late is still better than never, up to a point. */
export const VALID_AFTER_SLOT_MINUTES = 60;

const validUntilOf = (slot: Slot) => new Date(Date.parse(slot.end) + VALID_AFTER_SLOT_MINUTES * 60_000).toISOString();

export function bookingView(schedule: Pick<Schedule, 'id' | 'timeZone'>, slotStart: string, slotEnd: string): BookingView {
  const local = (iso: string) => DateTime.fromISO(iso, { zone: schedule.timeZone }).toISO({ suppressMilliseconds: true })!;
  return {
    scheduleId: schedule.id,
    timeZone: schedule.timeZone,
    slotStart: new Date(slotStart).toISOString(),
    slotEnd: new Date(slotEnd).toISOString(),
    localStart: local(slotStart),
    localEnd: local(slotEnd),
    minutes: Math.round((Date.parse(slotEnd) - Date.parse(slotStart)) / 60_000),
  };
}

export async function requireSchedule(deps: ServiceDeps, id: string): Promise<Schedule> {
  const schedule = await findSchedule(deps.sql, id);
  if (!schedule) throw problem('not-found', 'no schedule with this id');
  return schedule;
}

/** The pattern's slot at `start` if it may be booked now, else the problem that says why not. */
export function bookableSlot(schedule: Schedule, start: string, now: Date): Slot {
  if (!schedule.active) throw problem('schedule-stopped', `schedule ${schedule.id} takes no bookings now`, { scheduleId: schedule.id });
  const slot = slotStartingAt(schedule, new Date(start));
  if (!slot) {
    throw problem('no-such-slot', 'the schedule has no slot starting at this time', {
      errors: [{ path: 'slotStart', message: "not the start of one of the schedule's slots; see its availability" }],
    });
  }
  switch (notBookableBecause(schedule, slot, now)) {
    case 'too-soon':
      throw problem('too-short-notice', `slots must be booked at least ${schedule.minimumNoticeMinutes} minutes ahead`, {
        minimumNoticeMinutes: schedule.minimumNoticeMinutes,
      });
    case 'beyond-horizon':
      throw problem('beyond-booking-horizon', `slots can be booked at most ${schedule.horizonDays} days ahead`, {
        horizonDays: schedule.horizonDays,
      });
  }
  return slot;
}

function slotFull(schedule: Schedule, slot: Slot) {
  return problem('slot-full', 'every place in this slot is taken', {
    scheduleId: schedule.id,
    slotStart: slot.start,
    capacity: schedule.capacity,
  });
}

export interface BookingRequest {
  slotStart: string;
  /** The number to call, in E.164; the IVR may give only the caller's number (`ani`). */
  phone: string | null;
  ani: string | null;
  customerId: string | null;
  channel: Channel;
  createdBy: string;
  comment: string | null;
  language: string | null;
  contactData: Record<string, string>;
}

export interface BookingAnswer {
  record: CallbackRecord;
  booking: BookingView;
}

/** How a route answers a booking; its bytes are kept for retries with the same Idempotency-Key. */
export interface BookingResponder {
  booked(answer: BookingAnswer): Response | Promise<Response>;
  /** The customer has an active record already, and the area avoids duplicates. */
  refused(duplicate: ProblemError): Response;
}

/**
 * Books the slot: 201 with the record and its booking, or a problem (schedule stopped, no such
 * slot, too soon, beyond the horizon, identification missing, slot full, duplicate, the
 * admission's own refusals). The capacity is checked under the schedule's row lock, within the
 * admission's transaction: parallel bookings of one slot take exactly its capacity.
 */
export async function bookSlot(
  deps: ServiceDeps,
  scheduleId: string,
  request: BookingRequest,
  respond: BookingResponder,
  idempotencyKey?: string,
): Promise<StoredResponse> {
  const schedule = await requireSchedule(deps, scheduleId);
  const slot = bookableSlot(schedule, request.slotStart, new Date());
  const missing = missingIdentification(schedule.identification, request);
  if (missing.length > 0) {
    throw problem('identification-required', `this schedule requires identification: ${schedule.identification}`, {
      identification: schedule.identification,
      missing,
      errors: missing.map((path) => ({ path, message: 'required by the schedule' })),
    });
  }

  return admitAndRespond(
    deps,
    newRequest({
      ...request,
      id: randomUUID(),
      phone: (request.phone ?? request.ani)!,
      queue: schedule.queue,
      taskType: schedule.taskType,
      requestedAt: slot.start,
      validUntil: validUntilOf(slot),
      priority: schedule.priority,
      createdAt: new Date().toISOString(),
    }),
    ({ kind, record }) => {
      if (kind === 'duplicate') {
        return respond.refused(
          problem('duplicate', 'the customer has an active callback already, and the area avoids duplicates', { existing: record.id }),
        );
      }
      return respond.booked({ record, booking: bookingView(schedule, slot.start, slot.end) });
    },
    {
      idempotency: idempotencyKey === undefined ? undefined : { key: idempotencyKey, hash: requestHash({ scheduleId, ...request }) },
      afterInsert: async (tx, record) => {
        // Under the lock the schedule is read again: a stop or a change of pattern since the first read counts.
        const locked = (await findSchedule(tx, scheduleId, { lock: true }))!;
        const current = bookableSlot(locked, slot.start, new Date());
        if ((await takenAt(tx, scheduleId, current)) >= locked.capacity) throw slotFull(locked, current);
        await attachBooking(tx, record.id, scheduleId, current);
      },
    },
  );
}

async function requireBooking(deps: ServiceDeps, scheduleId: string, recordId: string) {
  const schedule = await requireSchedule(deps, scheduleId);
  const found = await findBooking(deps.sql, scheduleId, recordId);
  if (!found) throw problem('not-found', 'no booking with this id in this schedule');
  return { schedule, ...found };
}

export async function getBooking(deps: ServiceDeps, scheduleId: string, recordId: string): Promise<BookingAnswer> {
  const { schedule, record, booking } = await requireBooking(deps, scheduleId, recordId);
  return { record, booking: bookingView(schedule, booking.slotStart, booking.slotEnd) };
}

/**
 * Cancels the booking: its record closes through its workflow as `cancelled`, which frees its
 * place. A record being dialled or in a call is not cancelled (409 record-in-call): the customer is
 * on the phone with the centre. The history names `actor`: the customer's (`customer:...`) when
 * they cancel themselves, an administrator's or system's (`admin:...`) otherwise.
 */
export async function cancelBooking(deps: ServiceDeps, scheduleId: string, recordId: string, actor: string): Promise<BookingAnswer> {
  const { schedule, booking } = await requireBooking(deps, scheduleId, recordId);
  const record = await administerRecord(deps, recordId, { action: 'cancel', actor });
  return { record, booking: bookingView(schedule, booking.slotStart, booking.slotEnd) };
}

/**
 * Moves the booking to another slot of its schedule. The new place is checked and held under the
 * schedule's lock while the old one stays held; the record's workflow then takes the new time (a
 * `change`), and only then is the old place given up. A refusal by the workflow (the record is in
 * a call, or closed) gives up the new place instead. So a slot never holds more than its capacity,
 * even for a moment.
 */
export async function moveBooking(
  deps: ServiceDeps,
  scheduleId: string,
  recordId: string,
  slotStart: string,
  actor: string,
): Promise<BookingAnswer> {
  const { sql } = deps;
  const held = await sql.begin(async (tx) => {
    const schedule = await findSchedule(tx, scheduleId, { lock: true });
    if (!schedule) throw problem('not-found', 'no schedule with this id');
    const found = await findBooking(tx, scheduleId, recordId, { lock: true });
    if (!found) throw problem('not-found', 'no booking with this id in this schedule');
    const { record, booking } = found;
    if (record.status === 'Closed') throw problem('record-closed', 'the record is closed and takes no more actions');
    if (CALL_STAGES.includes(record.stage)) throw problem('record-in-call', 'the record is in a call; it cannot be moved now');
    if (moveInProgress(booking, new Date())) throw problem('booking-being-moved', 'this booking is being moved right now; try again');
    const slot = bookableSlot(schedule, slotStart, new Date());
    if (Date.parse(slot.start) === Date.parse(booking.slotStart)) return { schedule, slot, unchanged: record };
    if ((await takenAt(tx, scheduleId, slot)) >= schedule.capacity) throw slotFull(schedule, slot);
    await holdMove(tx, recordId, slot);
    return { schedule, slot, unchanged: null };
  });
  const { schedule, slot } = held;
  if (held.unchanged) return { record: held.unchanged, booking: bookingView(schedule, slot.start, slot.end) };

  let record: CallbackRecord;
  try {
    record = await administerRecord(deps, recordId, {
      action: 'change',
      actor,
      changes: { requestedAt: slot.start, validUntil: validUntilOf(slot) },
    });
  } catch (err) {
    await abandonMove(sql, recordId, slot);
    throw err;
  }
  await finishMove(sql, recordId, slot);
  return { record, booking: bookingView(schedule, slot.start, slot.end) };
}
