// Presence and routing in PostgreSQL: one row per agent (agent_presence) is the whole truth of who
// is available and which record is reserved for or held by whom. Every change is a conditional
// update of that row, so it is exact whichever process makes it: a reservation only takes an
// `available` agent (never one on a call, in wrap-up or already offered one), an agent's row holds
// one record, and a unique index lets a record be reserved for or held by one agent at most. The
// table's trigger logs each change and announces it (NOTIFY agent_events) at commit.
import type postgres from 'postgres';
import type { CallbackRecord } from '../domain/record.js';
import { AFTER_CALL, NO_ANSWER, type Presence, type PresenceChange, type Reservation } from '../domain/presence.js';
import type { Sql } from './connect.js';
import { getParameters } from './configuration.js';

type Tx = Sql | postgres.TransactionSql;

export const AGENT_EVENTS_CHANNEL = 'agent_events';

const HOLDING_STAGES = ['accepted', 'dialling', 'connected'];

const presenceColumns = (sql: Tx) => sql`p.agent_id, p.state, p.reason, p.since, p.record_id, p.reserved_until, p.last_seen_at`;

export async function findPresence(sql: Tx, agentId: string): Promise<Presence | null> {
  const [row] = await sql<Presence[]>`select ${presenceColumns(sql)} from agent_presence p where p.agent_id = ${agentId}`;
  return row ?? null;
}

export interface PresenceListing extends Presence {
  displayName: string;
  queues: string[];
}

/** Every active agent's presence, by id; only those serving `queue` when given. */
export async function listPresence(sql: Tx, { queue }: { queue?: string } = {}): Promise<PresenceListing[]> {
  return sql<PresenceListing[]>`
    select ${presenceColumns(sql)}, a.display_name,
      coalesce((select array_agg(q.queue order by q.queue) from agent_queues q where q.agent_id = a.id), '{}') as queues
    from agent_presence p join agents a on a.id = p.agent_id
    where a.active
      ${queue === undefined ? sql`` : sql`and exists (select 1 from agent_queues q where q.agent_id = a.id and q.queue = ${queue})`}
    order by p.agent_id`;
}

/** Gives a new agent its row (offline). */
export async function ensurePresence(sql: Tx, agentId: string): Promise<void> {
  await sql`insert into agent_presence (agent_id) values (${agentId}) on conflict (agent_id) do nothing`;
}

export type PresenceChangeResult = { changed: Presence } | { refused: Presence };

/**
 * What the agent sets: available, away or offline from any of those three; wrap-up from on-call
 * once the customer has answered. Anything else (offered, on a call, in wrap-up) is refused with
 * the agent's state as it is: those end with the record.
 */
export async function changePresence(sql: Sql, agentId: string, change: PresenceChange): Promise<PresenceChangeResult | null> {
  return sql.begin(async (tx) => {
    const [current] = await tx<Presence[]>`select ${presenceColumns(tx)} from agent_presence p where p.agent_id = ${agentId} for update`;
    if (!current) return null;
    if (change.state === 'wrap-up') {
      const [call] =
        current.state === 'on-call' ? await tx`select 1 from callbacks where id = ${current.recordId} and stage = 'connected'` : [];
      if (!call) return { refused: current };
      const [changed] = await tx<Presence[]>`
        update agent_presence p set state = 'wrap-up', since = now() where p.agent_id = ${agentId} returning ${presenceColumns(tx)}`;
      return { changed: changed! };
    }
    if (!['available', 'away', 'offline'].includes(current.state)) return { refused: current };
    const reason = change.state === 'away' ? change.reason : null;
    if (current.state === change.state && current.reason === reason) return { changed: current };
    const [changed] = await tx<Presence[]>`
      update agent_presence p set state = ${change.state}, reason = ${reason}, since = now(),
        idle_since = case when ${change.state} = 'available' then now() else p.idle_since end,
        last_seen_at = case when ${change.state} = 'available' then now() else p.last_seen_at end
      where p.agent_id = ${agentId} returning ${presenceColumns(tx)}`;
    return { changed: changed! };
  });
}

/** A deactivated agent takes no more records: available or away, they go offline (a call in progress ends as usual). */
export async function signOff(sql: Tx, agentId: string): Promise<void> {
  await sql`update agent_presence set state = 'offline', reason = null, since = now() where agent_id = ${agentId} and state in ('available', 'away')`;
}

/** The desks listening now: their agents are seen. */
export async function touchSeen(sql: Tx, agentIds: readonly string[]): Promise<void> {
  if (agentIds.length === 0) return;
  await sql`update agent_presence set last_seen_at = now() where agent_id = any(${[...agentIds]})`;
}

