// Queries on callback records and their history.
import type postgres from 'postgres';
import type { CallbackRecord, CallbackRequest, HistoryEvent, Stage, Status } from '../domain/record.js';
import { requestOf } from '../domain/record-lifecycle.js';
import type { Sql } from './connect.js';

type Tx = Sql | postgres.TransactionSql;

// Every field of the record, each with its column of the same name: a field added to the
// record without one fails to compile here.
const STORED: Record<keyof CallbackRecord, true> = {
  id: true,
  phone: true,
  queue: true,
  orgArea: true,
  channel: true,
  createdBy: true,
  taskType: true,
  requestedAt: true,
  validUntil: true,
  priority: true,
  customerId: true,
  ani: true,
  comment: true,
  language: true,
  contactData: true,
  status: true,
  stage: true,
  dueAt: true,
  rankAt: true,
  attempts: true,
  outcomeCounts: true,
  latestOutcome: true,
  latestAgent: true,
  latestCallAt: true,
  agentId: true,
  waitingListOf: true,
  refusedBy: true,
  closeRequest: true,
  copiedFrom: true,
  closeReason: true,
  closedAt: true,
  createdAt: true,
  version: true,
};

/** Rows read with these columns are records, with nothing to map. */
export const RECORD_COLUMNS = Object.keys(STORED) as (keyof CallbackRecord)[];

/** The record as its row takes it: json columns marked as such, and the fields older runs lack filled in. */
function writable(sql: Tx, r: CallbackRecord) {
  return {
    ...r,
    contactData: sql.json(r.contactData),
    outcomeCounts: sql.json(r.outcomeCounts),
    waitingListOf: r.waitingListOf ?? null,
    refusedBy: sql.json(r.refusedBy ?? []),
    closeRequest: r.closeRequest ? sql.json(r.closeRequest) : null,
    copiedFrom: r.copiedFrom ?? null,
  };
}

/**
 * Appends history events, and for each one not there yet an outbox row per active webhook
 * subscription that wants its type, in the caller's transaction: an event is saved with its
 * deliveries or not at all. A retried write inserts no event, so it queues no delivery twice.
 */
/** Returns the seqs it inserted: those of `events` not stored before (a retried write inserts none). */
async function insertEvents(sql: Tx, record: CallbackRecord, events: HistoryEvent[]): Promise<number[]> {
  if (events.length === 0) return [];
  const rows = events.map((e) => ({
    recordId: record.id,
    seq: e.seq,
    at: e.at,
    type: e.type,
    actor: e.actor,
    detail: sql.json(e.detail as postgres.JSONValue),
  }));
  const payloads = events.map((e) => ({ seq: e.seq, type: e.type, payload: webhookPayload(record, e) }));
  const inserted = await sql<{ seq: number }[]>`
    with inserted as (
      insert into callback_events ${sql(rows)} on conflict (record_id, seq) do nothing returning seq
    ), subscriptions as (
      -- Locked, so that a subscription deleted meanwhile is either skipped or waits for this insert:
      -- read unlocked, its delete could commit between the read and the foreign key's check.
      select id, events from webhook_subscriptions where active for key share
    ), payloads as (
      select * from jsonb_to_recordset(${sql.json(payloads as unknown as postgres.JSONValue)}) as p(seq int, type text, payload jsonb)
    ), deliveries as (
      insert into webhook_deliveries (subscription_id, event_id, event_type, record_id, payload)
      select s.id, ${record.id}::text || ':' || p.seq::text, p.type, ${record.id}::uuid, p.payload
      from inserted join payloads p using (seq)
      join subscriptions s on p.type = any(s.events) or '*' = any(s.events)
      order by p.seq, s.id
      on conflict (subscription_id, event_id) do nothing
    )
    select seq from inserted`;
  return inserted.map((r) => r.seq);
}

/** What a webhook receiver gets for one event; `id` is the same for every subscription and attempt. */
function webhookPayload(record: CallbackRecord, event: HistoryEvent) {
  return {
    id: `${record.id}:${event.seq}`,
    type: event.type,
    occurredAt: event.at,
    recordId: record.id,
    event: { seq: event.seq, at: event.at, type: event.type, actor: event.actor, detail: event.detail },
    record: { ...record, waitingListOf: record.waitingListOf ?? null, copiedFrom: record.copiedFrom ?? null },
  };
}

/** The API's first write: the record as requested, with its `requested` event. */
export async function insertRecord(sql: Tx, record: CallbackRecord, event: HistoryEvent): Promise<void> {
  await sql`insert into callbacks ${sql(writable(sql, record), RECORD_COLUMNS)}`;
  await insertEvents(sql, record, [event]);
}

/**
 * The workflow's write after each transition. Idempotent: a retried activity adds no second
 * event, and an older snapshot never overwrites a newer one. It also creates the row if the
 * API's own insert never committed (the API crashed after starting the workflow).
 */
