// What /v1/callbacks answers: the record as the API shows it, its history, pages of records and
// the answers to a request for a callback.
import { z } from 'zod';
import { callbackRecordSchema, historyEventSchema } from '../domain/record-schema.js';
import { publicRecord } from './self-service.schemas.js';

/** The record's schema, except that the API always gives `copiedFrom` (null when not a copy). */
export const callbackRecordView = callbackRecordSchema
  .extend({ copiedFrom: callbackRecordSchema.shape.copiedFrom.unwrap() })
  .describe(callbackRecordSchema.description!);

export const historyEvent = historyEventSchema;

export const recordWithHistory = callbackRecordView
  .extend({ history: z.array(historyEvent).describe('Every event so far, oldest first.') })
  .describe('A callback record with its full history (GET /v1/callbacks/{id}).');

export const recordPage = z
  .strictObject({
    items: z.array(callbackRecordView).describe('The records found, in the order asked for (newest first by default).'),
    nextCursor: z
      .string()
      .nullable()
      .describe(
        'Give as `cursor`, with the same criteria, for the next page; null when this page is the last (it may also be an empty last page).',
      ),
  })
  .describe('One page of a record search.');

export const recordCount = z
  .strictObject({
    count: z.int().min(0).describe('How many records match the criteria now; when `more`, the most the count goes to.'),
    more: z.boolean().describe('More records match than the count goes to (100,000): narrow the criteria for an exact number.'),
  })
  .describe('How many records a search finds (GET /v1/callbacks/count).');

export const createdRecord = callbackRecordView
  .extend({
    duplicate: z
      .boolean()
      .describe(
        "false: a new record (201). true: the area avoids duplicates and this is the customer's active record already (200); the request went into its history as `duplicate-requested`.",
      ),
  })
  .describe('The record a request for a callback made, or the active record it duplicates.');

export const webCreated = z
  .union([
    publicRecord
      .extend({
        duplicate: z.literal(false).describe('A new callback.'),
        selfServiceToken: z
          .string()
          .describe('Send as the Callback-Token header to /v1/self-service to read, move or cancel this callback.'),
      })
      .describe('A new callback (201).'),
    z
      .strictObject({ duplicate: z.literal(true).describe('The number has an active callback already; nothing of it is shown.') })
      .describe('A duplicate (200).'),
  ])
  .describe('What a web key gets when it requests a callback.');