/** Available and away agents whose desk has not listened for the agentOfflineAfterSeconds parameter go offline. */
export async function sweepSilentAgents(sql: Sql): Promise<string[]> {
  const { agentOfflineAfterSeconds } = await getParameters(sql);
  const rows = await sql<{ agentId: string }[]>`
    update agent_presence set state = 'offline', reason = null, since = now()
    where state in ('available', 'away')
      and coalesce(last_seen_at, since) < now() - make_interval(secs => ${agentOfflineAfterSeconds})
    returning agent_id`;
  return rows.map((r) => r.agentId);
}

export type ReserveResult = { kind: 'reserved'; reservation: Reservation } | { kind: 'none' } | { kind: 'pull' };

export interface RecordToRoute {
  recordId: string;
  queue: string;
  waitingListOf: string | null;
  refusedBy: readonly string[];
}

/** The queue's offer timeout, in seconds: its own, or the parameter's. */
const offerSeconds = (sql: Tx, queue: string) => sql`
  coalesce((select offer_timeout_seconds from queues where name = ${queue}),
           (select (value #>> '{}')::int from system_parameters where name = 'offerTimeoutSeconds'), 120)`;

/**
 * The record's reservation: the one it has already (a retry, or the agent's side got there first),
 * else one made now for the best available agent; `none` when nobody is available, `pull` when no
 * active agent in the directory serves the queue (agents take its records with /next, as before).
 * A waiting-list record is reserved for its owner only.
 */
export async function reserveForRecord(sql: Sql, r: RecordToRoute): Promise<ReserveResult> {
  const held = await reservationOf(sql, r.recordId);
  if (held) return { kind: 'reserved', reservation: held };
  const [{ directory }] = await sql<[{ directory: boolean }]>`
    select exists (
      select 1 from agents a where a.active and ${
        r.waitingListOf === null
          ? sql`exists (select 1 from agent_queues q where q.agent_id = a.id and q.queue = ${r.queue})`
          : sql`a.id = ${r.waitingListOf}`
      }) as directory`;
  if (!directory) return { kind: 'pull' };
  const { agentRoutingOrder } = await getParameters(sql);
  const candidates = await sql<{ agentId: string }[]>`
    select p.agent_id from agent_presence p join agents a on a.id = p.agent_id
      left join agent_queues q on q.agent_id = p.agent_id and q.queue = ${r.queue}
    where p.state = 'available' and a.active
      and ${r.waitingListOf === null ? sql`q.queue is not null` : sql`p.agent_id = ${r.waitingListOf}`}
      and p.agent_id <> all(${[...r.refusedBy]})
    order by ${agentRoutingOrder === 'queue-priority' ? sql`q.priority nulls last,` : sql``} p.idle_since nulls first, p.agent_id
    limit 5`;
  for (const { agentId } of candidates) {
    const made = await reserve(sql, agentId, r.recordId, r.queue);
    if (made === 'taken') {
      const now = await reservationOf(sql, r.recordId);
      return now ? { kind: 'reserved', reservation: now } : { kind: 'none' };
    }
    if (made) return { kind: 'reserved', reservation: made };
  }
  return { kind: 'none' };
}

/** The agent the record is offered to now, if any. */
export async function offeredTo(sql: Tx, recordId: string): Promise<string | null> {
  return (await reservationOf(sql, recordId))?.agentId ?? null;
}

async function reservationOf(sql: Tx, recordId: string): Promise<Reservation | null> {
  const [row] = await sql<{ agentId: string; reservedUntil: string }[]>`
    select agent_id, reserved_until from agent_presence where record_id = ${recordId} and state = 'offered'`;
  return row ? { agentId: row.agentId, until: row.reservedUntil } : null;
}

/** Reserves the record for the agent if the agent is available; `taken` when the record is reserved for or held by another. */
async function reserve(sql: Sql, agentId: string, recordId: string, queue: string): Promise<Reservation | null | 'taken'> {
  try {
    const [row] = await sql<{ reservedUntil: string }[]>`
      update agent_presence set state = 'offered', reason = null, record_id = ${recordId}, since = now(),
        reserved_until = now() + make_interval(secs => ${offerSeconds(sql, queue)})
      where agent_id = ${agentId} and state = 'available'
      returning reserved_until`;
    return row ? { agentId, until: row.reservedUntil } : null;
  } catch (err) {
    if ((err as { code?: string }).code === '23505') return 'taken';
    throw err;
  }
}

/**
 * An available agent's next record: the best offered record of the queues they serve (their own
 * waiting list's first when the waitingListFirst parameter says so) that nobody has reserved and
 * they did not refuse, reserved for them. Null when none, or the agent is not available.
 */
