// Queries of real telephony: the calls we place (one row per call id, written before the
// provider is asked), their status events, and each queue's telephony settings.
import type postgres from 'postgres';
import type { Sql } from './connect.js';

type Tx = Sql | postgres.TransactionSql;

export interface TelephonyCall {
  callId: string;
  recordId: string;
  adapter: string;
  queue: string;
  agentId: string | null;
  agentDevice: string | null;
  customerPhone: string;
  callerId: string | null;
  maxRingSeconds: number;
  maxCallSeconds: number;
  providerCallId: string | null;
  taskToken: Uint8Array | null;
  outcome: string | null;
  outcomeDetail: Record<string, string | number | boolean>;
  bareResult: boolean;
  completedAt: string | null;
  hungUpAt: string | null;
  createdAt: string;
}

export type NewCall = Pick<
  TelephonyCall,
  | 'callId'
  | 'recordId'
  | 'adapter'
  | 'queue'
  | 'agentId'
  | 'agentDevice'
  | 'customerPhone'
  | 'callerId'
  | 'maxRingSeconds'
  | 'maxCallSeconds'
  | 'bareResult'
> & { outcome?: string; outcomeDetail?: Record<string, string | number | boolean> };

export interface QueueTelephony {
  queue: string;
  agentDevice: string | null;
  callerId: string | null;
  maxRingSeconds: number;
  maxCallSeconds: number;
}

export const DEFAULT_MAX_RING_SECONDS = 30;
export const DEFAULT_MAX_CALL_SECONDS = 3600;

/** The call with this id, made now unless it exists; `created` says which. */
export async function claimCall(sql: Sql, call: NewCall): Promise<{ call: TelephonyCall; created: boolean }> {
  const inserted = await sql<TelephonyCall[]>`
    insert into telephony_calls (call_id, record_id, adapter, queue, agent_id, agent_device, customer_phone, caller_id,
      max_ring_seconds, max_call_seconds, bare_result, outcome, outcome_detail)
    values (${call.callId}, ${call.recordId}, ${call.adapter}, ${call.queue}, ${call.agentId}, ${call.agentDevice},
      ${call.customerPhone}, ${call.callerId}, ${call.maxRingSeconds}, ${call.maxCallSeconds}, ${call.bareResult},
      ${call.outcome ?? null}, ${sql.json(call.outcomeDetail ?? {})})
    on conflict (call_id) do nothing
    returning *`;
  if (inserted[0]) return { call: inserted[0], created: true };
  const found = await findCall(sql, call.callId);
  if (!found) throw new Error(`telephony call ${call.callId} vanished`);
  return { call: found, created: false };
}

export async function findCall(sql: Sql, callId: string): Promise<TelephonyCall | null> {
  const [row] = await sql<TelephonyCall[]>`select * from telephony_calls where call_id = ${callId}`;
  return row ?? null;
}

/** Records the provider's id of the call, unless one is known already (a status callback may have brought it first). */
export async function setProviderCallId(sql: Sql, callId: string, providerCallId: string): Promise<void> {
  await sql`
    update telephony_calls set provider_call_id = ${providerCallId}, updated_at = now()
    where call_id = ${callId} and provider_call_id is null`;
}

/**
 * The activity attempt now waiting for the outcome. Returns the call as it is after the write:
 * an outcome decided meanwhile is seen here (or the decider sees this token: the row lock orders them).
 */
export async function awaitOutcome(sql: Sql, callId: string, taskToken: Uint8Array): Promise<TelephonyCall> {
  const [row] = await sql<TelephonyCall[]>`
    update telephony_calls set task_token = ${Buffer.from(taskToken)}, completed_at = null, last_heartbeat_at = now(), updated_at = now()
    where call_id = ${callId} returning *`;
  if (!row) throw new Error(`telephony call ${callId} vanished`);
  return row;
}

/** Keeps the first outcome: a late or repeated event cannot change it. The call as it is now. */
export async function decideOutcome(
  sql: Sql,
  callId: string,
  outcome: string,
  detail: Record<string, string | number | boolean>,
): Promise<TelephonyCall | null> {
  const [row] = await sql<TelephonyCall[]>`
    update telephony_calls set outcome = coalesce(outcome, ${outcome}),
      outcome_detail = case when outcome is null then ${sql.json(detail)} else outcome_detail end, updated_at = now()
    where call_id = ${callId} returning *`;
  return row ?? null;
}

/** Takes the duty of telling the waiting activity: once per task token. Null when there is nothing to tell. */
export async function takeCompletion(sql: Sql, callId: string): Promise<TelephonyCall | null> {
  const [row] = await sql<TelephonyCall[]>`
    update telephony_calls set completed_at = now(), updated_at = now()
    where call_id = ${callId} and outcome is not null and completed_at is null and task_token is not null
    returning *`;
  return row ?? null;
}

