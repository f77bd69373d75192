// Areas and queues, active-record limits, duplicate policies and idempotent creation, through
// the real stack and under concurrency.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newQueue, OPEN_ALL_WEEK, recordWhen, startStack, uniqueName, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const later = () => new Date(Date.now() + 3_600_000).toISOString();
const phone = (i: number) => `+4670${String(1_000_000 + i).padStart(7, '0')}`;
let phoneSeq = Math.floor(Math.random() * 800_000);
const freshPhone = () => phone(phoneSeq++);

async function activeIn(queue: string): Promise<number> {
  const [row] = await stack.sql<{ n: number }[]>`
    select count(*)::int as n from callbacks where queue = ${queue} and status in ('Open', 'Paused', 'Active')`;
  return row!.n;
}

describe('configuration', () => {
  it('ships with one area and one queue, so that the first request works at once', async () => {
    expect((await stack.api.get('/v1/org-areas/default')).status).toBe(200);
    const support = await stack.api.get('/v1/queues/support');
    expect(support.body).toMatchObject({ orgArea: 'default', timeZone: 'Europe/Stockholm', acceptsCallbacks: true });
  });

  it('creates, reads and changes areas and queues', async () => {
    const areaId = uniqueName('area');
    const area = await stack.api.post('/v1/org-areas', { id: areaId, name: 'Billing', maxActiveRecords: 100 });
    expect(area.status).toBe(201);
    expect(area.body).toMatchObject({ duplicatePolicy: 'avoid', maxActiveRecords: 100 });
    expect((await stack.api.post('/v1/org-areas', { id: areaId, name: 'again' })).status).toBe(409);

    const name = uniqueName('q');
    const created = await stack.api.post('/v1/queues', {
      name,
      orgArea: areaId,
      timeZone: 'America/New_York',
      openingHours: {
        monday: [
          { from: '09:00', to: '12:00' },
          { from: '13:00', to: '17:00' },
        ],
      },
      maxActiveRecords: 20,
      offerTimeoutSeconds: 60,
      gateSize: 3,
    });
    expect(created.status).toBe(201);
    const changed = await stack.api.patch(`/v1/queues/${name}`, { acceptsCallbacks: false, maxActiveRecords: null });
    expect(changed.body).toMatchObject({ acceptsCallbacks: false, maxActiveRecords: null, gateSize: 3, timeZone: 'America/New_York' });
    expect((await stack.api.get(`/v1/queues/${name}`)).body).toEqual(changed.body);
    const listed = await stack.api.get('/v1/queues');
    expect(listed.body.items.map((q: any) => q.name)).toContain(name);
  });

  it.each([
    ['an unknown time zone', { timeZone: 'Mars/Olympus' }, 400],
    [
      'overlapping opening hours',
      {
        openingHours: {
          monday: [
            { from: '08:00', to: '12:00' },
            { from: '11:00', to: '13:00' },
          ],
        },
      },
      400,
    ],
    ['a period that ends before it starts', { openingHours: { friday: [{ from: '17:00', to: '08:00' }] } }, 400],
    ['an unknown weekday', { openingHours: { caturday: [] } }, 400],
    ['a gate of size 0', { gateSize: 0 }, 400],
    ['an unknown area', { orgArea: 'no-such-area' }, 422],
  ] as const)('refuses a queue with %s and creates nothing', async (_, change, status) => {
    const name = uniqueName('q');
    const reply = await stack.api.post('/v1/queues', {
      name,
      timeZone: 'Europe/Stockholm',
      openingHours: { monday: [{ from: '08:00', to: '17:00' }] },
      ...change,
    });
    expect(reply.status).toBe(status);
    expect(reply.type).toBe('application/problem+json');
    expect((await stack.api.get(`/v1/queues/${name}`)).status).toBe(404);
  });

  it('refuses a request for an unknown queue, or one that takes no callbacks now', async () => {
    const unknown = await stack.api.post('/v1/callbacks', { phone: freshPhone(), queue: uniqueName('nope'), channel: 'ivr' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.type).toBe('unknown-queue');

    const queue = await newQueue(stack.api, { queue: { acceptsCallbacks: false } });
    const closed = await stack.api.post('/v1/callbacks', { phone: freshPhone(), queue, channel: 'web' });
    expect(closed.status).toBe(409);
    expect(closed.body).toMatchObject({ type: 'queue-not-accepting-callbacks', queue });
    expect(await activeIn(queue)).toBe(0);
  });
});

describe('active-record limits', () => {
  it('makes exactly 50 records of 200 parallel requests against a queue limit of 50', async () => {
    const queue = await newQueue(stack.api, { queue: { maxActiveRecords: 50 } });
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        stack.api.post('/v1/callbacks', { phone: phone(i), queue, channel: 'web', requestedAt: later() }),
      ),
    );
    const created = replies.filter((r) => r.status === 201);
    const refused = replies.filter((r) => r.status === 409);
    expect(created).toHaveLength(50);
    expect(refused).toHaveLength(150);
    expect(refused[0]!.body).toMatchObject({ type: 'limit-reached', scope: 'queue', queue, limit: 50 });
    expect(await activeIn(queue)).toBe(50);
  });

  it('counts every queue of an organisation area against the area limit', async () => {
    const queue = await newQueue(stack.api, { area: { maxActiveRecords: 10 } });
    const { body: q } = await stack.api.get(`/v1/queues/${queue}`);
    const sibling = uniqueName('q');
    await stack.api.post('/v1/queues', { name: sibling, orgArea: q.orgArea, timeZone: 'UTC', openingHours: OPEN_ALL_WEEK });
    const replies = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        stack.api.post('/v1/callbacks', { phone: phone(500 + i), queue: i % 2 ? queue : sibling, channel: 'ivr', requestedAt: later() }),
      ),
    );
    expect(replies.filter((r) => r.status === 201)).toHaveLength(10);
    expect(replies.find((r) => r.status === 409)!.body).toMatchObject({ type: 'limit-reached', scope: 'org-area', limit: 10 });
    expect((await activeIn(queue)) + (await activeIn(sibling))).toBe(10);
  });

  it('stops counting a record once it is closed', async () => {
    const queue = await newQueue(stack.api, { queue: { maxActiveRecords: 1 } });
    const first = await stack.api.post('/v1/callbacks', { phone: '+46700000004', queue, channel: 'ivr' });
    expect(first.status).toBe(201);
    expect((await stack.api.post('/v1/callbacks', { phone: freshPhone(), queue, channel: 'ivr' })).status).toBe(409);
    await recordWhen(stack.api, first.body.id, (r) => r.stage === 'offered');
    await stack.api.post(`/v1/callbacks/${first.body.id}/accept`, { agentId: 'anna' });
    await recordWhen(stack.api, first.body.id, (r) => r.status === 'Closed'); // invalid number
    expect((await stack.api.post('/v1/callbacks', { phone: freshPhone(), queue, channel: 'ivr' })).status).toBe(201);
  });
});

