// What a queue looks like now, for the IVR and the web: its records by stage, and how long
// records have recently waited from due to taken by an agent.
import { z } from 'zod';
import { count } from '../domain/record-schema.js';
import type { Sql } from './connect.js';

export const queueLoadSchema = z
  .strictObject({
    scheduled: count().describe('Open records before their calling time (stage `waiting`).'),
    due: count().describe('Open records that are due and wait for room in the queue.'),
    offered: count().describe('Records in the queue for an agent to accept.'),
    withAgent: count().describe('Records with an agent: accepted, dialling, in a call or in wrap-up.'),
    paused: count().describe('Records an administrator paused.'),
  })
  .describe("The queue's records that are not closed, by stage.");
export type QueueLoad = z.infer<typeof queueLoadSchema>;

export async function queueLoad(sql: Sql, queue: string): Promise<QueueLoad> {
  const rows = await sql<{ stage: string; n: number }[]>`
    select stage, count(*)::int as n from callbacks
    where queue = ${queue} and status in ('Open', 'Paused', 'Active', 'Closing')
    group by stage`;
  const of = (...stages: string[]) => rows.filter((r) => stages.includes(r.stage)).reduce((sum, r) => sum + r.n, 0);
  return {
    scheduled: of('waiting'),
    due: of('due'),
    offered: of('offered'),
    withAgent: of('accepted', 'dialling', 'connected'),
    paused: of('paused'),
  };
}

/**
 * The median wait, in seconds, from a record becoming due to an agent accepting it, over the
 * acceptances in the queue within the last `windowMinutes`, and how many there were.
 */
export async function recentWaits(
  sql: Sql,
  queue: string,
  windowMinutes: number,
): Promise<{ medianSeconds: number | null; sample: number }> {
  const [row] = await sql<{ median: number | null; sample: number }[]>`
    select percentile_cont(0.5) within group (order by extract(epoch from a.at - d.at))::float8 as median,
           count(*)::int as sample
    from callback_events a
    join callbacks c on c.id = a.record_id and c.queue = ${queue}
    join lateral (
      select at from callback_events d
      where d.record_id = a.record_id and d.type = 'due' and d.seq < a.seq
      order by d.seq desc limit 1
    ) d on true
    where a.type = 'accepted' and a.at > now() - make_interval(mins => ${windowMinutes})`;
  return { medianSeconds: row?.median ?? null, sample: row?.sample ?? 0 };
}
