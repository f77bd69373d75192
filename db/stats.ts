// Reads of the statistics' daily rollups (db/migrations/018_statistics.sql keeps them up to date
// in the transactions that write the history): never the history itself, so a report costs the
// same however long the history grows.
import type { ConnectRow, MeasureRow } from '../domain/stats.js';
import type { Sql } from './connect.js';

export interface StatsPeriod {
  from: string;
  to: string;
  /** These queues only; every queue with something counted in the period when left out. */
  queues?: readonly string[];
}

const inQueues = (sql: Sql, queues: readonly string[] | undefined) => (queues ? sql`and queue in ${sql(queues)}` : sql``);

/** Each queue's and day's measures in the period (a measure's shards added up). */
export async function dailyMeasures(sql: Sql, p: StatsPeriod): Promise<MeasureRow[]> {
  return sql<MeasureRow[]>`
    select queue, day::text as day, measure, sum(value)::float8 as value from stats_daily
    where day between ${p.from}::date and ${p.to}::date ${inQueues(sql, p.queues)}
    group by queue, day, measure`;
}

/** The connect times' median and 90th percentile per queue and day, and per queue for the period (day null). */
export async function connectPercentiles(sql: Sql, p: StatsPeriod): Promise<ConnectRow[]> {
  return sql<ConnectRow[]>`
    select queue, day::text as day,
      percentile_cont(0.5) within group (order by seconds) as p50,
      percentile_cont(0.9) within group (order by seconds) as p90
    from stats_connects
    where day between ${p.from}::date and ${p.to}::date ${inQueues(sql, p.queues)}
    group by grouping sets ((queue, day), (queue))`;
}

/**
 * The time zone each of `queues` counts its days in; a queue that no longer exists, but whose
 * statistics do, counted in UTC (as the rollups did).
 */
export async function statsQueues(sql: Sql, queues: readonly string[]): Promise<{ queue: string; timeZone: string }[]> {
  if (queues.length === 0) return [];
  const zones = await sql<{ name: string; timeZone: string }[]>`select name, time_zone from queues where name in ${sql(queues)}`;
  const known = new Map(zones.map((z) => [z.name, z.timeZone]));
  const counted = new Set(
    (
      await sql<{ queue: string }[]>`
        select q.name as queue from unnest(${sql.array(queues as string[])}::text[]) q(name)
        where exists (select 1 from stats_daily s where s.queue = q.name)`
    ).map((r) => r.queue),
  );
  return queues.filter((q) => known.has(q) || counted.has(q)).map((queue) => ({ queue, timeZone: known.get(queue) ?? 'UTC' }));
}
