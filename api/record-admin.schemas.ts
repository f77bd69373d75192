// What an administrator's actions on records answer: a copy, and a bulk action's results.
import { z } from 'zod';
import { STATUSES } from '../domain/record.js';
import { callbackRecordView } from './callbacks.schemas.js';
import { count } from './schemas.js';
import type { Problem } from './problem.js';

export const copiedRecord = callbackRecordView
  .extend({
    channel: z.literal('admin').describe("A copy is always an administrator's request."),
    copiedFrom: z.uuid().describe('The record it was copied from.'),
    duplicate: z.literal(false).describe('Always false: a copy that would duplicate an active record is refused (409 `duplicate`).'),
  })
  .describe("The new record an administrator's copy made.");

// Problems (RFC 9457), as the API answers errors and as a bulk action reports one record's refusal.

export const problemDetails = z
  .looseObject({
    type: z.string().describe('A stable problem type a client can branch on, such as `record-in-call` or `limit-reached`.'),
    title: z.string().describe('A short human-readable summary.'),
    status: z.int().min(400).max(599).describe('The HTTP status.'),
    detail: z.string().optional().describe('More about this occurrence.'),
    instance: z.string().optional().describe("The path of the request (in an error response; absent from a bulk action's results)."),
  })
  .describe('RFC 9457 problem details; some types carry more members (`errors`, `limit`, `scope`, `existing` ...).');

export const BULK_ACTIONS = ['pause', 'enable', 'close', 'change', 'delete'] as const;

export const bulkResult = z
  .strictObject({
    action: z.enum(BULK_ACTIONS).describe('The action taken.'),
    matched: count().describe('Records the filter found (at most 1000).'),
    succeeded: count().describe('Records the action was done to.'),
    failed: count().describe('Records that refused it (`matched` minus `succeeded`).'),
    results: z
      .array(
        z.discriminatedUnion('ok', [
          z.strictObject({
            id: z.uuid().describe("The record's id."),
            ok: z.literal(true).describe('The action was done.'),
            status: z
              .union([z.enum(STATUSES), z.literal('Deleted')])
              .describe("The record's status after the action; `Deleted` for a deleted (erased) record."),
          }),
          z.strictObject({
            id: z.uuid().describe("The record's id."),
            ok: z.literal(false).describe('The record refused the action, or it failed.'),
            problem: problemDetails.describe('Why, as the single-record action would have answered (e.g. 409 `record-in-call`).'),
          }),
        ]),
      )
      .describe('One result per matched record, in the order they finished.'),
  })
  .describe('What a bulk action did to each record its filter found.');

// Every problem the API throws fits the schema a bulk result reports it with.
const _problem: z.infer<typeof problemDetails> extends Omit<Problem, 'status' | 'type'> & { status: number; type: string } ? true : false =
  true;
void _problem;