export async function reserveForAgent(sql: Sql, agentId: string): Promise<{ recordId: string; reservation: Reservation } | null> {
  const { waitingListFirst } = await getParameters(sql);
  const candidates = await sql<{ id: string; queue: string }[]>`
    select c.id, c.queue from callbacks c
    where c.stage = 'offered'
      and (c.waiting_list_of = ${agentId}
           or (c.waiting_list_of is null
               and c.queue in (select q.queue from agent_queues q where q.agent_id = ${agentId})))
      and not c.refused_by @> ${sql.json([agentId])}
      and not exists (select 1 from agent_presence r where r.record_id = c.id)
      and exists (select 1 from agent_presence p join agents a on a.id = p.agent_id
                  where p.agent_id = ${agentId} and p.state = 'available' and a.active)
    order by ${waitingListFirst ? sql`c.waiting_list_of is null,` : sql``} c.priority, c.rank_at, c.id
    limit 5`;
  for (const { id, queue } of candidates) {
    const made = await reserve(sql, agentId, id, queue);
    if (made === 'taken') continue;
    return made ? { recordId: id, reservation: made } : null;
  }
  return null;
}

/**
 * Ends the agent's offer of the record if it is still an offer: unanswered (the agent goes away,
 * "no answer") or let go (refused, taken by another, or the record left the queue: available).
 * True when the agent is now available for another record.
 */
export async function endReservation(
  sql: Sql,
  { recordId, agentId, unanswered }: { recordId: string; agentId: string; unanswered: boolean },
): Promise<boolean> {
  const [row] = await sql<{ state: string }[]>`
    update agent_presence
    set state = ${unanswered ? 'away' : 'available'}, reason = ${unanswered ? NO_ANSWER : null}, since = now(),
      record_id = null, reserved_until = null,
      idle_since = case when ${unanswered} then idle_since else now() end
    where agent_id = ${agentId} and record_id = ${recordId} and state = 'offered'
    returning state`;
  return row?.state === 'available';
}

/**
 * Offers nobody is tracking any more (the record's workflow ended, or a process died between
 * reserving and telling the record), `graceSeconds` past their end: the agents go back to available.
 */
export async function sweepLapsedReservations(sql: Sql, graceSeconds: number): Promise<string[]> {
  const rows = await sql<{ agentId: string }[]>`
    update agent_presence set state = 'available', reason = null, since = now(), record_id = null,
      reserved_until = null, idle_since = now()
    where state = 'offered' and reserved_until < now() - make_interval(secs => ${graceSeconds})
    returning agent_id`;
  return rows.map((r) => r.agentId);
}

/**
 * Presence follows the record, in the transaction that saves it: the agent who holds it (accepted,
 * dialling, connected) is on a call, unless already in wrap-up with it; any other agent with the
 * record (an offer the record has left, a call it has ended) lets go of it: after a call as the
 * afterWrapUp parameter says, else available. Returns the agents now available.
 */
export async function followRecord(tx: postgres.TransactionSql, record: CallbackRecord): Promise<string[]> {
  const holder = HOLDING_STAGES.includes(record.stage) ? record.agentId : null;
  // The afterWrapUp parameter, read in the statement: no round trip on every save.
  const afterWrapUp = tx`coalesce((select value #>> '{}' from system_parameters where name = 'afterWrapUp'), 'available')`;
  const freed = await tx<{ agentId: string; state: string }[]>`
    update agent_presence p
    set state = case when p.state in ('on-call', 'wrap-up') then ${afterWrapUp} else 'available' end,
      reason = case when p.state in ('on-call', 'wrap-up') and ${afterWrapUp} = 'away' then ${AFTER_CALL} else null end,
      since = now(), record_id = null, reserved_until = null,
      idle_since = case when p.state in ('on-call', 'wrap-up') and ${afterWrapUp} = 'away' then p.idle_since else now() end
    where p.record_id = ${record.id}
      and not (p.state = 'offered' and ${record.stage} = 'offered')
      and p.agent_id is distinct from ${holder}
    returning p.agent_id, p.state`;
  if (holder !== null) {
    await tx`
      update agent_presence p
      set state = case when p.state = 'wrap-up' and p.record_id = ${record.id} then 'wrap-up' else 'on-call' end,
        since = case when p.state in ('on-call', 'wrap-up') and p.record_id = ${record.id} then p.since else now() end,
        reason = null, record_id = ${record.id}, reserved_until = null
      where p.agent_id = ${holder} and (p.record_id is null or p.record_id = ${record.id})`;
  }
  return freed.filter((f) => f.state === 'available').map((f) => f.agentId);
}

/**
 * Reserves each agent's next record and tells the record (`tell`: false when its workflow is gone,
 * and then the offer ends at once). An agent with nothing to take stays available: the next
 * record that comes due finds them.
 */
export async function offerNextRecords(
  sql: Sql,
  agentIds: readonly string[],
  tell: (recordId: string, reservation: Reservation) => Promise<boolean>,
): Promise<void> {
  for (const agentId of agentIds) {
    for (let tries = 0; tries < 3; tries++) {
      const next = await reserveForAgent(sql, agentId);
      if (!next) break;
      if (await tell(next.recordId, next.reservation)) break;
      await endReservation(sql, { recordId: next.recordId, agentId, unanswered: false });
    }
  }
}
