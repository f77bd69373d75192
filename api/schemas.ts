// Zod fragments more than one resource's schemas use: names and ids as the API takes them, times
// as it reads and writes them. Routers take fragments from here, never from each other.
import { z } from 'zod';
import { CHANNELS } from '../domain/record.js';

/**
 * An instant with its UTC offset, within years 1970 to 9999 once in UTC: PostgreSQL rejects what
 * lies outside, and a time that cannot be stored must be a 400, never a record that cannot be saved.
 */
export const instant = z.iso
  .datetime({
    offset: true,
    // A local time is the usual mistake: say what is missing rather than that the whole is invalid.
    error: (issue) => {
      if (issue.code !== 'invalid_format') return undefined;
      const local = typeof issue.input === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(issue.input);
      return local
        ? 'has no UTC offset: add Z or one such as +01:00 (2026-12-24T10:00:00+01:00)'
        : 'not an ISO 8601 instant with its UTC offset, such as 2026-12-24T10:00:00+01:00';
    },
  })
  .refine((value) => {
    const year = new Date(value).getUTCFullYear();
    return year >= 1970 && year <= 9999;
  }, 'must lie between the years 1970 and 9999');

/**
 * A whole number from a query string, written in decimal digits only: `z.coerce.number` read
 * `0x10` as 16, `1e1` as 10 and ` ` as 0.
 */
export const queryInt = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, 'a whole number in decimal digits')
    .transform(Number)
    .pipe(z.int().min(min).max(max));

export const areaId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][\w.-]*$/, 'letters, digits and . _ - only');

const name = z.string().trim().min(1).max(100);
export const agentId = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[\w.@:-]+$/, 'letters, digits and . _ @ : - only');
export const queueName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][\w.-]*$/, 'letters, digits and . _ - only');

/** The body of a request for a callback; a booking (schedules.ts) takes the customer's part of it. */
export const createCallback = z.strictObject({
  phone: z.string().min(3).max(32).describe('The number to call: E.164 (+46701234567) or national in DEFAULT_COUNTRY'),
  queue: queueName.describe('The queue whose agents take the call'),
  channel: z.enum(CHANNELS).describe('Where the request came from'),
  createdBy: name.optional().describe('Who made the request (a person or system); the channel when left out'),
  requestedAt: instant.optional().describe('When the customer wants the call; left out: as soon as possible'),
  validUntil: instant
    .optional()
    .describe('After this the record expires, whatever it waits for; left out: the defaultValidityHours parameter'),
  priority: z.int().min(1).max(9).default(5).describe('1 (most urgent) to 9; among records due, 1 is offered first'),
  taskType: name.optional().describe('What the call is about; duplicate policy avoid-same-task-type compares it'),
  customerId: name.optional().describe("The customer's id in the CRM"),
  ani: z.string().min(3).max(32).optional().describe('The number the customer called from, when known'),
  comment: z.string().max(2000).optional().describe('A note for the agent'),
  language: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a language tag such as sv or en-GB')
    .optional()
    .describe("The customer's language, a BCP 47 tag"),
  contactData: z
    .record(z.string().min(1).max(64), z.string().max(1000))
    .refine((d) => Object.keys(d).length <= 50, 'at most 50 keys')
    .default({})
    .describe('Free key-value data for the agent desktop (at most 50 keys)'),
  waitingListOf: agentId
    .optional()
    .describe("An agent whose personal waiting list the record goes to first (until the queue's offer timeout)"),
});

export { count, utcInstant } from '../domain/record-schema.js';
