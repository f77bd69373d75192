// The webhook outbox as the delivery workers use it: which deliveries a claim takes, how its
// lease keeps other workers off, and how attempts move a delivery on. Claims look at every
// subscription, so this file runs in the serial group, where no other stack's worker claims ours.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import {
  claimDueDeliveries,
  createSubscription,
  deleteSubscription,
  findDelivery,
  findSubscription,
  listDeliveries,
  listSubscriptions,
  newWebhookSecret,
  recordAttempt,
  releaseDeliveries,
  retryDelivery,
  updateSubscription,
  type ClaimedBatch,
} from '../../db/webhooks.js';
import { testSql, uniqueName } from '../support/stack.js';

const sql = testSql();
const made: string[] = [];
afterAll(async () => {
  for (const id of made) await deleteSubscription(sql, id);
  await sql.end();
});

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const LEASE_MS = 60_000;

async function subscription() {
  const s = await createSubscription(sql, {
    url: 'https://receiver.example/hooks',
    events: ['closed'],
    secret: newWebhookSecret(),
    description: null,
    createdBy: uniqueName('db-test'),
  });
  made.push(s.id);
  return s;
}

/** Queues deliveries for the subscription, oldest first, each due after its delay (ms; negative: overdue). */
async function queue(subscriptionId: string, dueInMs: number[]): Promise<string[]> {
  const recordId = randomUUID();
  const ids: string[] = [];
  for (const [i, delay] of dueInMs.entries()) {
    const [row] = await sql<{ id: string }[]>`
      insert into webhook_deliveries (subscription_id, event_id, event_type, record_id, payload, next_attempt_at)
      values (${subscriptionId}, ${`${recordId}:${i + 1}`}, 'closed', ${recordId},
              ${sql.json({ recordId, seq: i + 1, contact_data: { accountNo: '7' } })},
              now() + ${delay} * interval '1 millisecond')
      returning id::text as id`;
    ids.push(row!.id);
  }
  return ids;
}

/** A claim as a worker makes it, narrowed to this file's subscriptions: what other files left behind may be claimed too. */
async function claim(options: { perSubscription?: number; leaseMs?: number; skip?: string[] } = {}): Promise<Map<string, string[]>> {
  const batches = await claimDueDeliveries(sql, {
    subscriptions: 1000,
    perSubscription: options.perSubscription ?? 20,
    leaseMs: options.leaseMs ?? LEASE_MS,
    skip: options.skip ?? [],
  });
  return ours(batches);
}

const ours = (batches: ClaimedBatch[]) =>
  new Map(batches.filter((b) => made.includes(b.subscription.id)).map((b) => [b.subscription.id, b.deliveries.map((d) => d.id)]));

const attempt = (outcome: Parameters<typeof recordAttempt>[2]['outcome'], status: number | null = 503) => ({
  at: new Date(),
  durationMs: 12,
  status,
  error: status === 200 ? null : `HTTP ${status}`,
  outcome,
});

describe('claiming', () => {
  it("takes a subscription's oldest due deliveries in order, up to the batch size, with what the worker needs to send them", async () => {
    const s = await subscription();
    const ids = await queue(s.id, [-3000, -2000, -1000]);
    const batches = await claimDueDeliveries(sql, { subscriptions: 1000, perSubscription: 2, leaseMs: LEASE_MS });
    const batch = batches.find((b) => b.subscription.id === s.id)!;
    expect(batch.subscription).toEqual({ id: s.id, url: s.url, secret: s.secret });
    expect(batch.deliveries.map((d) => d.id)).toEqual(ids.slice(0, 2));
    const [first] = batch.deliveries;
    expect(first).toMatchObject({ attempts: 0, eventId: expect.stringMatching(/:1$/) });
    // The payload goes out as it was queued: json keys are not renamed on the way.
    expect(first!.payload).toEqual({ recordId: expect.any(String), seq: 1, contact_data: { accountNo: '7' } });
    expect(first!.retryingSince).toBeInstanceOf(Date);
  });

  it('leases what it takes: no second claim gets it until it is released or the lease runs out', async () => {
    const s = await subscription();
    const ids = await queue(s.id, [-2000, -1000]);
    expect((await claim()).get(s.id)).toEqual(ids);
    expect((await claim()).has(s.id)).toBe(false);
    await releaseDeliveries(sql, ids);
    expect((await claim({ leaseMs: 1 })).get(s.id)).toEqual(ids);
    // A worker that died never releases: its claim runs out instead.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await claim()).get(s.id)).toEqual(ids);
  });

  it('keeps order: a head not due yet holds back the due deliveries behind it, and a batch ends before the first one not due', async () => {
    const waiting = await subscription();
    await queue(waiting.id, [3_600_000, -1000]);
    const gapped = await subscription();
    const ids = await queue(gapped.id, [-2000, 3_600_000, -1000]);
    const claimed = await claim();
    expect(claimed.has(waiting.id)).toBe(false);
    expect(claimed.get(gapped.id)).toEqual([ids[0]]);
  });

  it('passes over paused subscriptions and those the worker is still sending', async () => {
    const paused = await subscription();
    await updateSubscription(sql, paused.id, { active: false });
    const busy = await subscription();
    const free = await subscription();
    for (const s of [paused, busy, free]) await queue(s.id, [-1000]);
    const claimed = await claim({ skip: [busy.id] });
    expect([...claimed.keys()]).toEqual([free.id]);
  });

  it('never gives one subscription to two workers claiming at once', async () => {
    const subs = await Promise.all([1, 2, 3, 4].map(() => subscription()));
    for (const s of subs) await queue(s.id, [-1000, -500]);
    const [a, b] = await Promise.all([claim(), claim()]);
    const taken = [...a.keys(), ...b.keys()].filter((id) => subs.some((s) => s.id === id));
    expect(taken.sort()).toEqual(subs.map((s) => s.id).sort());
    for (const s of subs) expect((a.get(s.id) ?? b.get(s.id))!).toHaveLength(2);
  });
});

