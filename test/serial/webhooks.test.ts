// Webhooks through the real stack: an administrator subscribes a local receiver, records run
// their course, and the receiver gets every event, signed, once, in order per record; it goes
// down while records change, and when it comes back on the same port nothing is missing.
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createdWebhookSubscription,
  webhookDelivery,
  webhookDeliveryPage,
  webhookPayload,
  webhookSubscription,
  webhookSubscriptionList,
} from '../../api/webhooks.schemas.js';
import { eventually, newQueue, recordWhen, startStack, type Reply, type Stack } from '../support/stack.js';

let stack: Stack;
const receiver = localReceiver();
const subscriptions: string[] = [];

beforeAll(async () => {
  stack = await startStack({ env: { WEBHOOK_POLL_MS: '100', WEBHOOK_RETRY_BASE_MS: '200', WEBHOOK_RETRY_MAX_MS: '1000' } });
  await receiver.up();
});
afterAll(async () => {
  // Subscriptions to every event would collect other tests' events after this file.
  for (const id of subscriptions) await stack?.api.delete(`/v1/webhooks/${id}`);
  await receiver.down();
  await stack?.stop();
});

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: z.infer<typeof webhookPayload>;
  /** The signature checks out with the path's secret, and the timestamp is recent. */
  signed: boolean;
}

/** An HTTP receiver on this machine that checks each delivery's signature with the secret of its path. */
function localReceiver(host = '127.0.0.1') {
  let server: Server | null = null;
  let port = 0;
  const secrets = new Map<string, string>();
  const received: Received[] = [];
  const refusing = new Set<string>();
  const redirecting = new Map<string, string>();

  const verify = (secret: string | undefined, headers: IncomingHttpHeaders, raw: string) => {
    const timestamp = Number(headers['webhook-timestamp']);
    const given = String(headers['webhook-signature'] ?? '');
    if (!secret || !Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > 300) return false;
    const expected = Buffer.from(`v1=${createHmac('sha256', secret).update(`${timestamp}.${raw}`).digest('hex')}`);
    return expected.length === given.length && timingSafeEqual(expected, Buffer.from(given));
  };

  return {
    received,
    secrets,
    url: (path: string, as = host) => `http://${as}:${port}${path}`,
    /** Listens, on the same port as before once it has had one. */
    async up() {
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          if (refusing.has(req.url!)) return res.writeHead(503, { 'content-type': 'text/plain' }).end('down for maintenance');
          const elsewhere = redirecting.get(req.url!);
          if (elsewhere) return res.writeHead(307, { location: elsewhere }).end();
          const raw = Buffer.concat(chunks).toString('utf8');
          received.push({
            path: req.url!,
            headers: req.headers,
            body: JSON.parse(raw),
            signed: verify(secrets.get(req.url!), req.headers, raw),
          });
          res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        });
      });
      await new Promise<void>((resolve) => server!.listen(port, host, resolve));
      port = (server.address() as AddressInfo).port;
    },
    /** Answers 503 to every delivery to `path` (taking none) until told otherwise. */
    refuse(path: string, on: boolean) {
      if (on) refusing.add(path);
      else refusing.delete(path);
    },
    /** Answers 307 to every delivery to `path`, pointing at `location`. */
    redirect(path: string, location: string) {
      redirecting.set(path, location);
    },
    /** Stops listening and drops kept-alive connections: the next delivery meets a refused connection. */
    async down() {
      if (!server) return;
      const closing = new Promise((resolve) => server!.close(resolve));
      server.closeAllConnections();
      await closing;
      server = null;
    },
    /** What arrived at `path` for these records. */
    of(path: string, recordIds: string[]) {
      return received.filter((r) => r.path === path && recordIds.includes(r.body.recordId));
    },
  };
}

function expectShape<S extends z.ZodType>(schema: S, reply: Reply, status = 200): z.infer<S> {
  expect(reply.status, JSON.stringify(reply.body)).toBe(status);
  const parsed = schema.safeParse(reply.body);
  if (!parsed.success)
    throw new Error(`the answer does not match its schema:\n${z.prettifyError(parsed.error)}\n${JSON.stringify(reply.body, null, 2)}`);
  return parsed.data;
}

