// The sweep that starts the record workflows a crash left unstarted. The API commits a record first
// and starts its workflow right after; a record whose start never happened (the API died in between,
// or Temporal was unreachable) still has version 1 after a grace period, and a worker starts it.
import type { Client } from '@temporalio/client';
import type { Sql } from '../db/connect.js';
import { unstartedRecords } from '../db/records.js';
import { startCallbackWorkflow } from '../workflows/callback-client.js';
import { every } from './every.js';
import { log } from '../telemetry/log.js';

/** Starts every record older than `graceMs` that no workflow has written to yet; returns how many. */
export async function startMissedRecords(sql: Sql, temporal: Client, taskQueue: string, graceMs: number): Promise<number> {
  const missed = await unstartedRecords(sql, graceMs, 100);
  for (const request of missed) await startCallbackWorkflow(temporal, taskQueue, request);
  return missed.length;
}

/** Sweeps every `everyMs` for records older than `graceMs`, until the returned function stops it. */
export function sweepUnstartedRecords(
  sql: Sql,
  temporal: Client,
  taskQueue: string,
  { everyMs, graceMs }: { everyMs: number; graceMs: number },
): () => Promise<void> {
  return every(everyMs, 'the sweep of unstarted records', async () => {
    const n = await startMissedRecords(sql, temporal, taskQueue, graceMs);
    if (n > 0) log().warn({ started: n }, 'started record workflows left unstarted');
  });
}
