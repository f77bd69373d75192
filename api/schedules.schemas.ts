// What /v1/schedules answers: schedules, free slots and bookings.
import { z } from 'zod';
import { scheduleSchema } from '../db/schedules.js';
import { slotSchema } from '../domain/schedule.js';
import { scheduleException as scheduleExceptionSchema } from '../domain/schedule-config.js';
import { callbackRecordView } from './callbacks.schemas.js';
import { count } from './schemas.js';
import { bookingView, publicRecord } from './self-service.schemas.js';

export const webBooked = publicRecord
  .extend({
    booking: bookingView.describe('The slot booked.'),
    selfServiceToken: z
      .string()
      .describe('Send as the Callback-Token header to /v1/self-service to read, move or cancel this appointment.'),
  })
  .describe('What a web key gets when it books a slot.');

export const schedule = scheduleSchema;

export const scheduleList = z.strictObject({ items: z.array(schedule).describe('Every schedule.') }).describe('The appointment schedules.');

export const scheduleException = scheduleExceptionSchema.describe('An exception date as stored.');

export const freeSlot = slotSchema
  .extend({ capacity: count().describe('Bookings it takes.'), free: count().describe('Places still free.') })
  .describe('A bookable slot with its free places.');

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