describe('duplicates', () => {
  it('answers 20 parallel requests for one number with one record, and notes each repeat in its history', async () => {
    const queue = await newQueue(stack.api, { area: { duplicatePolicy: 'avoid' } });
    const number = freshPhone();
    const replies = await Promise.all(
      Array.from({ length: 20 }, () => stack.api.post('/v1/callbacks', { phone: number, queue, channel: 'web', requestedAt: later() })),
    );
    expect(replies.filter((r) => r.status === 201)).toHaveLength(1);
    const dups = replies.filter((r) => r.status === 200);
    expect(dups).toHaveLength(19);
    const id = replies.find((r) => r.status === 201)!.body.id;
    expect(new Set(dups.map((r) => r.body.id))).toEqual(new Set([id]));
    expect(dups.every((r) => r.body.duplicate === true)).toBe(true);
    const record = await recordWhen(stack.api, id, (r) => r.history.filter((e: any) => e.type === 'duplicate-requested').length === 19);
    expect(record.history.find((e: any) => e.type === 'duplicate-requested').actor).toBe('web:web');
    expect(await activeIn(queue)).toBe(1);
  });

  it('avoids duplicates across the queues of an area, but not across areas', async () => {
    const queue = await newQueue(stack.api, { area: { duplicatePolicy: 'avoid' } });
    const { body: q } = await stack.api.get(`/v1/queues/${queue}`);
    const sibling = uniqueName('q');
    await stack.api.post('/v1/queues', { name: sibling, orgArea: q.orgArea, timeZone: 'UTC', openingHours: OPEN_ALL_WEEK });
    const other = await newQueue(stack.api, { area: { duplicatePolicy: 'avoid' } });
    const number = freshPhone();
    const first = await stack.api.post('/v1/callbacks', { phone: number, queue, channel: 'ivr', requestedAt: later() });
    const again = await stack.api.post('/v1/callbacks', { phone: number, queue: sibling, channel: 'web', requestedAt: later() });
    expect(again).toMatchObject({ status: 200, body: { id: first.body.id, duplicate: true } });
    expect((await stack.api.post('/v1/callbacks', { phone: number, queue: other, channel: 'web' })).status).toBe(201);
  });

  it('avoids duplicates within one task type when the area says so', async () => {
    const queue = await newQueue(stack.api, { area: { duplicatePolicy: 'avoid-same-task-type' } });
    const number = freshPhone();
    const invoice = await stack.api.post('/v1/callbacks', {
      phone: number,
      queue,
      channel: 'ivr',
      taskType: 'invoice',
      requestedAt: later(),
    });
    const again = await stack.api.post('/v1/callbacks', {
      phone: number,
      queue,
      channel: 'ivr',
      taskType: 'invoice',
      requestedAt: later(),
    });
    const delivery = await stack.api.post('/v1/callbacks', {
      phone: number,
      queue,
      channel: 'ivr',
      taskType: 'delivery',
      requestedAt: later(),
    });
    expect(invoice.status).toBe(201);
    expect(again.body).toMatchObject({ id: invoice.body.id, duplicate: true });
    expect(delivery.status).toBe(201);
  });

  it('allows duplicates when the area allows them', async () => {
    const queue = await newQueue(stack.api, { area: { duplicatePolicy: 'allow' } });
    const number = freshPhone();
    const a = await stack.api.post('/v1/callbacks', { phone: number, queue, channel: 'ivr', requestedAt: later() });
    const b = await stack.api.post('/v1/callbacks', { phone: number, queue, channel: 'ivr', requestedAt: later() });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.id).not.toBe(b.body.id);
  });
});

