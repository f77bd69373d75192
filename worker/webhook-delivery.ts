// Sends the webhook outbox: each delivery POSTed, signed, to its subscription's URL, retried with
// backoff until the receiver takes it (any 2xx) or the give-up age passes. Each subscription's
// deliveries go one at a time, oldest first; a failing one holds back the later ones, so that a
// receiver that comes back gets them in order. Receivers still order by `event.seq` per record:
// two records' events may commit, and so arrive, in another order than they happened.
import { createHmac } from 'node:crypto';
import type { Sql } from '../db/connect.js';
import {
  claimDueDeliveries,
  forgetFinishedDeliveries,
  recordAttempt,
  releaseDeliveries,
  type AttemptResult,
  type ClaimedBatch,
  type DueDelivery,
} from '../db/webhooks.js';

export interface RetryPolicy {
  /** The wait after the first failed attempt. */
  baseMs: number;
  /** The longest wait between two attempts. */
  maxMs: number;
  /** After this long (from when it was queued, or retried by an administrator) a delivery is given up. */
  giveUpMs: number;
}

/** Each wait is shortened by up to this share, so that many deliveries that failed together spread out. */
export const JITTER = 0.2;

/** The wait after the nth failed attempt (n from 1): base doubling per failure, capped, less up to 20% jitter. */
export function retryDelayMs(failedAttempts: number, policy: Pick<RetryPolicy, 'baseMs' | 'maxMs'>, random: () => number = Math.random): number {
  const full = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(Math.max(failedAttempts - 1, 0), 40));
  return Math.round(full * (1 - JITTER * random()));
}

/** When to try again after the nth failed attempt at `now`; null: give up, the next try would be past the give-up age. */
export function nextAttemptAt(failedAttempts: number, now: Date, retryingSince: Date, policy: RetryPolicy, random?: () => number): Date | null {
  const next = now.getTime() + retryDelayMs(failedAttempts, policy, random);
  return next > retryingSince.getTime() + policy.giveUpMs ? null : new Date(next);
}

/**
 * `Webhook-Signature`: `v1=` and the hex HMAC-SHA256, keyed with the subscription's secret (its
 * UTF-8 bytes), of `<Webhook-Timestamp>.<body>`. The timestamp is signed so that a captured
 * request cannot be replayed later: receivers refuse one whose timestamp is more than minutes old.
 */
export function signature(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface DeliveryOptions {
  pollMs: number;
  timeoutMs: number;
  retry: RetryPolicy;
  /** Delivered and failed deliveries older than this leave the log. */
  retentionDays: number;
  /** Subscriptions served at once by this worker. */
  concurrency?: number;
  /** Deliveries of one subscription claimed at once. */
  batchSize?: number;
}

const RETENTION_EVERY_MS = 3_600_000;
const ERROR_TEXT_MAX = 500;

/** Delivers until stopped; the returned function stops it after the attempts in progress. */
export function deliverWebhooks(sql: Sql, options: DeliveryOptions): () => Promise<void> {
  const concurrency = options.concurrency ?? 8;
  const batchSize = options.batchSize ?? 20;
  // Every claimed delivery may take the whole timeout; the lease outlasts the batch.
  const leaseMs = batchSize * (options.timeoutMs + 1000) + 30_000;
  const inFlight = new Map<string, Promise<void>>();
  let stopping = false;
  let wake: () => void = () => {};
  let forgottenAt = 0;

  async function send(subscription: ClaimedBatch['subscription'], delivery: DueDelivery): Promise<AttemptResult> {
    const body = JSON.stringify(delivery.payload);
    const timestamp = Math.floor(Date.now() / 1000);
    const at = new Date();
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(subscription.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'callback-service-webhooks/1',
          'webhook-id': delivery.eventId,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signature(subscription.secret, timestamp, body),
        },
        body,
        // A redirect could send the signed body elsewhere: it is a failure, not followed.
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      status = res.status;
      if (res.ok) await res.body?.cancel();
      else error = `HTTP ${res.status}${await answerSnippet(res)}`;
    } catch (err) {
      error = failureText(err, options.timeoutMs);
    }
    const durationMs = Date.now() - at.getTime();
    if (status !== null && status >= 200 && status < 300) return { at, durationMs, status, error: null, outcome: { state: 'delivered' } };
    const next = nextAttemptAt(delivery.attempts + 1, new Date(), delivery.retryingSince, options.retry);
    return { at, durationMs, status, error, outcome: next ? { state: 'pending', nextAttemptAt: next } : { state: 'failed' } };
  }

  /** One subscription's claimed deliveries in order, until one fails or the worker stops. */
  async function sendBatch({ subscription, deliveries }: ClaimedBatch): Promise<void> {
    let sent = 0;
    try {
      for (const delivery of deliveries) {
        if (stopping) break;
        const result = await send(subscription, delivery);
        await recordAttempt(sql, delivery.id, result);
        sent++;
        if (result.outcome.state !== 'delivered') break;
      }
    } finally {
      await releaseDeliveries(sql, deliveries.slice(sent).map((d) => d.id));
    }
  }

  async function forgetOldDeliveries() {
    if (Date.now() - forgottenAt < RETENTION_EVERY_MS) return;
    forgottenAt = Date.now();
    await forgetFinishedDeliveries(sql, new Date(Date.now() - options.retentionDays * 86_400_000));
  }

  async function loop() {
    while (!stopping) {
      let claimed: ClaimedBatch[] = [];
      try {
        await forgetOldDeliveries();
        if (inFlight.size < concurrency) {
          claimed = await claimDueDeliveries(sql, {
            subscriptions: concurrency - inFlight.size,
            perSubscription: batchSize,
            leaseMs,
            skip: [...inFlight.keys()],
          });
        }
      } catch (err) {
        console.error('[worker] claiming webhook deliveries failed; trying again', err);
      }
      for (const batch of claimed) {
        const id = batch.subscription.id;
        const running = sendBatch(batch)
          .catch((err) => console.error(`[worker] delivering to webhook ${id} failed; its deliveries will be retried`, err))
          .finally(() => {
            inFlight.delete(id);
            wake();
          });
        inFlight.set(id, running);
      }
      // Claim again at once while there is work and room; otherwise wait for the poll or a finished batch.
      if (claimed.length > 0 && inFlight.size < concurrency) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  const running = loop();
  return async () => {
    stopping = true;
    wake();
    await running;
    await Promise.all(inFlight.values());
  };
}

/** The start of a refusing receiver's answer, for the log. */
async function answerSnippet(res: Response): Promise<string> {
  try {
    const text = (await res.text()).replace(/\s+/g, ' ').trim();
    return text ? `: ${text.slice(0, ERROR_TEXT_MAX)}` : '';
  } catch {
    return '';
  }
}

function failureText(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return `no answer within ${timeoutMs} ms`;
  const cause = err instanceof Error ? (err.cause as { code?: string; message?: string } | undefined) : undefined;
  const text = cause?.message ?? cause?.code ?? (err instanceof Error ? err.message : String(err));
  return text.slice(0, ERROR_TEXT_MAX);
}