/** Returns the events this write added: none when it is a retry of one that committed. */
export async function saveRecord(
  sql: Sql,
  record: CallbackRecord,
  events: HistoryEvent[],
  /** Runs in the same transaction when this save made the row newer (a retried save may not). */
  whenNewer?: (tx: postgres.TransactionSql) => Promise<void>,
): Promise<HistoryEvent[]> {
  const row = writable(sql, record);
  const changing = RECORD_COLUMNS.filter((c) => c !== 'id' && c !== 'createdAt');
  const added = await sql.begin(async (tx) => {
    const written = await tx`
      insert into callbacks ${tx(row, RECORD_COLUMNS)}
      on conflict (id) do update set ${tx(row, changing)}, updated_at = now()
      where callbacks.version < excluded.version
      returning 1`;
    if (written.length > 0 && whenNewer) await whenNewer(tx);
    return insertEvents(tx, record, events);
  });
  const seqs = new Set(added);
  return events.filter((e) => seqs.has(e.seq));
}

/**
 * PostgreSQL refused a value itself (SQLSTATE class 22, e.g. 22021 a NUL in text, 22P02/22P05 a
 * lone surrogate or NUL in JSON): the same write fails again however often it is retried.
 */
export function isDataError(err: unknown): err is postgres.PostgresError {
  const code: unknown = err instanceof Error ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('22');
}

export async function findRecord(sql: Tx, id: string): Promise<CallbackRecord | null> {
  const [row] = await sql<CallbackRecord[]>`select ${sql(RECORD_COLUMNS)} from callbacks where id = ${id}`;
  return row ?? null;
}

export async function findHistory(sql: Tx, id: string): Promise<HistoryEvent[]> {
  return sql<HistoryEvent[]>`
    select seq, at, type, actor, detail from callback_events where record_id = ${id} order by seq`;
}

/** What administrators search records by; every criterion given must hold. */
export interface RecordCriteria {
  queue?: string;
  orgArea?: string;
  status?: Status;
  stage?: Stage;
  phone?: string;
  taskType?: string;
  channel?: string;
  customerId?: string;
  closeReason?: string;
  latestOutcome?: string;
  latestAgent?: string;
  waitingListOf?: string;
  createdFrom?: string;
  createdTo?: string;
  dueFrom?: string;
  dueTo?: string;
}

/**
 * The orders a search can give: by created time (the default, newest first), due time or
 * priority; a leading `-` is descending. Each ends with the id, so that the order is total and a
 * page boundary is exact.
 */
export const RECORD_SORTS = ['-createdAt', 'createdAt', 'dueAt', '-dueAt', 'priority', '-priority'] as const;
export type RecordSort = (typeof RECORD_SORTS)[number];

/**
 * A record's place in an order: the instant it is sorted by (its due time, or its created time),
 * its priority when sorted by that, and its id. By priority, records of one priority follow in
 * the order they were created (ascending: the oldest first, as in line).
 */
export interface SortKey {
  at: string;
  priority?: number;
  id: string;
}

export function sortKeyOf(record: Pick<CallbackRecord, 'createdAt' | 'dueAt' | 'priority' | 'id'>, sort: RecordSort): SortKey {
  const field = sort.replace('-', '');
  if (field === 'priority') return { priority: record.priority, at: record.createdAt, id: record.id };
  return { at: field === 'dueAt' ? record.dueAt : record.createdAt, id: record.id };
}

export interface RecordFilter extends RecordCriteria {
  limit: number;
  /** The order; newest first when not given. */
  sort?: RecordSort;
  /** Keyset position: the sort key of the previous page's last record. */
  after?: SortKey;
}

function matching(sql: Tx, f: RecordCriteria) {
  const eq = (column: string, value: string | undefined) => (value === undefined ? sql`` : sql`and ${sql(column)} = ${value}`);
  return sql`
    ${eq('queue', f.queue)} ${eq('org_area', f.orgArea)} ${eq('status', f.status)} ${eq('stage', f.stage)}
    ${eq('phone', f.phone)} ${eq('task_type', f.taskType)} ${eq('channel', f.channel)} ${eq('customer_id', f.customerId)}
    ${eq('close_reason', f.closeReason)} ${eq('latest_outcome', f.latestOutcome)} ${eq('latest_agent', f.latestAgent)}
    ${eq('waiting_list_of', f.waitingListOf)}
    ${f.createdFrom ? sql`and created_at >= ${f.createdFrom}` : sql``}
    ${f.createdTo ? sql`and created_at < ${f.createdTo}` : sql``}
    ${f.dueFrom ? sql`and due_at >= ${f.dueFrom}` : sql``}
    ${f.dueTo ? sql`and due_at < ${f.dueTo}` : sql``}`;
}

