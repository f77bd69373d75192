// /v1/webhooks: an administrator subscribes URLs to record events, and reads what was delivered.
// The worker sends them (worker/webhook-delivery.ts); here are the subscriptions and their log.
import { lookup } from 'node:dns/promises';
import { Hono } from 'hono';
import { z } from 'zod';
import { writeAudit } from '../db/audit.js';
import {
  createSubscription,
  deleteSubscription,
  DELIVERY_STATES,
  findDelivery,
  findSubscription,
  listDeliveries,
  listSubscriptions,
  newWebhookSecret,
  retryDelivery,
  updateSubscription,
} from '../db/webhooks.js';
import { checkTarget, type TargetPolicy } from '../domain/network-address.js';
import { HISTORY_EVENT_TYPES } from '../domain/record.js';
import { AUDITED, route, ROLE_SETS } from './access.js';
import { actorOf } from './actor.js';
import type { ApiDeps } from './deps.js';
import { problem } from './problem.js';
import { queryInt } from './schemas.js';
import { validate } from './validate.js';
import {
  createdWebhookSubscription,
  webhookDelivery,
  webhookDeliveryPage,
  webhookSubscription,
  webhookSubscriptionList,
} from './webhooks.schemas.js';

const EVENT_CHOICES = [...HISTORY_EVENT_TYPES, '*'] as const;

const fields = {
  url: z
    .url({ protocol: /^https?$/, error: 'an http or https URL' })
    .max(2000)
    .refine((url) => {
      // zod runs this on a URL it has refused already: that one is reported once, as not a URL.
      if (!URL.canParse(url)) return true;
      const { username, password } = new URL(url);
      return username === '' && password === '';
    }, 'must not carry credentials (user:password@): the signature tells the receiver who sent it')
    .describe(
      'Where to POST each event (http or https, without credentials); redirects are not followed. A host that is, or ' +
        'resolves to, an address inside the network (loopback, private, link-local, metadata ...) is refused unless ' +
        'WEBHOOK_ALLOWED_PRIVATE_HOSTS names it',
    ),
  events: z
    .array(z.enum(EVENT_CHOICES))
    .min(1)
    .refine((events) => !events.includes('*') || events.length === 1, "'*' (every event type) stands alone")
    .transform((events) => [...new Set(events)])
    .describe(`The history event types to receive (${HISTORY_EVENT_TYPES.join(', ')}), or ["*"] for every one`),
  description: z.string().trim().min(1).max(500).describe('What the subscription is for'),
};

const createWebhook = z.strictObject({
  url: fields.url,
  events: fields.events,
  description: fields.description.optional(),
  secret: z
    .string()
    .min(32)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
    .optional()
    .describe('The signing secret, 32 to 200 characters; without it one is made (256 random bits)'),
});

const changeWebhook = z.strictObject({
  url: fields.url.optional(),
  events: fields.events.optional(),
  active: z.boolean().optional().describe('false pauses it: new events are not queued for it and pending deliveries wait; true resumes'),
  description: fields.description.nullable().optional().describe('What the subscription is for; null clears it'),
});

const idParam = z.object({ id: z.uuid().describe("The subscription's id") });
const deliveryParam = idParam.extend({
  deliveryId: z
    .string()
    .regex(/^\d{1,18}$/, 'a delivery id')
    .describe("The delivery's id"),
});

const deliveriesQuery = z.strictObject({
  state: z.enum(DELIVERY_STATES).optional().describe('Only deliveries in this state: pending, delivered or failed'),
  limit: queryInt(1, 200).default(50).describe('Deliveries a page'),
  cursor: z
    .string()
    .regex(/^\d{1,18}$/, 'not a cursor this API gave')
    .optional()
    .describe("The previous page's nextCursor"),
});

const routes = {
  list: route({
    summary: 'List webhook subscriptions',
    description: 'Paused ones included; never a secret.',
    roles: ROLE_SETS.admin,
    responses: { 200: { description: 'Every subscription', schema: webhookSubscriptionList } },
  }),
  create: route({
    summary: 'Subscribe a URL to record events',
    description:
      'From now on each history event of the chosen types, of every record, is POSTed to the URL as JSON, signed ' +
      '(`Webhook-Signature: v1=<hex HMAC-SHA256 of "<Webhook-Timestamp>.<body>">`), and retried with backoff until a 2xx ' +
      'comes back or WEBHOOK_GIVE_UP_HOURS pass. The answer holds the secret, the only time it is shown.',
    roles: ROLE_SETS.admin,
    responses: { 201: { description: 'The subscription, with its secret', schema: createdWebhookSubscription } },
    problems: ['webhook-target-not-allowed'],
    headers: AUDITED,
  }),
  read: route({
    summary: 'Read a webhook subscription',
    roles: ROLE_SETS.admin,
    responses: { 200: { description: 'The subscription, without its secret', schema: webhookSubscription } },
    problems: ['not-found'],
  }),
  change: route({
    summary: 'Change or pause a webhook subscription',
    description: 'A new URL applies to pending deliveries too; new event types to events from now on.',
    roles: ROLE_SETS.admin,
    responses: { 200: { description: 'The subscription as changed', schema: webhookSubscription } },
    problems: ['not-found', 'webhook-target-not-allowed'],
    headers: AUDITED,
  }),
  remove: route({
    summary: 'Delete a webhook subscription',
    description: 'Its pending deliveries are dropped, and its delivery log goes with it.',
    roles: ROLE_SETS.admin,
    responses: { 204: { description: 'Deleted' } },
    problems: ['not-found'],
    headers: AUDITED,
  }),
  deliveries: route({
    summary: "Read a subscription's delivery log",
    description: 'Each event queued for it, newest first, with its state, its attempts (time, status or error) and when it is tried next.',
    roles: ROLE_SETS.admin,
    responses: { 200: { description: 'A page of deliveries', schema: webhookDeliveryPage } },
    problems: ['not-found'],
  }),
  retry: route({
    summary: 'Retry a failed delivery',
    description: "It goes back to pending, due now, with a new give-up age; it is sent before the subscription's newer pending deliveries.",
    roles: ROLE_SETS.admin,
    responses: { 200: { description: 'The delivery, pending', schema: webhookDelivery } },
    problems: ['not-found', 'delivery-not-failed'],
    headers: AUDITED,
  }),
};

