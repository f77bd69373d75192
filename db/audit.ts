// The audit log: every administrative action and every search, with who, when, what and which
// filter. Records hold personal data, so who looked for what is kept as long as what was changed.
import type postgres from 'postgres';
import { z } from 'zod';
import type { Sql } from './connect.js';

type Tx = Sql | postgres.TransactionSql;

export interface AuditEntry {
  actor: string;
  /** `search`, `export`, `change`, `copy`, `pause`, `enable`, `close`, `delete`, `bulk-<action>`, `treatment-change` ... */
  action: string;
  recordId?: string | null;
  filter?: object | null;
  detail?: Record<string, unknown>;
  /** `ok`, or the problem type the action was refused with. */
  result: string;
}

export async function writeAudit(sql: Tx, entries: AuditEntry | AuditEntry[]): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries];
  if (list.length === 0) return;
  const rows = list.map((e) => ({
    actor: e.actor,
    action: e.action,
    recordId: e.recordId ?? null,
    filter: e.filter ? sql.json(e.filter as postgres.JSONValue) : null,
    detail: sql.json((e.detail ?? {}) as postgres.JSONValue),
    result: e.result,
  }));
  await sql`insert into audit_log ${sql(rows)}`;
}

/** An entry as read back. `at` keeps the database's microseconds, so that it can bound a page exactly. */
export const auditRecordSchema = z
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
export type AuditRecord = z.infer<typeof auditRecordSchema>;

export interface AuditFilter {
  /** An actor as written (`crm-prod/anna`), a key's name (`crm-prod`) or a person's (`anna`). */
  actor?: string;
  action?: string;
  recordId?: string;
  /** Inclusive. An ISO string keeps microseconds that a Date would drop. */
  from?: Date | string;
  /** Exclusive, so that consecutive ranges neither overlap nor leave gaps. */
  to?: Date | string;
  limit: number;
  /** The last entry of the previous page: the next page starts right after it. */
  after?: { at: string; id: string };
}

// Instants go in as text: postgres.js sends a timestamptz parameter through a JS Date, which
// would drop the microseconds a page boundary needs.
const exact = (instant: Date | string) => (instant instanceof Date ? instant.toISOString() : instant);

/** Newest first (at desc, id desc): `at` is the writer's transaction time, so ids alone do not order them. */
export async function listAudit(sql: Tx, f: AuditFilter): Promise<AuditRecord[]> {
  return sql<AuditRecord[]>`
    select id::text as id,
      to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at,
      actor, action, record_id, filter, detail, result
    from audit_log
    where true
      ${f.actor !== undefined ? sql`and ${f.actor} in (actor, split_part(actor, '/', 1), split_part(actor, '/', 2))` : sql``}
      ${f.action !== undefined ? sql`and action = ${f.action}` : sql``}
      ${f.recordId !== undefined ? sql`and record_id = ${f.recordId}` : sql``}
      ${f.from !== undefined ? sql`and at >= ${exact(f.from)}::text::timestamptz` : sql``}
      ${f.to !== undefined ? sql`and at < ${exact(f.to)}::text::timestamptz` : sql``}
      ${f.after ? sql`and (at, id) < (${f.after.at}::text::timestamptz, ${f.after.id}::bigint)` : sql``}
    order by audit_log.at desc, audit_log.id desc
    limit ${f.limit}`;
}

/** Deletes the entries written before `before` (retention); returns how many. */
export async function forgetAuditBefore(sql: Tx, before: Date): Promise<number> {
  const gone = await sql`delete from audit_log where at < ${before}`;
  return gone.count;
}
