// Webhook subscriptions and their delivery log. The outbox rows themselves are written with the
// events they carry (db/records.ts); here they are claimed, marked and read.
import { randomBytes, randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import { z } from 'zod';
import { utcInstant } from '../domain/record-schema.js';
import { HISTORY_EVENT_TYPES } from '../domain/record.js';
import type { Sql } from './connect.js';

type Tx = Sql | postgres.TransactionSql;

export const DELIVERY_STATES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** How many attempts a delivery shows in the log; `attempts` counts them all. */
export const RECENT_ATTEMPTS = 20;

export const webhookSubscriptionSchema = z
  .strictObject({
    id: z.uuid().describe("The subscription's id."),
    url: z.url().describe('Where deliveries are POSTed.'),
    events: z
      .array(z.union([z.enum(HISTORY_EVENT_TYPES), z.literal('*')]))
      .describe('The history event types it receives, or `["*"]` for every one.'),
    active: z
      .boolean()
      .describe('false: paused. New events are not queued for it, and its pending deliveries wait until it is active again.'),
    description: z.string().nullable().describe('What it is for, or null.'),
    createdAt: utcInstant().describe('When it was made.'),
    createdBy: z.string().describe('Who made it, as the audit log names them.'),
    updatedAt: utcInstant().describe('When it was last changed (its creation when never).'),
  })
  .describe('A URL subscribed to record events. Its secret is shown only when it is made.');
export type WebhookSubscription = z.infer<typeof webhookSubscriptionSchema>;

export const webhookAttemptSchema = z
  .strictObject({
    at: utcInstant().describe('When the attempt began.'),
    durationMs: z.int().min(0).describe('How long it took, until the answer or the failure.'),
    status: z.int().nullable().describe("The receiver's HTTP status, or null when no answer came."),
    error: z
      .string()
      .nullable()
      .describe(
        'Why it failed: `HTTP <status>` and the start of the answer, or the network error (`connect ECONNREFUSED ...`, `no answer within 10000 ms`); null when delivered.',
      ),
  })
  .describe('One attempt to send a delivery.');
export type WebhookAttempt = z.infer<typeof webhookAttemptSchema>;

export const webhookDeliverySchema = z
  .strictObject({
    id: z.string().regex(/^\d+$/).describe("The delivery's id (a number, as a string)."),
    eventId: z.string().describe("The event it carries, `<recordId>:<seq>`: the `Webhook-Id` header and the body's `id`."),
    eventType: z.enum(HISTORY_EVENT_TYPES).describe("The event's type."),
    recordId: z.uuid().describe('The record the event belongs to.'),
    state: z
      .enum(DELIVERY_STATES)
      .describe(
        '`pending` (queued, or waiting to be retried), `delivered` (a 2xx came back), `failed` (given up after WEBHOOK_GIVE_UP_HOURS; can be retried).',
      ),
    attempts: z.int().min(0).describe('Attempts made so far.'),
    createdAt: utcInstant().describe('When the event was queued for this subscription.'),
    nextAttemptAt: utcInstant().nullable().describe('When it is tried next (pending only; null otherwise).'),
    lastAttemptAt: utcInstant().nullable().describe('When it was last tried, or null.'),
    lastStatus: z.int().nullable().describe("The receiver's HTTP status at the last attempt, or null (none yet, or no answer)."),
    lastError: z.string().nullable().describe('Why the last failed attempt failed (kept after a later success), or null.'),
    deliveredAt: utcInstant().nullable().describe('When the receiver took it, or null.'),
    recentAttempts: z.array(webhookAttemptSchema).describe(`The latest attempts (up to ${RECENT_ATTEMPTS}), newest first.`),
  })
  .describe('One event queued for one subscription, with its attempts.');
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;

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