const notFound = () => problem('not-found', 'no webhook subscription with this id');

/**
 * Refuses a URL that reaches inside the network, by its host or what that resolves to now. A
 * name that does not resolve yet is taken: nothing is sent to it until it does, and every
 * delivery checks the host again, whatever it resolves to by then.
 */
async function refuseInsideTargets(url: string, policy: TargetPolicy) {
  const check = await checkTarget(url, policy, (host) => lookup(host, { all: true }));
  if (check.verdict !== 'refused') return;
  throw problem('webhook-target-not-allowed', `the url reaches inside the network: ${check.why}`, {
    detail:
      'Webhooks are not sent inside the network (loopback, private, link-local, metadata and other non-public ' +
      'addresses) unless WEBHOOK_ALLOWED_PRIVATE_HOSTS names the host.',
    field: 'url',
    reason: check.reason,
  });
}

export function webhooksRouter({ sql, webhookTargets }: ApiDeps) {
  return new Hono()
    .get('/', routes.list, async (c) => c.json({ items: await listSubscriptions(sql) }))

    .post('/', routes.create, validate('json', createWebhook), async (c) => {
      const actor = actorOf(c);
      const input = c.req.valid('json');
      await refuseInsideTargets(input.url, webhookTargets);
      const made = await sql.begin(async (tx) => {
        const subscription = await createSubscription(tx, {
          url: input.url,
          events: input.events,
          secret: input.secret ?? newWebhookSecret(),
          description: input.description ?? null,
          createdBy: actor,
        });
        await writeAudit(tx, {
          actor,
          action: 'webhook-create',
          detail: { id: subscription.id, url: subscription.url, events: subscription.events, secretGiven: input.secret !== undefined },
          result: 'ok',
        });
        return subscription;
      });
      c.header('location', `/v1/webhooks/${made.id}`);
      return c.json(made, 201);
    })

    .get('/:id', routes.read, validate('param', idParam), async (c) => {
      const subscription = await findSubscription(sql, c.req.valid('param').id);
      if (!subscription) throw notFound();
      return c.json(subscription);
    })

    .patch('/:id', routes.change, validate('param', idParam), validate('json', changeWebhook), async (c) => {
      const actor = actorOf(c);
      const { id } = c.req.valid('param');
      const changes = c.req.valid('json');
      if (changes.url !== undefined) await refuseInsideTargets(changes.url, webhookTargets);
      const changed = await sql.begin(async (tx) => {
        const subscription = await updateSubscription(tx, id, changes);
        if (!subscription) throw notFound();
        await writeAudit(tx, { actor, action: 'webhook-change', detail: { id, changes }, result: 'ok' });
        return subscription;
      });
      return c.json(changed);
    })

    .delete('/:id', routes.remove, validate('param', idParam), async (c) => {
      const actor = actorOf(c);
      const { id } = c.req.valid('param');
      await sql.begin(async (tx) => {
        const subscription = await findSubscription(tx, id, { lock: true });
        if (!subscription) throw notFound();
        await deleteSubscription(tx, id);
        await writeAudit(tx, {
          actor,
          action: 'webhook-delete',
          detail: { id, url: subscription.url, events: subscription.events },
          result: 'ok',
        });
      });
      return c.body(null, 204);
    })

    .get('/:id/deliveries', routes.deliveries, validate('param', idParam), validate('query', deliveriesQuery), async (c) => {
      const { id } = c.req.valid('param');
      const q = c.req.valid('query');
      if (!(await findSubscription(sql, id))) throw notFound();
      // One more than asked for tells whether there is a next page.
      const found = await listDeliveries(sql, id, { state: q.state, limit: q.limit + 1, beforeId: q.cursor });
      const items = found.slice(0, q.limit);
      return c.json({ items, nextCursor: found.length > q.limit ? items.at(-1)!.id : null });
    })

    .post('/:id/deliveries/:deliveryId/retry', routes.retry, validate('param', deliveryParam), async (c) => {
      const actor = actorOf(c);
      const { id, deliveryId } = c.req.valid('param');
      const retried = await sql.begin(async (tx) => {
        const delivery = await findDelivery(tx, id, deliveryId);
        if (!delivery) throw problem('not-found', 'no delivery with this id for this subscription');
        if (delivery.state !== 'failed') {
          throw problem('delivery-not-failed', `the delivery is ${delivery.state}: only a failed one can be retried`, {
            state: delivery.state,
          });
        }
        await retryDelivery(tx, id, deliveryId);
        await writeAudit(tx, {
          actor,
          action: 'webhook-retry',
          recordId: delivery.recordId,
          detail: { id, deliveryId, eventId: delivery.eventId },
          result: 'ok',
        });
        return (await findDelivery(tx, id, deliveryId))!;
      });
      return c.json(retried);
    });
}