export async function markCompleted(sql: Sql, callId: string): Promise<void> {
  await sql`update telephony_calls set completed_at = coalesce(completed_at, now()) where call_id = ${callId}`;
}

/** Once per call: true for the caller that should ask the provider to hang up. */
export async function takeHangUp(sql: Sql, callId: string): Promise<boolean> {
  const rows = await sql`update telephony_calls set hung_up_at = now() where call_id = ${callId} and hung_up_at is null returning 1`;
  return rows.length === 1;
}

export interface StoredEvent {
  leg: 'agent' | 'customer';
  status: string;
  answeredBy: string | null;
  sipCode: number | null;
  providerLegId: string | null;
  raw: Record<string, unknown>;
}

/** Adds the event unless the same leg already reported the same status; returns every event of the call. */
export async function addCallEvent(sql: Sql, callId: string, e: StoredEvent): Promise<StoredEvent[]> {
  await sql`
    insert into telephony_call_events (call_id, leg, status, answered_by, sip_code, provider_leg_id, raw)
    values (${callId}, ${e.leg}, ${e.status}, ${e.answeredBy}, ${e.sipCode}, ${e.providerLegId}, ${sql.json(e.raw as never)})
    on conflict (call_id, leg, status) do update
      set answered_by = coalesce(telephony_call_events.answered_by, excluded.answered_by),
          sip_code = coalesce(telephony_call_events.sip_code, excluded.sip_code)`;
  return callEvents(sql, callId);
}

export async function callEvents(sql: Sql, callId: string): Promise<StoredEvent[]> {
  return sql<StoredEvent[]>`
    select leg, status, answered_by, sip_code, provider_leg_id, raw from telephony_call_events where call_id = ${callId} order by id`;
}

/**
 * Calls whose activity waits, not heartbeaten for `staleMs`: claimed for this round (their
 * heartbeat time moves on), so that workers share the work instead of each doing all of it.
 */
export async function claimWaitingCalls(
  sql: Sql,
  { adapter, staleMs, reconcileMs, limit }: { adapter: string; staleMs: number; reconcileMs: number; limit: number },
): Promise<(TelephonyCall & { reconcile: boolean })[]> {
  return sql<(TelephonyCall & { reconcile: boolean })[]>`
    with due as (
      select call_id from telephony_calls
      where completed_at is null and task_token is not null and adapter = ${adapter}
        and last_heartbeat_at < now() - make_interval(secs => ${staleMs / 1000})
      order by last_heartbeat_at limit ${limit} for update skip locked
    ), claimed as (
      update telephony_calls c set last_heartbeat_at = now(),
        last_reconciled_at = case when c.last_reconciled_at < now() - make_interval(secs => ${reconcileMs / 1000}) then now() else c.last_reconciled_at end
      from due where c.call_id = due.call_id
      returning c.*, (c.last_reconciled_at = now()) as reconcile
    )
    select * from claimed`;
}

export async function queueTelephony(sql: Sql, queue: string): Promise<QueueTelephony> {
  const [row] = await sql<QueueTelephony[]>`
    select queue, agent_device, caller_id, max_ring_seconds, max_call_seconds from queue_telephony where queue = ${queue}`;
  return (
    row ?? { queue, agentDevice: null, callerId: null, maxRingSeconds: DEFAULT_MAX_RING_SECONDS, maxCallSeconds: DEFAULT_MAX_CALL_SECONDS }
  );
}

export async function putQueueTelephony(sql: Tx, q: QueueTelephony): Promise<QueueTelephony> {
  const [row] = await sql<QueueTelephony[]>`
    insert into queue_telephony (queue, agent_device, caller_id, max_ring_seconds, max_call_seconds)
    values (${q.queue}, ${q.agentDevice}, ${q.callerId}, ${q.maxRingSeconds}, ${q.maxCallSeconds})
    on conflict (queue) do update set agent_device = excluded.agent_device, caller_id = excluded.caller_id,
      max_ring_seconds = excluded.max_ring_seconds, max_call_seconds = excluded.max_call_seconds, updated_at = now()
    returning queue, agent_device, caller_id, max_ring_seconds, max_call_seconds`;
  return row!;
}

export async function agentDevice(sql: Sql, agentId: string): Promise<string | null> {
  const [row] = await sql<{ device: string }[]>`select device from agent_devices where agent_id = ${agentId}`;
  return row?.device ?? null;
}

export async function rememberAgentDevice(sql: Sql, agentId: string, device: string): Promise<void> {
  await sql`
    insert into agent_devices (agent_id, device) values (${agentId}, ${device})
    on conflict (agent_id) do update set device = excluded.device, updated_at = now()`;
}