async function subscribe(path: string, body: Record<string, unknown>) {
  const made = expectShape(createdWebhookSubscription, await stack.api.post('/v1/webhooks', { url: receiver.url(path), ...body }), 201);
  subscriptions.push(made.id);
  receiver.secrets.set(path, made.secret);
  return made;
}

/** Every delivery of a subscription, newest first, page by page. */
async function deliveriesOf(id: string, state?: string) {
  const items: z.infer<typeof webhookDelivery>[] = [];
  let cursor: string | null = null;
  do {
    const query: URLSearchParams = new URLSearchParams({ limit: '50', ...(state ? { state } : {}), ...(cursor ? { cursor } : {}) });
    const page: z.infer<typeof webhookDeliveryPage> = expectShape(
      webhookDeliveryPage,
      await stack.api.get(`/v1/webhooks/${id}/deliveries?${query}`),
    );
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

const historyOf = async (id: string) => (await stack.api.get(`/v1/callbacks/${id}`)).body.history as { seq: number; type: string }[];

async function request(queue: string, extra: Record<string, unknown> = {}) {
  const created = await stack.api.post('/v1/callbacks', { phone: '070-123 45 67', queue, channel: 'web', ...extra });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

/** A record taken through its whole life: offered, accepted, dialled and answered, completed, closed. */
async function completedRecord(queue: string) {
  const id = await request(queue);
  await recordWhen(stack.api, id, (r) => r.stage === 'offered');
  expect((await stack.api.post(`/v1/callbacks/${id}/accept`, { agentId: 'anna' })).status).toBe(200);
  await recordWhen(stack.api, id, (r) => r.stage === 'connected');
  expect((await stack.api.post(`/v1/callbacks/${id}/feedback`, { agentId: 'anna', outcome: 'completed' })).status).toBe(200);
  return recordWhen(stack.api, id, (r) => r.status === 'Closed');
}

/** Each event arrived once, signed, and the record's events in the order of their seq. */
function expectOncePerEventInOrder(got: Received[]) {
  const ids = got.map((r) => r.body.id);
  expect(new Set(ids).size, 'an event arrived twice').toBe(ids.length);
  expect(
    got.every((r) => r.signed),
    'a signature did not verify',
  ).toBe(true);
  for (const r of got) {
    expect(r.headers['webhook-id']).toBe(r.body.id);
    expect(r.body.id).toBe(`${r.body.recordId}:${r.body.event.seq}`);
    expect(r.headers['content-type']).toBe('application/json');
    const parsed = webhookPayload.safeParse(r.body);
    if (!parsed.success) throw new Error(`a payload does not match its schema:\n${z.prettifyError(parsed.error)}`);
  }
  for (const recordId of new Set(got.map((r) => r.body.recordId))) {
    const seqs = got.filter((r) => r.body.recordId === recordId).map((r) => r.body.event.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  }
}

describe('webhooks', () => {
  it(
    'deliver every event of a record, signed, once and in order; filtered by type; none to a paused subscription',
    { timeout: 180_000 },
    async () => {
      const all = await subscribe('/all', { events: ['*'], description: 'everything' });
      expect(all.secret).toMatch(/^whsec_[\w-]{43}$/);
      const given = `s3cret-${randomUUID()}`;
      const some = await subscribe('/some', { events: ['accepted', 'closed', 'accepted'], secret: given });
      expect(some).toMatchObject({ events: ['accepted', 'closed'], secret: given, active: true, description: null });
      const paused = await subscribe('/paused', { events: ['*'] });
      const pausedNow = expectShape(
        webhookSubscription,
        await stack.api.patch(`/v1/webhooks/${paused.id}`, { active: false, description: 'on hold' }),
      );
      expect(pausedNow).toMatchObject({ active: false, description: 'on hold' });
      expect(pausedNow).not.toHaveProperty('secret');

      const listed = expectShape(webhookSubscriptionList, await stack.api.get('/v1/webhooks'));
      expect(listed.items.map((s) => s.id)).toEqual(expect.arrayContaining([all.id, some.id, paused.id]));
      expect(expectShape(webhookSubscription, await stack.api.get(`/v1/webhooks/${some.id}`)).events).toEqual(['accepted', 'closed']);

      const queue = await newQueue(stack.api);
      const record = await completedRecord(queue);
      const types = record.history.map((e: any) => e.type);
      expect(types).toEqual(['requested', 'scheduled', 'due', 'offered', 'accepted', 'dialling', 'dialled', 'feedback', 'closed']);

      const got = await eventually(
        async () => {
          const r = receiver.of('/all', [record.id]);
          return r.length >= types.length ? r : undefined;
        },
        30_000,
        'every event at the receiver',
      );
      expectOncePerEventInOrder(got);
      expect(got.map((r) => r.body.type)).toEqual(types);
      expect(got.map((r) => r.body.event.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      const feedback = got.find((r) => r.body.type === 'feedback')!.body;
      expect(feedback.event.detail).toMatchObject({ outcome: 'completed' });
      // The record as saved with the event: feedback and closing are often saved together.
      expect(feedback.record).toMatchObject({ id: record.id, queue, latestOutcome: 'completed' });
      expect(got.at(-1)!.body.record).toMatchObject({ status: 'Closed', closeReason: 'completed' });
      expect(got.find((r) => r.body.type === 'dialled')!.body.event.detail).toMatchObject({ outcome: 'answered' });

      const filtered = await eventually(
        async () => {
          const r = receiver.of('/some', [record.id]);
          return r.length >= 2 ? r : undefined;
        },
        30_000,
        'the filtered events',
      );
      expectOncePerEventInOrder(filtered);
      expect(filtered.map((r) => r.body.type)).toEqual(['accepted', 'closed']);

      // The paused subscription queued nothing of this record (other tests' records may have saved
      // events in the moment it was active, before the pause), and received nothing.
      expect((await deliveriesOf(paused.id)).filter((d: { recordId: string }) => d.recordId === record.id)).toEqual([]);
      expect(receiver.received.filter((r) => r.path === '/paused')).toEqual([]);

      const log = await deliveriesOf(all.id);
      const mine = log.filter((d) => d.recordId === record.id);
      expect(mine.map((d) => d.eventType).reverse()).toEqual(types);
      for (const d of mine) {
        expect(d).toMatchObject({ state: 'delivered', attempts: 1, lastStatus: 200, lastError: null, nextAttemptAt: null });
        expect(d.recentAttempts).toEqual([expect.objectContaining({ status: 200, error: null })]);
      }
      // A delivered payload holds the customer's data and is never sent again: the log drops it.
      // (Only these subscriptions': another test's subscription may still be trying its receiver.)
      const [kept] =
        await stack.sql`select count(*)::int as n from webhook_deliveries where record_id = ${record.id} and subscription_id in ${stack.sql([all.id, some.id])} and payload <> 'null'::jsonb`;
      expect(kept!.n).toBe(0);
    },
  );

  it(
    'keep every event for a receiver that is down, retry with backoff, and deliver all of it when it is back',
    { timeout: 180_000 },
    async () => {
      const sub = await subscribe('/down', { events: ['*'] });
      const queue = await newQueue(stack.api);
      const before = await completedRecord(queue);
      await eventually(
        async () => (receiver.of('/down', [before.id]).length >= before.history.length ? true : undefined),
        30_000,
        'the first record',
      );

      // First it answers 503, then it is gone altogether.
      receiver.refuse('/down', true);
      const closedByAdmin = await request(queue);
      await recordWhen(stack.api, closedByAdmin, (r) => r.stage === 'offered');
      const refusedFirst = await eventually(
        async () => {
          const head = (await deliveriesOf(sub.id, 'pending')).find((d) => d.attempts >= 2);
          return head;
        },
        60_000,
        'attempts answered 503',
      );
      expect(refusedFirst).toMatchObject({ lastStatus: 503, lastError: 'HTTP 503: down for maintenance' });
      // The worker counts each attempt by its result (callback_webhook_deliveries_total on its /metrics).
      const counted = Object.fromEntries(
        (await stack.worker!.metrics.webhookDeliveries.get()).values.map((v) => [v.labels.result, v.value]),
      );
      expect(counted.delivered).toBeGreaterThanOrEqual(before.history.length);
      expect(counted.failed).toBeGreaterThanOrEqual(2);
      await receiver.down();
      receiver.refuse('/down', false);
      expect((await stack.api.post(`/v1/callbacks/${closedByAdmin}/close`, { comment: 'not needed' })).status).toBe(200);
      await recordWhen(stack.api, closedByAdmin, (r) => r.status === 'Closed');
      const later = await request(queue, { requestedAt: new Date(Date.now() + 2 * 3_600_000).toISOString() });
      await recordWhen(stack.api, later, (r) => r.version >= 2);
      const changed = [closedByAdmin, later];

      // Several attempts, each logged with its status or error; the later deliveries wait behind the first.
      const failing = await eventually(
        async () => {
          const pending = await deliveriesOf(sub.id, 'pending');
          const head = pending.find((d) => d.attempts >= refusedFirst.attempts + 3);
          return head && pending.length >= 2 ? { head, pending } : undefined;
        },
        60_000,
        'retries while the receiver is down',
      );
      expect(failing.head.id).toBe(refusedFirst.id);
      expect(failing.head).toMatchObject({ state: 'pending', lastStatus: null, deliveredAt: null });
      expect(failing.head.lastError).toMatch(/ECONNREFUSED|connect|fetch failed/);
      const attempts = failing.head.recentAttempts;
      expect(attempts.length).toBe(failing.head.attempts);
      expect(attempts[0]).toMatchObject({ status: null, error: expect.stringMatching(/ECONNREFUSED|connect|fetch failed/) });
      expect(attempts.at(-1)).toMatchObject({ status: 503, error: 'HTTP 503: down for maintenance' });
      const times = attempts.map((a) => Date.parse(a.at)).reverse();
      const waits = times.slice(1).map((t, i) => t - times[i]!);
      expect(waits.at(-1)!).toBeGreaterThan(waits[0]!);
      expect(failing.pending.filter((d) => d.attempts > 0).map((d) => d.id)).toEqual([failing.head.id]);
      expect(receiver.of('/down', changed)).toEqual([]);

      await receiver.up();
      const histories = await Promise.all(changed.map(historyOf));
      const expected = histories.reduce((n, h) => n + h.length, 0);
      const got = await eventually(
        async () => {
          const r = receiver.of('/down', changed);
          return r.length >= expected ? r : undefined;
        },
        90_000,
        'every event after the receiver came back',
      );
      expectOncePerEventInOrder(got);
      for (const [i, id] of changed.entries()) {
        expect(got.filter((r) => r.body.recordId === id).map((r) => r.body.type)).toEqual(histories[i]!.map((e) => e.type));
      }
      expect(histories[0]!.map((e) => e.type)).toContain('closed');

      // The receiver has the last event a moment before the worker notes it delivered.
      const log = await eventually(
        async () => {
          const all = await deliveriesOf(sub.id);
          return all.filter((d) => changed.includes(d.recordId)).every((d) => d.state === 'delivered') ? all : undefined;
        },
        30_000,
        'every delivery noted',
      );
      const head = log.find((d) => d.id === failing.head.id)!;
      expect(head).toMatchObject({ state: 'delivered', lastStatus: 200, nextAttemptAt: null });
      expect(head.attempts).toBeGreaterThanOrEqual(5);
      expect(head.recentAttempts[0]).toMatchObject({ status: 200, error: null });
      expect(head.lastError).toMatch(/ECONNREFUSED|connect|fetch failed/);
      expect(log.filter((d) => changed.includes(d.recordId)).every((d) => d.state === 'delivered')).toBe(true);
    },
  );

  it('give up after the give-up age, and retry a failed delivery on request', async () => {
    const sub = await subscribe('/retry', { events: ['requested'] });
    receiver.refuse('/retry', true);
    const id = await request(await newQueue(stack.api));
    const refused = await eventually(
      async () => (await deliveriesOf(sub.id, 'pending')).find((d) => d.recordId === id && d.attempts >= 1),
      30_000,
      'a refused attempt',
    );
    // As if the receiver had refused it for 100 hours: the next failure gives up.
    await stack.sql`update webhook_deliveries set retrying_since = now() - interval '100 hours' where id = ${refused.id}`;
    const failed = await eventually(
      async () => (await deliveriesOf(sub.id, 'failed')).find((d) => d.id === refused.id),
      30_000,
      'the delivery given up',
    );
    expect(failed).toMatchObject({ state: 'failed', nextAttemptAt: null, lastStatus: 503, deliveredAt: null });
    const attempts = failed.attempts;
    await new Promise((r) => setTimeout(r, 1000));
    expect((await deliveriesOf(sub.id, 'failed')).find((d) => d.id === refused.id)!.attempts).toBe(attempts);

    receiver.refuse('/retry', false);
    const retried = expectShape(webhookDelivery, await stack.api.post(`/v1/webhooks/${sub.id}/deliveries/${failed.id}/retry`));
    expect(retried).toMatchObject({ state: 'pending', id: failed.id, attempts });
    const delivered = await eventually(
      async () => (await deliveriesOf(sub.id, 'delivered')).find((d) => d.id === failed.id),
      30_000,
      'the retried delivery',
    );
    expect(delivered).toMatchObject({ attempts: attempts + 1, lastStatus: 200 });
    const got = receiver.of('/retry', [id]);
    expect(got).toHaveLength(1);
    expectOncePerEventInOrder(got);

    const again = await stack.api.post(`/v1/webhooks/${sub.id}/deliveries/${failed.id}/retry`);
    expect(again.status).toBe(409);
    expect(again.type).toMatch(/^application\/problem\+json/);
    expect(again.body).toMatchObject({ type: 'delivery-not-failed', state: 'delivered' });
    const missing = await stack.api.post(`/v1/webhooks/${sub.id}/deliveries/999999999/retry`);
    expect(missing.body.type).toBe('not-found');
    const audit = await stack.api.get(`/v1/audit?action=webhook-retry&recordId=${id}`);
    expect(audit.body.items).toEqual([
      expect.objectContaining({ actor: stack.actor, detail: { id: sub.id, deliveryId: failed.id, eventId: `${id}:1` } }),
    ]);
  });

  it('are changed, deleted and audited', async () => {
    const sub = await subscribe('/changing', { events: ['closed'] });
    const changed = expectShape(
      webhookSubscription,
      await stack.api.patch(`/v1/webhooks/${sub.id}`, { events: ['offered', 'closed'], url: receiver.url('/changed') }),
    );
    expect(changed).toMatchObject({ events: ['offered', 'closed'], url: receiver.url('/changed') });
    expect(Date.parse(changed.updatedAt)).toBeGreaterThanOrEqual(Date.parse(sub.updatedAt));

    const deleted = await stack.api.delete(`/v1/webhooks/${sub.id}`);
    expect(deleted.status).toBe(204);
    expect((await stack.api.get(`/v1/webhooks/${sub.id}`)).body.type).toBe('not-found');
    expect((await stack.api.delete(`/v1/webhooks/${sub.id}`)).status).toBe(404);
    expect((await stack.api.get(`/v1/webhooks/${sub.id}/deliveries`)).status).toBe(404);

    for (const action of ['webhook-create', 'webhook-change', 'webhook-delete']) {
      const entries = (await stack.api.get(`/v1/audit?action=${action}&limit=200`)).body.items as any[];
      const entry = entries.find((e) => e.detail.id === sub.id);
      expect(entry, action).toMatchObject({ actor: stack.actor, result: 'ok' });
      expect(JSON.stringify(entry)).not.toContain(receiver.secrets.get('/changing'));
    }
  });

  it('refuse bad input with a 400 problem, and every role but admin with a 403', async () => {
    const url = receiver.url('/never');
    const bad: [string, Record<string, unknown>][] = [
      ['url', { url: 'not a url', events: ['*'] }],
      ['url', { url: 'ftp://127.0.0.1/x', events: ['*'] }],
      ['events.0', { url, events: ['called'] }],
      ['events', { url, events: [] }],
      ['events', { url, events: ['*', 'closed'] }],
      ['secret', { url, events: ['*'], secret: 'too-short' }],
      ['secret', { url, events: ['*'], secret: `${'x'.repeat(32)} with spaces` }],
      ['', { url, events: ['*'], surprise: true }],
    ];
    for (const [path, body] of bad) {
      const reply = await stack.api.post('/v1/webhooks', body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.type).toMatch(/^application\/problem\+json/);
      expect(reply.body.type).toBe('validation-error');
      expect(
        reply.body.errors.map((e: any) => e.path),
        JSON.stringify(reply.body),
      ).toContain(path);
    }
    const sub = await subscribe('/never', { events: ['closed'] });
    expect((await stack.api.patch(`/v1/webhooks/${sub.id}`, { events: ['nope'] })).status).toBe(400);
    expect((await stack.api.patch(`/v1/webhooks/${sub.id}`, { active: 'no' })).status).toBe(400);
    expect((await stack.api.get(`/v1/webhooks/${sub.id}/deliveries?state=lost`)).status).toBe(400);
    expect((await stack.api.get(`/v1/webhooks/${sub.id}/deliveries?cursor=abc`)).status).toBe(400);
    expect((await stack.api.get('/v1/webhooks/not-an-id')).status).toBe(400);
    expect((await stack.api.get(`/v1/webhooks/${randomUUID()}`)).status).toBe(404);

    for (const role of ['agent', 'integration', 'ivr', 'web'] as const) {
      const client = stack.as(role, { 'x-actor': 'someone' });
      for (const reply of [
        await client.get('/v1/webhooks'),
        await client.post('/v1/webhooks', { url, events: ['*'] }),
        await client.get(`/v1/webhooks/${sub.id}/deliveries`),
        await client.delete(`/v1/webhooks/${sub.id}`),
      ]) {
        expect(reply.status, role).toBe(403);
        expect(reply.body.type).toBe('forbidden');
      }
    }
    expect((await stack.api.get(`/v1/webhooks/${sub.id}`)).status).toBe(200);
  });
});

describe('webhook targets inside the network', () => {
  it('are refused when subscribed or changed, in every spelling, unless WEBHOOK_ALLOWED_PRIVATE_HOSTS names them', async () => {
    const strict = await startStack({ withoutWorker: true, env: { WEBHOOK_ALLOWED_PRIVATE_HOSTS: '' } });
    try {
      const refused: [string, string][] = [
        [receiver.url('/inside'), 'loopback'],
        [receiver.url('/inside', 'localhost'), 'loopback'],
        ['http://2130706433/', 'loopback'],
        ['http://0x7f.1/', 'loopback'],
        ['http://127.1/', 'loopback'],
        ['http://0177.0.0.1/', 'loopback'],
        ['http://[::1]/', 'loopback'],
        ['http://[::ffff:127.0.0.1]/', 'loopback'],
        ['http://0.0.0.0:3000/', 'unspecified'],
        ['http://10.0.0.1/', 'private'],
        ['https://172.16.5.4/', 'private'],
        ['http://192.168.1.1/', 'private'],
        ['http://[fd00:ec2::254]/', 'private'],
        ['http://169.254.169.254/latest/meta-data/', 'link-local'],
        ['http://[fe80::1]/', 'link-local'],
        ['http://100.100.100.200/', 'carrier-grade-nat'],
        ['http://224.0.0.1/', 'multicast'],
        ['http://255.255.255.255/', 'broadcast'],
        ['http://metadata.google.internal/computeMetadata/v1/', 'metadata'],
        ['http://metadata/', 'metadata'],
        ['http://vm/', 'internal-name'],
      ];
      for (const [url, reason] of refused) {
        const reply = await strict.api.post('/v1/webhooks', { url, events: ['*'] });
        expect(reply.status, url).toBe(422);
        expect(reply.type).toMatch(/^application\/problem\+json/);
        expect(reply.body, url).toMatchObject({ type: 'webhook-target-not-allowed', field: 'url', reason });
      }
      expect((await strict.api.post('/v1/webhooks', { url: 'http://0x7f.1/', events: ['*'] })).body).toMatchObject({
        title: 'the url reaches inside the network: 127.0.0.1 is a loopback address',
        detail: expect.stringContaining('WEBHOOK_ALLOWED_PRIVATE_HOSTS'),
      });

      // Credentials in the URL are bad input anywhere, allowed host or not.
      for (const client of [strict.api, stack.api]) {
        const reply = await client.post('/v1/webhooks', { url: 'http://user:secret@hooks.example.invalid/', events: ['*'] });
        expect(reply.status).toBe(400);
        expect(reply.body.type).toBe('validation-error');
        expect(reply.body.errors).toEqual([{ path: 'url', message: expect.stringMatching(/credentials/) }]);
      }

      // A name that does not resolve yet is taken: each delivery checks it again.
      const unresolved = await strict.api.post('/v1/webhooks', { url: 'https://hooks.example.invalid/x', events: ['closed'] });
      expect(unresolved.status).toBe(201);
      expect((await strict.api.delete(`/v1/webhooks/${unresolved.body.id}`)).status).toBe(204);

      // The same check when the URL is changed; the stack allowing this machine still refuses the rest of the network.
      const sub = await subscribe('/kept', { events: ['closed'] });
      const toMetadata = await strict.api.patch(`/v1/webhooks/${sub.id}`, { url: 'http://169.254.169.254/', description: 'moved' });
      expect(toMetadata.status).toBe(422);
      expect(toMetadata.body).toMatchObject({ type: 'webhook-target-not-allowed', field: 'url', reason: 'link-local' });
      const toPrivate = await stack.api.patch(`/v1/webhooks/${sub.id}`, { url: 'http://10.0.0.1/' });
      expect(toPrivate.body).toMatchObject({ type: 'webhook-target-not-allowed', reason: 'private' });
      expect(expectShape(webhookSubscription, await stack.api.get(`/v1/webhooks/${sub.id}`))).toMatchObject({
        url: receiver.url('/kept'),
        description: null,
      });
      await subscribe('/allowed', { url: receiver.url('/allowed', 'localhost'), events: ['closed'] });
    } finally {
      await strict.stop();
    }
  });

  it(
    'are refused at delivery by a worker that does not allow them: each attempt logged with the reason, and retried',
    { timeout: 120_000 },
    async () => {
      // As if the host had been allowed when subscribed, and no longer is (or its name now resolves inside).
      const inside = localReceiver('127.0.0.2');
      await inside.up();
      const lenient = await startStack({
        withoutWorker: true,
        env: { WEBHOOK_ALLOWED_PRIVATE_HOSTS: '127.0.0.1,::1,localhost,127.0.0.2' },
      });
      try {
        const made = await lenient.api.post('/v1/webhooks', { url: inside.url('/inside'), events: ['requested'] });
        expect(made.status).toBe(201);
        subscriptions.push(made.body.id);
        await request(await newQueue(stack.api));
        const head = await eventually(
          async () => (await deliveriesOf(made.body.id, 'pending')).find((d) => d.attempts >= 2),
          60_000,
          'refused attempts',
        );
        const why = 'not sent: 127.0.0.2 is a loopback address, inside the network, and WEBHOOK_ALLOWED_PRIVATE_HOSTS does not allow it';
        expect(head).toMatchObject({ state: 'pending', lastStatus: null, lastError: why, deliveredAt: null });
        expect(head.nextAttemptAt).not.toBeNull();
        expect(head.recentAttempts).toHaveLength(head.attempts);
        for (const attempt of head.recentAttempts) expect(attempt).toMatchObject({ status: null, error: why });
        expect(inside.received).toEqual([]);
        expect((await stack.api.delete(`/v1/webhooks/${made.body.id}`)).status).toBe(204);
      } finally {
        await lenient.stop();
        await inside.down();
      }
    },
  );

  it('reach an allowed host by name at the address checked, and never follow a redirect', async () => {
    const byName = await subscribe('/by-name', { url: receiver.url('/by-name', 'localhost'), events: ['requested'] });
    receiver.redirect('/moved', receiver.url('/moved-here'));
    const moved = await subscribe('/moved', { events: ['requested'] });
    const id = await request(await newQueue(stack.api));

    const got = await eventually(
      async () => {
        const r = receiver.of('/by-name', [id]);
        return r.length > 0 ? r : undefined;
      },
      30_000,
      'the event sent by name',
    );
    expectOncePerEventInOrder(got);
    expect(got[0]!.headers.host).toBe(new URL(byName.url).host);

    const redirected = await eventually(
      async () => (await deliveriesOf(moved.id, 'pending')).find((d) => d.attempts >= 1),
      30_000,
      'the redirected attempt',
    );
    expect(redirected).toMatchObject({ lastStatus: 307, lastError: 'HTTP 307' });
    expect(receiver.received.filter((r) => r.path === '/moved-here')).toEqual([]);
    expect((await stack.api.delete(`/v1/webhooks/${moved.id}`)).status).toBe(204);
  });
});
