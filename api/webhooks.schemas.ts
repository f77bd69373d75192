// What /v1/webhooks answers, and what a receiver gets, as zod schemas: the OpenAPI document's
// bodies, and the contract the tests hold the running system to.
import { z } from 'zod';
import { webhookDeliverySchema, webhookSubscriptionSchema } from '../db/webhooks.js';
import { HISTORY_EVENT_TYPES } from '../domain/record.js';
import { callbackRecordView, historyEvent } from './callbacks.schemas.js';
import { utcInstant } from './schemas.js';

export const webhookSubscription = webhookSubscriptionSchema;

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

export const webhookDelivery = webhookDeliverySchema;

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
