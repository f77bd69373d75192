// What the system-wide gauges read from PostgreSQL when Prometheus scrapes a worker.
import type { Sql } from './connect.js';
import { getParameters } from './configuration.js';

/** Records not closed, counted by queue and stage. */
export async function recordsByQueueAndStage(sql: Sql): Promise<{ queue: string; stage: string; count: number }[]> {
  return sql<{ queue: string; stage: string; count: number }[]>`
    select queue, stage, count(*)::int as count from callbacks where status <> 'Closed' group by queue, stage`;
}

/** Deliveries waiting (pending) or given up (failed) in the webhook outbox. */
export async function webhookOutboxByState(sql: Sql): Promise<{ state: string; count: number }[]> {
  return sql<{ state: string; count: number }[]>`
    select state, count(*)::int as count from webhook_deliveries where state in ('pending', 'failed') group by state`;
}

/** The gate size of each of these queues: its own, or the system's callbackBufferMax. */
export async function gateSizes(sql: Sql, queues: string[]): Promise<Map<string, number>> {
  if (queues.length === 0) return new Map();
  const [rows, params] = await Promise.all([
    sql<{ name: string; gateSize: number | null }[]>`select name, gate_size from queues where name = any(${queues})`,
    getParameters(sql),
  ]);
  const own = new Map(rows.map((r) => [r.name, r.gateSize]));
  return new Map(queues.map((q) => [q, own.get(q) ?? params.callbackBufferMax]));
}
