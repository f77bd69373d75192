// EXPLAIN of what the worker's sweeps and the busiest reads ask PostgreSQL, captured as they are
// sent (not copied here, so that the plans follow the code), with the table as the backlog left it.
import type { BenchEnvironment } from './environment.js';
import { connect, type Sql } from '../db/connect.js';
import { forgetExpiredIdempotencyKeys } from '../db/admission.js';
import { forgetAuditBefore } from '../db/audit.js';
import { forgetExpiredSessions } from '../db/people.js';
import { listRecords, offeredInQueue, unstartedRecords } from '../db/records.js';
import { queueLoad, recentWaits } from '../db/queue-status.js';
import { claimDueDeliveries, forgetFinishedDeliveries } from '../db/webhooks.js';
import { forgetLastAgentsPastRetention } from '../worker/retention.js';
import { readSystemState } from '../worker/system-state.js';

export interface Plan {
  what: string;
  query: string;
  /** Each scan in the plan: `Index Scan using callbacks_queue_open on callbacks`, `Seq Scan on callbacks` ... */
  scans: string[];
  /** A sequential scan of the records or their history, the tables that grow with the backlog. */
  seqScanOfLargeTable: boolean;
  plan: string[];
}

const LARGE = ['callbacks', 'callback_events'];

export async function explainSweeps(env: BenchEnvironment, queue: string): Promise<Plan[]> {
  const sent: { what: string; query: string; parameters: unknown[] }[] = [];
  let what = '';
  const capturing = connect({
    url: env.config.DATABASE_URL!,
    max: 1,
    prepare: false,
    debug: (_connection, query, parameters) => {
      // Not the transactions' bounds, nor postgres.js's own look-up of the array types.
      if (!/^\s*(begin|commit|rollback)\b/i.test(query) && !/\bpg_type\b/.test(query)) sent.push({ what, query, parameters });
    },
  });
  const run = async (name: string, fn: (sql: Sql) => Promise<unknown>) => {
    what = name;
    await fn(capturing);
  };
  try {
    await run('sweep: unstarted records', (sql) => unstartedRecords(sql, 30_000, 100));
    await run('sweep: retention, idempotency keys', (sql) => forgetExpiredIdempotencyKeys(sql));
    await run('sweep: retention, audit log', (sql) => forgetAuditBefore(sql, new Date(Date.now() - 180 * 86_400_000)));
    await run('sweep: retention, last agents', (sql) => forgetLastAgentsPastRetention(sql));
    await run('sweep: retention, sessions', (sql) => forgetExpiredSessions(sql, 1800));
    await run('sweep: webhook claims', (sql) => claimDueDeliveries(sql, { subscriptions: 8, perSubscription: 20, leaseMs: 30_000 }));
    await run('sweep: webhook log retention', (sql) => forgetFinishedDeliveries(sql, new Date(Date.now() - 30 * 86_400_000)));
    await run('gauges: system state', (sql) => readSystemState(sql, env.client));
    await run('read: record search by queue', (sql) => listRecords(sql, { queue, status: 'Open', limit: 50 }));
    await run('read: queue status', (sql) => queueLoad(sql, queue));
    await run('read: queue status, recent waits', (sql) => recentWaits(sql, queue, 60));
    await run('read: /next', (sql) => offeredInQueue(sql, queue, 'bench-agent', { waitingListFirst: true, limit: 5 }));
  } finally {
    await capturing.end({ timeout: 5 });
  }
  const plans: Plan[] = [];
  const seen = new Set<string>();
  for (const { what, query, parameters } of sent) {
    if (seen.has(query)) continue;
    seen.add(query);
    const rows = await env.sql.unsafe<{ 'QUERY PLAN': string }[]>(`explain ${query}`, parameters as never[]);
    const plan = rows.map((r) => r['QUERY PLAN']);
    const scans = plan.flatMap(
      (line) =>
        /((?:Parallel )?(?:Seq Scan|Index Scan|Index Only Scan|Bitmap Heap Scan|Bitmap Index Scan)(?: Backward)?(?: using \S+)? on \S+)/.exec(
          line,
        )?.[1] ?? [],
    );
    plans.push({
      what,
      query: query.replace(/\s+/g, ' ').trim(),
      scans,
      seqScanOfLargeTable: scans.some((s) => /Seq Scan/.test(s) && LARGE.includes(s.split(' on ')[1]!)),
      plan,
    });
  }
  return plans;
}