/** The order's ORDER BY and the condition "after this key" (every column in one direction, so one row comparison). */
function ordering(sql: Tx, sort: RecordSort, after: SortKey | undefined) {
  const desc = sort.startsWith('-');
  const dir = desc ? sql`desc` : sql`asc`;
  const beyond = desc ? sql`<` : sql`>`;
  const field = sort.replace('-', '');
  if (field === 'priority') {
    return {
      where: after ? sql`and (priority, created_at, id) ${beyond} (${after.priority ?? 0}, ${after.at}, ${after.id})` : sql``,
      order: sql`priority ${dir}, created_at ${dir}, id ${dir}`,
    };
  }
  const column = field === 'dueAt' ? sql`due_at` : sql`created_at`;
  return {
    where: after ? sql`and (${column}, id) ${beyond} (${after.at}, ${after.id})` : sql``,
    order: sql`${column} ${dir}, id ${dir}`,
  };
}

/** In the order asked for (newest first by default), paged by keyset so that a page never skips or repeats a record. */
export async function listRecords(sql: Tx, f: RecordFilter): Promise<CallbackRecord[]> {
  const { where, order } = ordering(sql, f.sort ?? '-createdAt', f.after);
  return sql<CallbackRecord[]>`
    select ${sql(RECORD_COLUMNS)} from callbacks
    where true ${matching(sql, f)} ${where}
    order by ${order}
    limit ${f.limit}`;
}

/** How many records match, counting no further than `upTo`: what a bulk action on them would touch. */
export async function countRecords(sql: Tx, f: RecordCriteria, upTo: number): Promise<number> {
  const [row] = await sql<{ count: number }[]>`
    select count(*)::int as count from (select 1 from callbacks where true ${matching(sql, f)} limit ${upTo}) found`;
  return row?.count ?? 0;
}

/** The ids of up to `limit` matching records, oldest first: what a bulk action works through. */
export async function matchingIds(sql: Tx, f: RecordCriteria, limit: number): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    select id from callbacks where true ${matching(sql, f)} order by created_at, id limit ${limit}`;
  return rows.map((r) => r.id);
}

/** Clears the last agent's name from records closed before `before`; returns how many. */
export async function forgetLastAgents(sql: Tx, before: Date): Promise<number> {
  const rows = await sql`
    update callbacks set latest_agent = null, updated_at = now()
    where status = 'Closed' and latest_agent is not null and closed_at < ${before}
    returning id`;
  return rows.length;
}

/** Erases a deleted record's data: its row, its history, its calls and a stored answer naming it. */
export async function eraseRecord(sql: Sql, id: string): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`delete from callbacks where id = ${id}`;
    await tx`delete from simulated_calls where record_id = ${id}`;
    await tx`delete from idempotency_keys where record_id = ${id}`;
    // Events not yet delivered carry the record's data: an erased record sends nothing more.
    await tx`delete from webhook_deliveries where record_id = ${id} and state <> 'delivered'`;
  });
}

/**
 * What the queue offers this agent, in the order agents take it: the agent's own waiting list
 * first (with `waitingListFirst`), then priority, then place in line; never a record the agent refused.
 */
export async function offeredInQueue(
  sql: Tx,
  queue: string,
  agentId: string,
  { waitingListFirst, limit }: { waitingListFirst: boolean; limit: number },
): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    select id from callbacks
    where queue = ${queue} and stage = 'offered'
      and (waiting_list_of is null or waiting_list_of = ${agentId})
      and not refused_by @> ${sql.json([agentId])}
      and not exists (select 1 from agent_presence p where p.record_id = callbacks.id and p.agent_id <> ${agentId})
    order by ${waitingListFirst ? sql`waiting_list_of is null,` : sql``} priority, rank_at, id limit ${limit}`;
  return rows.map((r) => r.id);
}

/** The record the agent holds in the area (accepted, being dialled, in a call or in wrap-up), as the table has it. */
export async function recordHeldBy(sql: Tx, agentId: string, orgArea: string): Promise<CallbackRecord | null> {
  const [row] = await sql<CallbackRecord[]>`
    select ${sql(RECORD_COLUMNS)} from callbacks
    where agent_id = ${agentId} and org_area = ${orgArea} and stage in ('accepted', 'dialling', 'connected')
    order by updated_at desc limit 1`;
  return row ?? null;
}

/** Records older than `graceMs` that their workflow has not written to yet (still version 1). */
export async function unstartedRecords(sql: Tx, graceMs: number, limit: number): Promise<CallbackRequest[]> {
  const rows = await sql<CallbackRecord[]>`
    select ${sql(RECORD_COLUMNS)} from callbacks
    where version = 1 and created_at < now() - make_interval(secs => ${graceMs / 1000})
    order by created_at limit ${limit}`;
  return rows.map(requestOf);
}
