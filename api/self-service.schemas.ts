// What a customer sees of their own callback, through a web or IVR key.
import { z } from 'zod';
import { CLOSE_REASONS, STATUSES } from '../domain/record.js';
import { utcInstant } from './schemas.js';
import { bookingViewSchema } from '../domain/schedule.js';

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

export const bookingView = bookingViewSchema;

export const selfServiceView = publicRecord
  .extend({ booking: bookingView.nullable().describe('The appointment, when the callback is one; null otherwise.') })
  .describe('What a customer sees of their own callback, with its appointment.');