describe('attempts', () => {
  it('a failed attempt is logged and the delivery waits for its retry; a success drops the payload and ends it', async () => {
    const s = await subscription();
    const [id] = await queue(s.id, [-1000]);
    const retryAt = new Date(Date.now() + 60_000);
    await recordAttempt(sql, id!, attempt({ state: 'pending', nextAttemptAt: retryAt }));
    const waiting = await findDelivery(sql, s.id, id!);
    expect(waiting).toMatchObject({ state: 'pending', attempts: 1, lastStatus: 503, lastError: 'HTTP 503', deliveredAt: null });
    expect(waiting!.nextAttemptAt).toBe(retryAt.toISOString());
    expect((await claim()).has(s.id)).toBe(false);

    await recordAttempt(sql, id!, attempt({ state: 'delivered' }, 200));
    const delivered = await findDelivery(sql, s.id, id!);
    // The last error stays for the log; the next attempt is no more.
    expect(delivered).toMatchObject({ state: 'delivered', attempts: 2, lastStatus: 200, lastError: 'HTTP 503', nextAttemptAt: null });
    expect(delivered!.deliveredAt).toMatch(ISO);
    expect(delivered!.recentAttempts.map((a) => a.status)).toEqual([200, 503]);
    for (const a of delivered!.recentAttempts)
      expect(a).toEqual({ at: expect.stringMatching(ISO), durationMs: 12, status: a.status, error: a.error });
    const [payload] = await sql<{ payload: unknown }[]>`select payload from webhook_deliveries where id = ${id!}::bigint`;
    expect(payload!.payload).toBeNull();

    // A late attempt of a worker whose lease ran out changes nothing.
    await recordAttempt(sql, id!, attempt({ state: 'failed' }));
    expect(await findDelivery(sql, s.id, id!)).toMatchObject({ state: 'delivered', attempts: 2 });
  });

  it('a failed delivery is retried by an administrator: pending again, due now, at the head of its subscription', async () => {
    const s = await subscription();
    const [id, later] = await queue(s.id, [-2000, 3_600_000]);
    await recordAttempt(sql, id!, attempt({ state: 'failed' }));
    expect(await findDelivery(sql, s.id, id!)).toMatchObject({ state: 'failed', nextAttemptAt: null });
    expect((await listDeliveries(sql, s.id, { state: 'failed', limit: 10 })).map((d) => d.id)).toEqual([id]);

    await retryDelivery(sql, s.id, id!);
    expect((await claim()).get(s.id)).toEqual([id]);
    expect((await listDeliveries(sql, s.id, { limit: 10 })).map((d) => d.id)).toEqual([later, id]);
    expect(await listDeliveries(sql, s.id, { limit: 10, beforeId: later! })).toHaveLength(1);
  });

  it('an attempt on a delivery whose subscription was deleted meanwhile is dropped', async () => {
    const s = await subscription();
    const [id] = await queue(s.id, [-1000]);
    expect(await deleteSubscription(sql, s.id)).toBe(true);
    await recordAttempt(sql, id!, attempt({ state: 'delivered' }, 200));
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from webhook_attempts where delivery_id = ${id!}::bigint`;
    expect(row!.n).toBe(0);
  });
});

it('a subscription is read back as written, its secret only when it is made', async () => {
  const s = await subscription();
  expect(s).toEqual({
    id: expect.any(String),
    url: 'https://receiver.example/hooks',
    events: ['closed'],
    active: true,
    description: null,
    createdAt: expect.stringMatching(ISO),
    createdBy: expect.stringMatching(/^db-test-/),
    updatedAt: expect.stringMatching(ISO),
    secret: expect.stringMatching(/^whsec_/),
  });
  const { secret: _secret, ...stored } = s;
  expect(await findSubscription(sql, s.id)).toEqual(stored);
  expect((await listSubscriptions(sql)).find((x) => x.id === s.id)).toEqual(stored);
  const changed = await updateSubscription(sql, s.id, { events: ['closed', 'offered'], description: 'CRM' });
  expect(changed).toMatchObject({ events: ['closed', 'offered'], description: 'CRM', active: true });
});
