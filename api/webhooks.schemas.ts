// What /v1/webhooks answers, and what a receiver gets, as zod schemas: the OpenAPI document's
// bodies, and the contract the tests hold the running system to.
import { z } from 'zod';
import type { WebhookDelivery, WebhookSubscription } from '../db/webhooks.js';
import { DELIVERY_STATES, RECENT_ATTEMPTS } from '../db/webhooks.js';
import { HISTORY_EVENT_TYPES } from '../domain/record.js';
import { callbackRecordView, historyEvent } from './callbacks.schemas.js';
import { utcInstant } from './schemas.js';

export const webhookSubscription = z
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

export const createdWebhookSubscription = webhookSubscription
  .extend({
    secret: z
      .string()
      .describe(
        'The secret deliveries are signed with (HMAC-SHA256; see `Webhook-Signature`). Shown this once: keep it with the receiver.',
      ),
  })
  .describe('The subscription as made, with its secret.');

export const webhookSubscriptionList = z
  .strictObject({ items: z.array(webhookSubscription).describe('Every subscription, oldest first.') })
  .describe('The webhook subscriptions.');

export const webhookAttempt = z
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

export const webhookDelivery = z
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
    recentAttempts: z.array(webhookAttempt).describe(`The latest attempts (up to ${RECENT_ATTEMPTS}), newest first.`),
  })
  .describe('One event queued for one subscription, with its attempts.');

export const webhookDeliveryPage = z
  .strictObject({
    items: z.array(webhookDelivery).describe('Deliveries, newest first.'),
    nextCursor: z.string().nullable().describe('Give as `cursor`, with the same `state`, for the next page; null on the last page.'),
  })
  .describe("One page of a subscription's delivery log.");

/** The body of every delivery: one event, with the record as saved with it. */
export const webhookPayload = z
  .strictObject({
    id: z
      .string()
      .describe(
        "The event's id, `<recordId>:<seq>`: the same in every attempt and for every subscription. Receivers ignore one they have seen.",
      ),
    type: z.enum(HISTORY_EVENT_TYPES).describe("The event's type (as `event.type`)."),
    occurredAt: utcInstant().describe('When it happened (as `event.at`).'),
    recordId: z.uuid().describe('The record it belongs to.'),
    event: historyEvent,
    record: callbackRecordView.describe('The record as it was saved with this event; a later event may carry a later record.'),
  })
  .describe('What a webhook receiver gets: one history event of one record.');

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _subscription: Same<Omit<z.infer<typeof webhookSubscription>, 'events'>, Omit<WebhookSubscription, 'events'>> = true;
const _delivery: Same<Omit<z.infer<typeof webhookDelivery>, 'eventType'>, Omit<WebhookDelivery, 'eventType'>> = true;
void [_subscription, _delivery];
