// What the service keeps only for a while: expired idempotency keys, audit entries older than
// AUDIT_RETENTION_DAYS, and the last agent of records closed longer ago than the
// lastAgentRetentionDays parameter, ended sessions and abandoned single sign-on logins. (Webhook
// deliveries keep their own retention, in webhook-delivery.ts.)
import type { Sql } from '../db/connect.js';
import { forgetExpiredIdempotencyKeys } from '../db/admission.js';
import { forgetAuditBefore } from '../db/audit.js';
import { getParameters } from '../db/configuration.js';
import { forgetLastAgents } from '../db/records.js';
import { forgetExpiredSessions } from '../db/people.js';
import { every } from './every.js';

const DAY_MS = 86_400_000;

export async function forgetLastAgentsPastRetention(sql: Sql): Promise<number> {
  const { lastAgentRetentionDays: days } = await getParameters(sql);
  return days === null ? 0 : forgetLastAgents(sql, new Date(Date.now() - days * DAY_MS));
}

/** Forgets what is past its retention every `everyMs`, until the returned function stops it. */
export function sweepRetention(
  sql: Sql,
  { everyMs, auditRetentionDays, sessionIdleSeconds }: { everyMs: number; auditRetentionDays: number; sessionIdleSeconds: number },
): () => Promise<void> {
  return every(everyMs, 'the retention sweep', async () => {
    await forgetExpiredIdempotencyKeys(sql);
    await forgetAuditBefore(sql, new Date(Date.now() - auditRetentionDays * DAY_MS));
    await forgetLastAgentsPastRetention(sql);
    await forgetExpiredSessions(sql, sessionIdleSeconds);
  });
}
