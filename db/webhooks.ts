// Webhook subscriptions and their delivery log. The outbox rows themselves are written with the
// events they carry (db/records.ts); here they are claimed, marked and read.
import { randomBytes, randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import type { Sql } from './connect.js';

type Tx = Sql | postgres.TransactionSql;

export const DELIVERY_STATES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export interface WebhookSubscription {
  id: string;
  url: string;
  /** History event types, or `['*']` for every one. */
  events: string[];
  active: boolean;
  description: string | null;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

export interface WebhookAttempt {
  at: string;
  durationMs: number;
  /** The receiver's HTTP status, or null when no answer came (refused, timed out ...). */
  status: number | null;
  error: string | null;
}

export interface WebhookDelivery {
  id: string;
  eventId: string;
  eventType: string;
  recordId: string;
  state: DeliveryState;
  attempts: number;
  createdAt: string;
  /** When it is tried next; null unless pending. */
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  /** The latest attempts, newest first. */
  recentAttempts: WebhookAttempt[];
}

/** How many attempts a delivery shows in the log; `attempts` counts them all. */
export const RECENT_ATTEMPTS = 20;

const subscriptionColumns = (sql: Tx) => sql`id, url, events, active, description, created_at, created_by, updated_at`;

/** A secret for a subscription that was given none: 256 random bits. */
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

export async function createSubscription(
  sql: Tx,
  input: { url: string; events: string[]; secret: string; description: string | null; createdBy: string },
): Promise<WebhookSubscription & { secret: string }> {
  const [row] = await sql<(WebhookSubscription & { secret: string })[]>`
    insert into webhook_subscriptions (id, url, events, secret, description, created_by)
    values (${randomUUID()}, ${input.url}, ${input.events}::text[], ${input.secret}, ${input.description}, ${input.createdBy})
    returning ${subscriptionColumns(sql)}, secret`;
  return row!;
}

export async function listSubscriptions(sql: Tx): Promise<WebhookSubscription[]> {
  return sql<WebhookSubscription[]>`select ${subscriptionColumns(sql)} from webhook_subscriptions order by created_at, id`;
}

export async function findSubscription(sql: Tx, id: string, { lock = false } = {}): Promise<WebhookSubscription | null> {
  const [row] = await sql<WebhookSubscription[]>`
    select ${subscriptionColumns(sql)} from webhook_subscriptions where id = ${id} ${lock ? sql`for update` : sql``}`;
  return row ?? null;
}

export async function updateSubscription(
  sql: Tx,
  id: string,
  changes: Partial<Pick<WebhookSubscription, 'url' | 'events' | 'active' | 'description'>>,
): Promise<WebhookSubscription | null> {
  const [row] = await sql<WebhookSubscription[]>`
    update webhook_subscriptions set
      url = coalesce(${changes.url ?? null}, url),
      events = coalesce(${changes.events ?? null}::text[], events),
      active = coalesce(${changes.active ?? null}::boolean, active),
      description = case when ${changes.description !== undefined} then ${changes.description ?? null} else description end,
      updated_at = now()
    where id = ${id} returning ${subscriptionColumns(sql)}`;
  return row ?? null;
}

/** Deletes the subscription with its delivery log; pending deliveries are dropped. */
export async function deleteSubscription(sql: Tx, id: string): Promise<boolean> {
  const gone = await sql`delete from webhook_subscriptions where id = ${id}`;
  return gone.count > 0;
}

// Attempts are read as json, whose instants PostgreSQL writes in the session's time zone and
// with microseconds: they are written here as the instants of every other row are parsed.
const deliveryColumns = (sql: Tx) => sql`
  d.id::text as id, d.event_id, d.event_type, d.record_id, d.state, d.attempts, d.created_at,
  case when d.state = 'pending' then d.next_attempt_at end as next_attempt_at,
  d.last_attempt_at, d.last_status, d.last_error, d.delivered_at,
  coalesce((
    select jsonb_agg(jsonb_build_object(
      'at', to_char(a.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'durationMs', a.duration_ms, 'status', a.status, 'error', a.error) order by a.id desc)
    from (
      select id, at, duration_ms, status, error from webhook_attempts
      where delivery_id = d.id order by id desc limit ${RECENT_ATTEMPTS}
    ) a
  ), '[]'::jsonb) as recent_attempts`;

/** A subscription's deliveries, newest first, paged by id. */
export async function listDeliveries(
  sql: Tx,
  subscriptionId: string,
  f: { state?: DeliveryState; limit: number; beforeId?: string },
): Promise<WebhookDelivery[]> {
  return sql<WebhookDelivery[]>`
    select ${deliveryColumns(sql)} from webhook_deliveries d
    where d.subscription_id = ${subscriptionId}
      ${f.state ? sql`and d.state = ${f.state}` : sql``}
      ${f.beforeId ? sql`and d.id < ${f.beforeId}::bigint` : sql``}
    order by d.id desc limit ${f.limit}`;
}

export async function findDelivery(sql: Tx, subscriptionId: string, deliveryId: string): Promise<WebhookDelivery | null> {
  const [row] = await sql<WebhookDelivery[]>`
    select ${deliveryColumns(sql)} from webhook_deliveries d
    where d.subscription_id = ${subscriptionId} and d.id = ${deliveryId}::bigint`;
  return row ?? null;
}

/**
 * A failed delivery goes back to pending, due now, with a new give-up age counted from now. It
 * is then its subscription's oldest pending delivery, or waits behind older ones.
 */
export async function retryDelivery(sql: Tx, subscriptionId: string, deliveryId: string): Promise<void> {
  await sql`
    update webhook_deliveries set state = 'pending', next_attempt_at = now(), retrying_since = now()
    where subscription_id = ${subscriptionId} and id = ${deliveryId}::bigint and state = 'failed'`;
}

// The delivery worker's side.

export interface DueDelivery {
  id: string;
  eventId: string;
  payload: unknown;
  /** Attempts before this one. */
  attempts: number;
  /** The give-up age counts from here. */
  retryingSince: Date;
}

export interface ClaimedBatch {
  subscription: { id: string; url: string; secret: string };
  /** Oldest first: send them in this order, and stop at the first failure. */
  deliveries: DueDelivery[];
}

/**
 * Claims, for up to `subscriptions` active subscriptions whose oldest pending delivery is due,
 * that delivery and the due ones right after it (up to `perSubscription`), for `leaseMs`: their
 * `next_attempt_at` moves past the lease, so no other worker takes the subscription meanwhile.
 * Subscriptions are locked with `skip locked` while claiming, so two workers claiming at once
 * never take the same one; a worker that dies leaves its claim to expire.
 */
export async function claimDueDeliveries(
  sql: Sql,
  {
    subscriptions,
    perSubscription,
    leaseMs,
    skip = [],
  }: { subscriptions: number; perSubscription: number; leaseMs: number; skip?: string[] },
): Promise<ClaimedBatch[]> {
  return sql.begin(async (tx) => {
    const subs = await tx<{ id: string; url: string; secret: string }[]>`
      select s.id, s.url, s.secret from webhook_subscriptions s
      cross join lateral (
        select d.next_attempt_at from webhook_deliveries d
        where d.subscription_id = s.id and d.state = 'pending' order by d.id limit 1
      ) head
      where s.active and head.next_attempt_at <= now() and not (s.id = any(${skip}::uuid[]))
      order by head.next_attempt_at
      limit ${subscriptions}
      for update of s skip locked`;
    if (subs.length === 0) return [];
    // A new statement, so a new snapshot: a claim another worker committed meanwhile shows.
    const rows = await tx<(Omit<DueDelivery, 'retryingSince'> & { subscriptionId: string; retryingSince: string; due: boolean })[]>`
      select d.* from unnest(${subs.map((s) => s.id)}::uuid[]) as s(id)
      cross join lateral (
        select w.id::text as id, w.subscription_id, w.event_id, w.payload, w.attempts, w.retrying_since, w.next_attempt_at <= now() as due
        from webhook_deliveries w
        where w.subscription_id = s.id and w.state = 'pending'
        order by w.id limit ${perSubscription}
      ) d
      order by d.subscription_id, d.id::bigint`;
    const batches: ClaimedBatch[] = [];
    for (const subscription of subs) {
      const deliveries: DueDelivery[] = [];
      for (const { subscriptionId, due, retryingSince, ...r } of rows) {
        if (subscriptionId !== subscription.id) continue;
        if (!due) break;
        deliveries.push({ ...r, retryingSince: new Date(retryingSince) });
      }
      if (deliveries.length > 0) batches.push({ subscription, deliveries });
    }
    const claimed = batches.flatMap((b) => b.deliveries.map((d) => d.id));
    if (claimed.length > 0) {
      await tx`
        update webhook_deliveries set next_attempt_at = now() + ${leaseMs} * interval '1 millisecond'
        where id = any(${claimed}::bigint[])`;
    }
    return batches;
  });
}

export interface AttemptResult {
  at: Date;
  durationMs: number;
  status: number | null;
  error: string | null;
  /** `delivered`; or `pending` with the next attempt's time; or `failed` (given up). */
  outcome: { state: 'delivered' } | { state: 'pending'; nextAttemptAt: Date } | { state: 'failed' };
}

/**
 * Logs an attempt and moves the delivery on; nothing when it is gone (its subscription deleted).
 * A delivered payload is dropped: it holds the customer's data, and it is never sent again.
 */
export async function recordAttempt(sql: Sql, deliveryId: string, a: AttemptResult): Promise<void> {
  await sql.begin(async (tx) => {
    const [updated] = await tx`
      update webhook_deliveries set
        attempts = attempts + 1, last_attempt_at = ${a.at}, last_status = ${a.status}, last_error = coalesce(${a.error}, last_error),
        state = ${a.outcome.state},
        payload = case when ${a.outcome.state === 'delivered'} then 'null'::jsonb else payload end,
        delivered_at = ${a.outcome.state === 'delivered' ? a.at : null},
        next_attempt_at = ${a.outcome.state === 'pending' ? a.outcome.nextAttemptAt : a.at}
      where id = ${deliveryId}::bigint and state = 'pending'
      returning id`;
    if (!updated) return;
    await tx`
      insert into webhook_attempts (delivery_id, at, duration_ms, status, error)
      values (${deliveryId}::bigint, ${a.at}, ${a.durationMs}, ${a.status}, ${a.error})`;
  });
}

/** Gives back claimed deliveries that were not sent: due now, for whoever claims their subscription next. */
export async function releaseDeliveries(sql: Sql, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await sql`update webhook_deliveries set next_attempt_at = now() where id = any(${ids}::bigint[]) and state = 'pending'`;
}

/** Forgets delivered and failed deliveries (with their attempts) last touched before `before`; returns how many. */
export async function forgetFinishedDeliveries(sql: Tx, before: Date): Promise<number> {
  const gone = await sql`
    delete from webhook_deliveries
    where state <> 'pending' and created_at < ${before} and coalesce(last_attempt_at, created_at) < ${before}`;
  return gone.count;
}
