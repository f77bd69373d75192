// What /v1/audit answers.
import { z } from 'zod';
import { auditRecordSchema } from '../db/audit.js';

export const auditEntry = auditRecordSchema;

export const auditPage = z
  .strictObject({
    items: z.array(auditEntry).describe('The entries found, newest first.'),
    nextCursor: z.string().nullable().describe('Give as `cursor`, with the same filters, for the next page; null on the last page.'),
  })
  .describe('One page of the audit log.');