describe('Idempotency-Key', () => {
  it('returns the first answer to every retry, even ten at once', async () => {
    const queue = await newQueue(stack.api);
    const key = randomUUID();
    const body = { phone: freshPhone(), queue, channel: 'api', requestedAt: later() };
    const replies = await Promise.all(Array.from({ length: 10 }, () => stack.api.post('/v1/callbacks', body, { 'idempotency-key': key })));
    expect(replies.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
    expect(await activeIn(queue)).toBe(1);
  });

  /** The answer's bytes as sent, which the test client would parse. */
  async function sendRaw(path: string, body: unknown, key: string, role: 'admin' | 'web' = 'admin') {
    const res = await fetch(stack.apiUrl + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.keys[role]}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
    });
    return { status: res.status, location: res.headers.get('location'), type: res.headers.get('content-type'), bytes: await res.text() };
  }

  it.each(['admin', 'web'] as const)('replays the exact bytes of the first answer, with its status and Location (%s key)', async (role) => {
    const queue = await newQueue(stack.api);
    const body = { phone: freshPhone(), queue, channel: 'web', requestedAt: later(), contactData: { zeta: '1', alpha: '2' } };
    const key = randomUUID();
    const first = await sendRaw('/v1/callbacks', body, key, role);
    expect(first.status).toBe(201);
    const again = await sendRaw('/v1/callbacks', body, key, role);
    expect(again).toEqual(first);
    if (role === 'admin') expect(first.location).toBe(`/v1/callbacks/${JSON.parse(first.bytes).id}`);
    expect(await activeIn(queue)).toBe(1);
  });

  it('replays the exact bytes of a booking, and of a refused duplicate booking', async () => {
    const queue = await newQueue(stack.api, { area: { duplicatePolicy: 'avoid' } });
    const scheduleId = uniqueName('sched');
    const week = Object.fromEntries(
      ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map((d) => [
        d,
        { periods: [{ from: '00:00', to: '24:00' }], minutesPerAppointment: 60 },
      ]),
    );
    const made = await stack.api.post('/v1/schedules', {
      id: scheduleId,
      name: 'Replays',
      queue,
      timeZone: 'UTC',
      week,
      capacity: 5,
      minimumNoticeMinutes: 0,
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const { body: next } = await stack.api.get(`/v1/schedules/${scheduleId}/next-free-slot`);
    const booking = { slotStart: next.slot.start, channel: 'web', phone: freshPhone(), contactData: { zeta: '1', alpha: '2' } };
    const path = `/v1/schedules/${scheduleId}/bookings`;

    const key = randomUUID();
    const first = await sendRaw(path, booking, key);
    expect(first.status, first.bytes).toBe(201);
    expect(first.location).toBe(`${path}/${JSON.parse(first.bytes).record.id}`);
    expect(await sendRaw(path, booking, key)).toEqual(first);

    // Deleting the record erases the answer naming it: the same key then makes a new booking.
    const { id: bookedId } = JSON.parse(first.bytes).record;
    expect((await stack.api.delete(`/v1/callbacks/${bookedId}`)).status).toBe(204);
    const afterErasure = await sendRaw(path, booking, key);
    expect(afterErasure.status).toBe(201);
    expect(JSON.parse(afterErasure.bytes).record.id).not.toBe(bookedId);

    const otherKey = randomUUID();
    const refused = await sendRaw(path, booking, otherKey);
    expect(refused.status).toBe(409);
    expect(JSON.parse(refused.bytes)).toMatchObject({ type: 'duplicate', existing: JSON.parse(afterErasure.bytes).record.id });
    expect(await sendRaw(path, booking, otherKey)).toEqual(refused);
  });

  it('refuses a key used before for a different request', async () => {
    const queue = await newQueue(stack.api);
    const key = randomUUID();
    await stack.api.post('/v1/callbacks', { phone: freshPhone(), queue, channel: 'api' }, { 'idempotency-key': key });
    const reused = await stack.api.post('/v1/callbacks', { phone: freshPhone(), queue, channel: 'api' }, { 'idempotency-key': key });
    expect(reused.status).toBe(422);
    expect(reused.body.type).toBe('idempotency-key-reused');
    expect(await activeIn(queue)).toBe(1);
  });

  it('forgets a key after 24 hours: the same key then makes a new request', async () => {
    const queue = await newQueue(stack.api);
    const key = randomUUID();
    const body = { phone: freshPhone(), queue, channel: 'api' };
    const first = await stack.api.post('/v1/callbacks', body, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect((await stack.api.post('/v1/callbacks', body, { 'idempotency-key': key })).body.id).toBe(first.body.id);

    // The answer the API kept, aged past its lifetime: the API's own row, so that its format cannot drift from the test's.
    const aged = await stack.sql`
      update idempotency_keys set created_at = now() - interval '25 hours'
      where key like ${`%:${key}`} and record_id = ${first.body.id}`;
    expect(aged.count).toBe(1);

    const fresh = await stack.api.post('/v1/callbacks', body, { 'idempotency-key': key });
    expect(fresh.status).toBe(201);
    expect(fresh.body.id).not.toBe(first.body.id);
    expect(await activeIn(queue)).toBe(2);
    const again = await stack.api.post('/v1/callbacks', { ...body, phone: freshPhone() }, { 'idempotency-key': key });
    expect(again.body.type).toBe('idempotency-key-reused');
  });
});
