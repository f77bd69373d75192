// Sends the webhook outbox: each delivery POSTed, signed, to its subscription's URL, retried with
// backoff until the receiver takes it (any 2xx) or the give-up age passes. Each subscription's
// deliveries go one at a time, oldest first; a failing one holds back the later ones, so that a
// receiver that comes back gets them in order. Receivers still order by `event.seq` per record:
// two records' events may commit, and so arrive, in another order than they happened.
// Before each attempt the URL's host is resolved and checked (domain/network-address.ts): an
// address inside the network is not sent to unless WEBHOOK_ALLOWED_PRIVATE_HOSTS allows it.
import { createHmac } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
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
import { checkTarget, type TargetCheck, type TargetPolicy } from '../domain/network-address.js';
import { log } from '../telemetry/log.js';
import type { WorkerMetrics } from '../telemetry/metrics.js';

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
export function retryDelayMs(
  failedAttempts: number,
  policy: Pick<RetryPolicy, 'baseMs' | 'maxMs'>,
  random: () => number = Math.random,
): number {
  const full = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(Math.max(failedAttempts - 1, 0), 40));
  return Math.round(full * (1 - JITTER * random()));
}

/** When to try again after the nth failed attempt at `now`; null: give up, the next try would be past the give-up age. */
export function nextAttemptAt(
  failedAttempts: number,
  now: Date,
  retryingSince: Date,
  policy: RetryPolicy,
  random?: () => number,
): Date | null {
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
  /** Which hosts inside the network may be sent to (WEBHOOK_ALLOWED_PRIVATE_HOSTS). */
  targets: TargetPolicy;
  /** Counts attempts by result. */
  metrics?: Pick<WorkerMetrics, 'webhookDeliveries'>;
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

  const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

  async function send(subscription: ClaimedBatch['subscription'], delivery: DueDelivery): Promise<AttemptResult> {
    const body = JSON.stringify(delivery.payload);
    const timestamp = Math.floor(Date.now() / 1000);
    const at = new Date();
    const deadline = AbortSignal.timeout(options.timeoutMs);
    let status: number | null = null;
    let error: string | null = null;
    try {
      // Checked at every attempt, not only when subscribed: what a name resolves to can change.
      const target = await checkTarget(subscription.url, options.targets, (host) => lookup(host, { all: true }), options.timeoutMs);
      if (target.verdict === 'refused') error = refusalText(target);
      else if (target.verdict === 'unresolved') error = target.error.slice(0, ERROR_TEXT_MAX);
      else {
        const answer = await post(target, body, deadline, {
          'content-type': 'application/json',
          'user-agent': 'callback-service-webhooks/1',
          'webhook-id': delivery.eventId,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signature(subscription.secret, timestamp, body),
        });
        status = answer.status;
        if (status < 200 || status >= 300) error = `HTTP ${status}${answer.snippet}`;
      }
    } catch (err) {
      error = failureText(err, options.timeoutMs);
    }
    const durationMs = Date.now() - at.getTime();
    if (status !== null && status >= 200 && status < 300) return { at, durationMs, status, error: null, outcome: { state: 'delivered' } };
    // A refused target is retried like any failure: DNS may come back to a public address, or the
    // operator allow the host, and the subscription's later deliveries keep their order behind it.
    const next = nextAttemptAt(delivery.attempts + 1, new Date(), delivery.retryingSince, options.retry);
    return { at, durationMs, status, error, outcome: next ? { state: 'pending', nextAttemptAt: next } : { state: 'failed' } };
  }

  /**
   * POSTs to the addresses just checked and to no other: the connection takes them from this
   * lookup function, so the name is not resolved a second time (where DNS rebinding would strike).
   * Redirects are not followed (node:http never does): a 3xx is a failure.
   */
  function post(target: Extract<TargetCheck, { verdict: 'allowed' }>, body: string, signal: AbortSignal, headers: Record<string, string>) {
    const { url, addresses } = target;
    const pinned: LookupFunction = (_host, lookupOptions, callback) => {
      if (lookupOptions.all) return callback(null, addresses);
      const one = addresses.find((a) => !lookupOptions.family || a.family === lookupOptions.family) ?? addresses[0]!;
      callback(null, one.address, one.family);
    };
    const https = url.protocol === 'https:';
    return new Promise<{ status: number; snippet: string }>((resolve, reject) => {
      const req = (https ? httpsRequest : httpRequest)(
        url,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          agent: https ? agents.https : agents.http,
          lookup: pinned,
          signal,
        },
        (res) => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            res.resume();
            resolve({ status, snippet: '' });
          } else {
            void answerSnippet(res).then((snippet) => resolve({ status, snippet }));
          }
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  /** One subscription's claimed deliveries in order, until one fails or the worker stops. */
  async function sendBatch({ subscription, deliveries }: ClaimedBatch): Promise<void> {
    let sent = 0;
    try {
      for (const delivery of deliveries) {
        if (stopping) break;
        const result = await send(subscription, delivery);
        await recordAttempt(sql, delivery.id, result);
        const state = result.outcome.state;
        options.metrics?.webhookDeliveries.inc({ result: state === 'pending' ? 'failed' : state === 'failed' ? 'given-up' : 'delivered' });
        if (state !== 'delivered') {
          log().warn(
            {
              webhookId: subscription.id,
              eventId: delivery.eventId,
              recordId: delivery.eventId.split(':')[0],
              attempt: delivery.attempts + 1,
              status: result.status,
              error: result.error,
              givenUp: state === 'failed',
            },
            'webhook delivery attempt failed',
          );
        }
        sent++;
        if (result.outcome.state !== 'delivered') break;
      }
    } finally {
      await releaseDeliveries(
        sql,
        deliveries.slice(sent).map((d) => d.id),
      );
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
        log().error({ err }, 'claiming webhook deliveries failed; trying again');
      }
      for (const batch of claimed) {
        const id = batch.subscription.id;
        const running = sendBatch(batch)
          .catch((err) => log().error({ webhookId: id, err }, 'delivering to a webhook failed; its deliveries will be retried'))
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
    agents.http.destroy();
    agents.https.destroy();
  };
}

/** The start of a refusing receiver's answer, for the log; no more of it is read. */
function answerSnippet(res: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      const text = Buffer.concat(chunks).toString('utf8').replace(/\s+/g, ' ').trim();
      resolve(text ? `: ${text.slice(0, ERROR_TEXT_MAX)}` : '');
    };
    res.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= 4 * ERROR_TEXT_MAX) {
        res.destroy();
        done();
      }
    });
    res.on('end', done);
    res.on('close', done);
  });
}

function refusalText(refusal: Extract<TargetCheck, { verdict: 'refused' }>): string {
  if (refusal.reason === 'scheme' || refusal.reason === 'credentials') return `not sent: the url is refused, ${refusal.why}`;
  return `not sent: ${refusal.why}, inside the network, and WEBHOOK_ALLOWED_PRIVATE_HOSTS does not allow it`;
}

function failureText(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return `no answer within ${timeoutMs} ms`;
  // A name with several addresses, none of which took the connection: each one's error.
  const text =
    err instanceof AggregateError
      ? err.errors.map((e) => (e instanceof Error ? e.message : String(e))).join('; ')
      : err instanceof Error
        ? err.message || (err as NodeJS.ErrnoException).code || err.name
        : String(err);
  return text.slice(0, ERROR_TEXT_MAX);
}
