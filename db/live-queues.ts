// Every queue's open records at once, for the supervisor's live view and wallboards: counts by
// stage and the oldest waits in one pass over the open records (the partial indexes on
// status <> 'Closed' keep it off the closed ones, however many millions there are), and the
// recent waits of every queue in one pass over the last hour's acceptances.
import { CALL_STAGES, type Stage } from '../domain/record.js';
import type { QueueLoad } from './queue-status.js';
import type { Sql } from './connect.js';

export interface OpenRecords {
  records: QueueLoad;
  /** When the longest-waiting record in stage `due` became due; null: none is. */
  oldestDueAt: string | null;
  /** When the longest-waiting offered record became due; null: none is offered. */
  oldestOfferedAt: string | null;
}

export const NO_RECORDS: OpenRecords = {
  records: { scheduled: 0, due: 0, offered: 0, withAgent: 0, paused: 0 },
  oldestDueAt: null,
  oldestOfferedAt: null,
};

/** The queues' open records by stage (only queues that have any). */
export async function openRecordsByQueue(sql: Sql): Promise<Map<string, OpenRecords>> {
  const rows = await sql<{ queue: string; stage: Stage; n: number; oldestDueAt: string | null }[]>`
    select queue, stage, count(*)::int as n, min(due_at) as oldest_due_at
    from callbacks where status <> 'Closed'
    group by queue, stage`;
  const byQueue = new Map<string, OpenRecords>();
  for (const { queue, stage, n, oldestDueAt } of rows) {
    const q = byQueue.get(queue) ?? { ...NO_RECORDS, records: { ...NO_RECORDS.records } };
    byQueue.set(queue, q);
    if (stage === 'waiting') q.records.scheduled += n;
    else if (stage === 'due') {
      q.records.due += n;
      q.oldestDueAt = oldestDueAt;
    } else if (stage === 'offered') {
      q.records.offered += n;
      q.oldestOfferedAt = oldestDueAt;
    } else if (CALL_STAGES.includes(stage)) q.records.withAgent += n;
    else if (stage === 'paused') q.records.paused += n;
  }
  return byQueue;
}

/**
 * Per queue, the median wait in seconds from a record becoming due to an agent accepting it, over
 * the acceptances of the last `windowMinutes`, and how many there were: db/queue-status.ts's
 * recentWaits for every queue in one query (queues without acceptances are absent).
 */
export async function recentWaitsByQueue(sql: Sql, windowMinutes: number): Promise<Map<string, { medianSeconds: number; sample: number }>> {
  const rows = await sql<{ queue: string; median: number; sample: number }[]>`
    select c.queue,
           percentile_cont(0.5) within group (order by extract(epoch from a.at - d.at))::float8 as median,
           count(*)::int as sample
    from callback_events a
    join callbacks c on c.id = a.record_id
    join lateral (
      select at from callback_events d
      where d.record_id = a.record_id and d.type = 'due' and d.seq < a.seq
      order by d.seq desc limit 1
    ) d on true
    where a.type = 'accepted' and a.at > now() - make_interval(mins => ${windowMinutes})
    group by c.queue`;
  return new Map(rows.map((r) => [r.queue, { medianSeconds: r.median, sample: r.sample }]));
}
