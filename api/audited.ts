// Runs an administrative action and writes what happened to the audit log, refusals included:
// who tried what on which record is kept whether or not it worked.
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
