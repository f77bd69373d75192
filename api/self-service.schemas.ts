// What a customer sees of their own callback, through a web or IVR key.
import { z } from 'zod';
import { CLOSE_REASONS, STATUSES } from '../domain/record.js';
import { utcInstant } from './schemas.js';
import type { BookingView } from '../services/bookings.js';

export const publicRecord = z
  .strictObject({
    id: z.uuid().describe("The callback's id."),
    status: z.enum(STATUSES).describe('Open, Paused, Active, Closing or Closed.'),
    queue: z.string().describe('The queue that will call.'),
    requestedAt: utcInstant().nullable().describe('The time the customer chose; null: as soon as possible.'),
    dueAt: utcInstant().describe('When the callback is due to be offered to agents.'),
    validUntil: utcInstant().nullable().describe('After this it expires.'),
    createdAt: utcInstant().describe('When it was requested.'),
    closeReason: z.enum(CLOSE_REASONS).nullable().describe('Why it closed (cancelled when the customer cancelled); null while open.'),
  })
  .describe('What a customer may see of their own callback.');

export const bookingView = z
  .strictObject({
    scheduleId: z.string().describe('The appointment schedule.'),
    timeZone: z.string().describe("The schedule's IANA time zone."),
    slotStart: utcInstant().describe("The slot's start, UTC."),
    slotEnd: utcInstant().describe("The slot's end, UTC."),
    localStart: z.string().describe("The slot's start on the schedule's wall clock, with its offset."),
    localEnd: z.string().describe("The slot's end on the schedule's wall clock, with its offset."),
    minutes: z.int().describe("The slot's length in minutes."),
  })
  .describe('An appointment: the slot a record is booked into.');

export const selfServiceView = publicRecord
  .extend({ booking: bookingView.nullable().describe('The appointment, when the callback is one; null otherwise.') })
  .describe('What a customer sees of their own callback, with its appointment.');

// The view the booking logic makes and this schema are one: a change to either fails to compile.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _booking: Same<z.infer<typeof bookingView>, BookingView> = true;
void _booking;
