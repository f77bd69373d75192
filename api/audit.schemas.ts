// What /v1/audit answers.
import { z } from 'zod';
import type { AuditRecord } from '../db/audit.js';

export const auditEntry = z
  .strictObject({
    id: z.string().regex(/^\d+$/).describe("The entry's id (a number, as a string)."),
    at: z.iso
      .datetime({ precision: 6 })
      .describe('When, in UTC with microseconds (`2025-03-01T09:30:00.123456Z`), exactly as `from` and `to` take it.'),
    actor: z
      .string()
      .describe("Who acted: the API key's name, followed by `/<X-Actor>` when a system acts for a person (`crm-prod/anna.svensson`)."),
    action: z
      .string()
      .describe(
        'What: `search`, `export`, `change`, `copy`, `pause`, `enable`, `close`, `delete`, `bulk-<action>`, `queue-create`, `queue-change`, `org-area-create`, `org-area-change`, `parameter-change`, `treatment-change`, `treatment-reset` ...',
      ),
    recordId: z.string().nullable().describe('The record acted on, or null.'),
    filter: z
      .record(z.string(), z.unknown())
      .nullable()
      .describe('The search criteria of a search, an export or a bulk action; null for others.'),
    detail: z.record(z.string(), z.unknown()).describe('What was asked or done (changes, comment, counts ...); `{}` when nothing more.'),
    result: z.string().describe('`ok`, or the problem type the action was refused with.'),
  })
  .describe('One entry of the audit log.');

export const auditPage = z
  .strictObject({
    items: z.array(auditEntry).describe('The entries found, newest first.'),
    nextCursor: z.string().nullable().describe('Give as `cursor`, with the same filters, for the next page; null on the last page.'),
  })
  .describe('One page of the audit log.');

// The type db/ reads the log as and this schema are one: a change to either fails to compile.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _audit: Same<z.infer<typeof auditEntry>, AuditRecord> = true;
void _audit;
