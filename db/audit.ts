// The audit log: every administrative action and every search, with who, when, what and which
// filter. Records hold personal data, so who looked for what is kept as long as what was changed.
import type postgres from 'postgres';
import type { Sql } from './connect.js';

type Tx = Sql | postgres.TransactionSql;

export interface AuditEntry {
  actor: string;
  /** `search`, `export`, `change`, `copy`, `pause`, `enable`, `close`, `delete`, `bulk-<action>`, `treatment-change` ... */
  action: string;
  recordId?: string | null;
  filter?: Record<string, unknown> | null;
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
    record_id: e.recordId ?? null,
    filter: e.filter ? sql.json(e.filter as postgres.JSONValue) : null,
    detail: sql.json((e.detail ?? {}) as postgres.JSONValue),
    result: e.result,
  }));
  await sql`insert into audit_log ${sql(rows)}`;
}
