// Administrative actions and their audit entries. A record's action runs in its workflow, so it is
// audited after it ran, refusals included: who tried what on which record is kept whether or not
// it worked. A configuration change is a database write, so it commits with its entry or not at all.
import type postgres from 'postgres';
import type { Sql } from '../db/connect.js';
import { writeAudit, type AuditEntry } from '../db/audit.js';
import { ProblemError } from './problem.js';

export async function audited<T>(sql: Sql, entry: Omit<AuditEntry, 'result'>, action: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await action();
  } catch (err) {
    const refused = err instanceof ProblemError ? err.problem.type : 'internal-error';
    await writeAudit(sql, { ...entry, result: refused });
    throw err;
  }
  await writeAudit(sql, { ...entry, result: 'ok' });
  return result;
}

/**
 * A configuration change and its audit entry in one transaction. Written one after the other, an
 * entry that failed (text jsonb cannot hold) left the change made, unaudited, behind a 500.
 */
export async function auditedChange<T>(
  sql: Sql,
  change: (tx: postgres.TransactionSql) => Promise<T>,
  entry: (changed: T) => Omit<AuditEntry, 'result'>,
): Promise<T> {
  return (await sql.begin(async (tx) => {
    const changed = await change(tx);
    await writeAudit(tx, { ...entry(changed), result: 'ok' });
    return changed;
  })) as T;
}
