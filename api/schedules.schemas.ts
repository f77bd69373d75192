// What /v1/schedules answers: schedules, free slots and bookings.
import { z } from 'zod';
import { exceptionList, IDENTIFICATIONS, scheduleException as scheduleExceptionSchema, weekPattern } from '../domain/schedule-config.js';
import { callbackRecordView } from './callbacks.schemas.js';
import { count, utcInstant } from './schemas.js';
import { bookingView, publicRecord } from './self-service.schemas.js';
import type { Schedule } from '../db/schedules.js';
import type { Slot } from '../domain/schedule.js';

export const webBooked = publicRecord
  .extend({
    booking: bookingView.describe('The slot booked.'),
    selfServiceToken: z
      .string()
      .describe('Send as the Callback-Token header to /v1/self-service to read, move or cancel this appointment.'),
  })
  .describe('What a web key gets when it books a slot.');

export const schedule = z
  .strictObject({
    id: z.string().describe("The schedule's id."),
    name: z.string().describe('A name for people.'),
    orgArea: z.string().describe("The organisation area (the queue's)."),
    queue: z.string().describe('The queue whose agents call the booked customers.'),
    taskType: z.string().nullable().describe('The task type of booked records, or null.'),
    timeZone: z.string().describe('The IANA zone of the pattern and the exception dates.'),
    active: z.boolean().describe('Whether it offers and takes bookings.'),
    week: weekPattern.describe('Per weekday: bookable periods and minutes per appointment.'),
    capacity: count().describe('Bookings one slot takes.'),
    horizonDays: count().describe('Days ahead a slot may be booked.'),
    minimumNoticeMinutes: count().describe('Minutes before its start a slot may still be booked.'),
    identification: z.enum(IDENTIFICATIONS).describe('What a booking must carry.'),
    priority: z.int().min(1).max(9).describe('The priority of booked records.'),
    exceptions: exceptionList.describe('Exception dates: closed, or other hours.'),
  })
  .describe('An appointment schedule.');

export const scheduleList = z.strictObject({ items: z.array(schedule).describe('Every schedule.') }).describe('The appointment schedules.');

export const scheduleException = scheduleExceptionSchema.describe('An exception date as stored.');

const slotFields = {
  start: utcInstant().describe("The slot's start, UTC: give it as slotStart to book."),
  end: utcInstant().describe("The slot's end, UTC."),
  localStart: z.string().describe("The start on the schedule's wall clock, with its offset (two slots of a repeated hour differ by it)."),
  localEnd: z.string().describe("The end on the schedule's wall clock, with its offset."),
  date: z.string().describe('The local date whose pattern made the slot.'),
  minutes: count().describe('Its length in minutes.'),
  capacity: count().describe('Bookings it takes.'),
  free: count().describe('Places still free.'),
};
export const freeSlot = z.strictObject(slotFields).describe('A bookable slot with its free places.');

export const availability = z
  .strictObject({
    scheduleId: z.string().describe('The schedule.'),
    timeZone: z.string().describe("The schedule's zone."),
    active: z.boolean().describe('A stopped schedule lists no slots.'),
    from: z.string().describe('The first local date listed.'),
    days: count().describe('How many days are listed.'),
    slots: z.array(freeSlot).describe('Bookable slots (ahead of the notice, within the horizon), in time order, full ones included.'),
  })
  .describe('Free appointment times.');

export const nextFreeSlot = z
  .strictObject({
    scheduleId: z.string().describe('The schedule.'),
    timeZone: z.string().describe("The schedule's zone."),
    active: z.boolean().describe('Whether it takes bookings.'),
    slot: freeSlot.nullable().describe('The first slot with a free place (after `after`), or null within the horizon.'),
  })
  .describe('The next free slot.');

export const bookingAnswer = z
  .strictObject({
    record: callbackRecordView.describe('The booked callback record.'),
    booking: bookingView.describe('Its slot.'),
  })
  .describe('A booking: the record and its slot.');

// The types db/ and domain/ give and these schemas are one: a change to either fails to compile.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _schedule: Same<z.infer<typeof schedule>, Schedule> = true;
const _slot: Same<Omit<z.infer<typeof freeSlot>, 'capacity' | 'free'>, Slot> = true;
void [_schedule, _slot];
