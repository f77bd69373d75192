// What decides whether a request becomes a record, or a record may move to another queue:
// places taken (records and moves on their way), duplicates, and the idempotency keys that make
// a retried creation return its first answer.
import type postgres from 'postgres';

import type { Sql } from './connect.js';

type Tx = postgres.TransactionSql;

const ACTIVE = ['Open', 'Paused', 'Active'];

/** What takes a place under an area's or queue's limit: a `Closing` record is still in its call. */
const HOLDING_A_PLACE = [...ACTIVE, 'Closing'];

/**
 * A reservation lives this long unless renewed: a move whose API process died stops holding its
 * place after it. A move still waiting for its workflow renews it well before then.
 */
export const MOVE_RESERVATION_SECONDS = 60;

/**
 * The places taken in the area or queue: records holding one, and moves on their way in (their
 * rows change only when their workflows save the move). A record counts once, whether by its row,
 * its reservation or both; `except` leaves one record out (the one being moved).
 */
export async function countActive(
  tx: Tx | Sql,
  scope: { orgArea: string } | { queue: string },
  { except }: { except?: string } = {},
): Promise<number> {
  const where = 'orgArea' in scope ? tx`org_area = ${scope.orgArea}` : tx`queue = ${scope.queue}`;
  const [row] = await tx<{ n: number }[]>`
    select count(*)::int as n from (
      select id from callbacks where status in ${tx(HOLDING_A_PLACE)} and ${where}
      union
      select record_id from move_reservations where expires_at > now() and ${where}
    ) places
    ${except === undefined ? tx`` : tx`where id <> ${except}`}`;
  return row!.n;
}

/** Holds a place in the queue and its area for a record on its way there; returns the reservation's id. */
export async function reserveMove(tx: Tx, move: { recordId: string; queue: string; orgArea: string }): Promise<string> {
  // What processes that died mid-move left behind counts no more; it goes here.
  await tx`delete from move_reservations where expires_at < now()`;
  const [row] = await tx<{ id: string }[]>`
    insert into move_reservations (id, record_id, queue, org_area, expires_at)
    values (gen_random_uuid(), ${move.recordId}, ${move.queue}, ${move.orgArea},
            now() + make_interval(secs => ${MOVE_RESERVATION_SECONDS}))
    returning id`;
  return row!.id;
}

/** The move is still on its way: its place is held for another lifetime. */
export async function renewMoveReservation(sql: Sql, id: string): Promise<void> {
  await sql`update move_reservations set expires_at = now() + make_interval(secs => ${MOVE_RESERVATION_SECONDS}) where id = ${id}`;
}

export async function releaseMoveReservation(sql: Sql, id: string): Promise<void> {
  await sql`delete from move_reservations where id = ${id}`;
}

/** The area's active record for this number (and task type, when given), if there is one. */
export async function findActiveDuplicate(
  tx: Tx,
  orgArea: string,
  phone: string,
  taskType?: { value: string | null },
): Promise<string | null> {
  const [row] = await tx<{ id: string }[]>`
    select id from callbacks
    where org_area = ${orgArea} and phone = ${phone} and status in ${tx(ACTIVE)}
      ${taskType ? tx`and task_type is not distinct from ${taskType.value}` : tx``}
    order by created_at limit 1`;
  return row?.id ?? null;
}

/** How long a key is remembered; after that the same key makes a new request. */
export const IDEMPOTENCY_KEY_LIFETIME = '24 hours';

/** Forgets keys past their lifetime. */
export async function forgetExpiredIdempotencyKeys(sql: Sql): Promise<number> {
  const gone = await sql`delete from idempotency_keys where created_at < now() - ${IDEMPOTENCY_KEY_LIFETIME}::interval`;
  return gone.count;
}

/** An answer exactly as it was sent, so that a retry with its key gets the same bytes. */
export interface StoredResponse {
  status: number;
  /** Those a retry must see again: content-type and location. */
  headers: Record<string, string>;
  body: string;
}

/** An answer kept before answers were kept as bytes: the admission's result as JSON. */
export interface EarlierAnswer {
  status: number;
  admission: unknown;
}

/**
 * Claims `key` for this transaction (also one past its lifetime), or returns the answer stored under it. A concurrent request
 * with the same key waits here until the first commits (and then gets its answer) or rolls back
 * (and then claims the key itself).
 */
export async function claimIdempotencyKey(
  tx: Tx,
  key: string,
  requestHash: string,
): Promise<StoredResponse | EarlierAnswer | { conflict: true } | null> {
  const claimed = await tx`
    insert into idempotency_keys (key, request_hash, status, body) values (${key}, ${requestHash}, 0, '')
    on conflict (key) do update
      set request_hash = excluded.request_hash, status = 0, body = '', headers = null, created_at = now()
      where idempotency_keys.created_at < now() - ${IDEMPOTENCY_KEY_LIFETIME}::interval
    returning key`;
  if (claimed.length === 1) return null;
  const [row] = await tx<{ requestHash: string; status: number; headers: Record<string, string> | null; body: string }[]>`
    select request_hash, status, headers, body from idempotency_keys where key = ${key}`;
  if (!row || row.requestHash !== requestHash) return { conflict: true };
  // Claimed in a transaction of its own and not answered yet (POST /next claims and answers in two).
  if (row.status === 0) return { status: 0, headers: {}, body: '' };
  if (row.headers === null) return { status: row.status, admission: JSON.parse(row.body) };
  return { status: row.status, headers: row.headers, body: row.body };
}

/** Keeps `response` under `key`; `recordId` is the record it names, whose erasure forgets it. */
export async function storeIdempotentResponse(tx: Tx, key: string, recordId: string, response: StoredResponse): Promise<void> {
  await tx`
    update idempotency_keys
    set status = ${response.status}, headers = ${tx.json(response.headers)}, body = ${response.body}, record_id = ${recordId}
    where key = ${key}`;
}
