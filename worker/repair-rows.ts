// Rebuilds the PostgreSQL copy of records from Temporal, after PostgreSQL was restored from a backup
// older than Temporal's state: every write a record's workflow made to the table is in its history,
// as the input of a `saveRecord` activity (the record as it stood and its new events), so a row that
// is missing or behind, and the events it lacks, are written again exactly as they were first.
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter, type Payload, type PayloadCodec } from '@temporalio/common';
import type { Sql } from '../db/connect.js';
import { saveRecord } from '../db/records.js';
import type { CallbackRecord, HistoryEvent } from '../domain/record.js';
import { CALLBACK_WORKFLOW } from '../workflows/callback-contract.js';

export interface RepairReport {
  /** Records whose workflows were read. */
  examined: number;
  /** Records whose row was missing, behind its workflow, or lacked events: written again. */
  repaired: string[];
  /** Records whose histories could not be read (a payload key missing from PAYLOAD_KEYS, say). */
  failed: { id: string; error: string }[];
}

interface Written {
  record: CallbackRecord | null;
  events: Map<number, HistoryEvent>;
}

/**
 * Looks at every record workflow (running, or closed since `since`: the time of the backup that was
 * restored) and writes again what the table lacks. Safe to run at any time, and again: the table
 * takes a snapshot only if it is newer, and an event only once.
 */
export async function repairRowsFromWorkflows(
  sql: Sql,
  temporal: Client,
  codec: PayloadCodec,
  /** `queue`: only the records of this queue. */
  { since, queue }: { since?: Date; queue?: string } = {},
): Promise<RepairReport> {
  let scope = since ? ` AND (ExecutionStatus = 'Running' OR CloseTime >= '${since.toISOString()}')` : '';
  if (queue !== undefined) scope += ` AND CallbackQueue = '${queue.replace(/[\\']/g, (c) => `\\${c}`)}'`;
  const runs = new Map<string, string[]>();
  for await (const wf of temporal.workflow.list({ query: `WorkflowType = '${CALLBACK_WORKFLOW}'${scope}` })) {
    runs.set(wf.workflowId, [...(runs.get(wf.workflowId) ?? []), wf.runId]);
  }
  const report: RepairReport = { examined: runs.size, repaired: [], failed: [] };
  for (const [id, runIds] of runs) {
    const written: Written = { record: null, events: new Map() };
    try {
      // Earlier runs of a record that continued as new hold its earlier writes.
      const all = new Set(runIds);
      for await (const wf of temporal.workflow.list({ query: `WorkflowId = '${id}'` })) all.add(wf.runId);
      for (const runId of all) await collectWrites(temporal, codec, id, runId, written);
    } catch (err) {
      report.failed.push({ id, error: (err as Error).message });
      continue;
    }
    if (written.record && (await behind(sql, written))) {
      const events = [...written.events.values()].sort((a, b) => a.seq - b.seq);
      await saveRecord(sql, written.record, events);
      report.repaired.push(id);
    }
  }
  return report;
}

async function collectWrites(temporal: Client, codec: PayloadCodec, id: string, runId: string, written: Written): Promise<void> {
  const history = await temporal.workflow.getHandle(id, runId).fetchHistory();
  for (const event of history.events ?? []) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled?.activityType?.name !== 'saveRecord') continue;
    const [payload] = await codec.decode((scheduled.input?.payloads ?? []) as Payload[]);
    const { record, events } = defaultPayloadConverter.fromPayload<{ record: CallbackRecord; events: HistoryEvent[] }>(payload!);
    if (!written.record || record.version > written.record.version) written.record = record;
    for (const e of events) written.events.set(e.seq, e);
  }
}

/** The row is missing, older than the workflow's last write, or lacks some of its events. */
async function behind(sql: Sql, { record, events }: Written): Promise<boolean> {
  const [row] = await sql<{ version: number }[]>`select version from callbacks where id = ${record!.id}`;
  if (!row || row.version < record!.version) return true;
  const [stored] = await sql<{ n: number }[]>`
    select count(*)::int as n from callback_events where record_id = ${record!.id} and seq = any(${[...events.keys()]}::int[])`;
  return stored!.n < events.size;
}
