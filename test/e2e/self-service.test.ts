// The public web page's part, through the real stack: a web key requests a callback or books a
// slot and gets a signed token; with it, and only with it, the customer reads, moves and cancels
// their own callback. A web key can do nothing else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEEKDAYS } from '../../domain/queue-config.js';
import { addDays, localDateAt } from '../../domain/schedule.js';
import { newQueue, recordWhen, startStack, uniqueName, type Http, type Stack } from '../support/stack.js';

let stack: Stack;
let web: Http;
beforeAll(async () => {
  stack = await startStack();
  web = stack.as('web');
});
afterAll(async () => {
  await stack?.stop();
});

const HOUR = 3_600_000;
const inHours = (h: number) => new Date(Date.now() + h * HOUR).toISOString();
let phoneSeq = 0;
const nextPhone = () => `+4673${String(2_000_000 + phoneSeq++).padStart(7, '0')}`;
const token = (t: string) => ({ 'callback-token': t });

describe('a callback requested on the web', () => {
  it('comes with a token, and the web sees only the public view of it', async () => {
    const queue = await newQueue(stack.api);
    const created = await web.post('/v1/callbacks', {
      phone: nextPhone(),
      queue,
      channel: 'web',
      requestedAt: inHours(3),
      comment: 'about my invoice',
    });
    expect(created.status).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual(
      ['closeReason', 'createdAt', 'dueAt', 'duplicate', 'id', 'queue', 'requestedAt', 'selfServiceToken', 'status', 'validUntil'].sort(),
    );
    expect(created.body).toMatchObject({ status: 'Open', queue, duplicate: false });
    const mine = await web.get('/v1/self-service/callback', token(created.body.selfServiceToken));
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ id: created.body.id, status: 'Open', booking: null });
    // The web key reads no record by id, and no other route.
    expect((await web.get(`/v1/callbacks/${created.body.id}`)).body.type).toBe('forbidden');
    expect((await web.get('/v1/callbacks')).body.type).toBe('forbidden');
  });

  it('is moved and cancelled by the customer with the token', async () => {
    const queue = await newQueue(stack.api);
    const { body } = await web.post('/v1/callbacks', { phone: nextPhone(), queue, channel: 'web', requestedAt: inHours(3) });
    await recordWhen(stack.api, body.id, (r) => r.version >= 2);
    const later = inHours(5);
    const moved = await web.post('/v1/self-service/callback/move', { requestedAt: later }, token(body.selfServiceToken));
    expect(moved.status).toBe(200);
    expect(moved.body.requestedAt).toBe(later);
    const afterMove = await recordWhen(stack.api, body.id, (r) => r.requestedAt === later);
    expect(afterMove.history.find((e: any) => e.type === 'changed').actor).toMatch(/^customer:web-/);
    const past = await web.post('/v1/self-service/callback/move', { requestedAt: inHours(-1) }, token(body.selfServiceToken));
    expect(past.body).toMatchObject({ status: 400, type: 'validation-error' });
    const notASlot = await web.post('/v1/self-service/callback/move', { slotStart: later }, token(body.selfServiceToken));
    expect(notASlot.body).toMatchObject({ status: 400, errors: [{ path: 'requestedAt' }] });

    const cancelled = await web.post('/v1/self-service/callback/cancel', {}, token(body.selfServiceToken));
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'Closed', closeReason: 'cancelled' });
    const record = await recordWhen(stack.api, body.id, (r) => r.status === 'Closed');
    expect(record.history.at(-1)).toMatchObject({ type: 'closed', actor: expect.stringMatching(/^customer:web-/) });
    // The link stops working once the callback has closed: nothing is left to read, move or cancel.
    for (const gone of [
      await web.get('/v1/self-service/callback', token(body.selfServiceToken)),
      await web.post('/v1/self-service/callback/cancel', {}, token(body.selfServiceToken)),
      await web.post('/v1/self-service/callback/move', { requestedAt: inHours(6) }, token(body.selfServiceToken)),
    ]) {
      expect(gone.status).toBe(410);
      expect(gone.body.type).toBe('link-expired');
    }
  });

  it('stops working once the callback has closed after its call, though the token itself is still in date', async () => {
    const queue = await newQueue(stack.api);
    // A number the simulated dialler answers (not ending in 0001-0006).
    const phone = `${nextPhone().slice(0, -1)}9`;
    const { body } = await web.post('/v1/callbacks', { phone, queue, channel: 'web' });
    expect((await web.get('/v1/self-service/callback', token(body.selfServiceToken))).status).toBe(200);
    await recordWhen(stack.api, body.id, (r) => r.stage === 'offered');
    const agentId = uniqueName('agent');
    expect((await stack.api.post(`/v1/queues/${queue}/next`, { agentId })).status).toBe(200);
    await recordWhen(stack.api, body.id, (r) => r.stage === 'connected');
    expect((await stack.api.post(`/v1/callbacks/${body.id}/feedback`, { agentId, outcome: 'completed' })).status).toBe(200);
    await recordWhen(stack.api, body.id, (r) => r.status === 'Closed');
    const gone = await web.get('/v1/self-service/callback', token(body.selfServiceToken));
    expect(gone).toMatchObject({ status: 410, body: { type: 'link-expired' } });
    // Gone is cacheable by default: a browser must not answer the next token's request with it.
    expect(gone.headers.get('cache-control')).toBe('no-store');
  });

  it('refuses a missing, forged, altered or foreign-role token', async () => {
    const queue = await newQueue(stack.api);
    const { body } = await web.post('/v1/callbacks', { phone: nextPhone(), queue, channel: 'web' });
    const good: string = body.selfServiceToken;
    const [id, expires, signature] = good.split('.');
    const other = crypto.randomUUID();
    for (const bad of [
      '',
      'nonsense',
      `${other}.${expires}.${signature}`,
      `${id}.${Number(expires) + 1}.${signature}`,
      `${id}.${expires}.${'A'.repeat(43)}`,
    ]) {
      const reply = await web.get('/v1/self-service/callback', bad ? token(bad) : {});
      expect(reply.status, bad).toBe(401);
      expect(reply.body.type).toBe('invalid-callback-token');
    }
    expect((await stack.as('agent').get('/v1/self-service/callback', token(good))).body.type).toBe('forbidden');
  });

  it('may not choose what the centre decides', async () => {
    const queue = await newQueue(stack.api);
    const asIvr = await web.post('/v1/callbacks', { phone: nextPhone(), queue, channel: 'ivr' });
    expect(asIvr.body).toMatchObject({ status: 403, type: 'forbidden', errors: [{ path: 'channel' }] });
    const urgent = await web.post('/v1/callbacks', { phone: nextPhone(), queue, channel: 'web', priority: 9, waitingListOf: 'anna' });
    expect(urgent.body.errors.map((e: any) => e.path)).toEqual(['priority', 'waitingListOf']);
    const found = (await stack.api.get(`/v1/callbacks?queue=${queue}`)).body.items;
    expect(found).toEqual([]);
  });

  it('gives away nothing of a callback the number has already', async () => {
    const queue = await newQueue(stack.api, { area: { duplicatePolicy: 'avoid' } });
    const phone = nextPhone();
    const first = await web.post('/v1/callbacks', { phone, queue, channel: 'web' });
    expect(first.status).toBe(201);
    const again = await web.post('/v1/callbacks', { phone, queue, channel: 'web' });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ duplicate: true });
  });
});

describe('an appointment booked on the web', () => {
  const ZONE = 'Europe/Stockholm';
  const hourly = Object.fromEntries(WEEKDAYS.map((d) => [d, { periods: [{ from: '08:00', to: '18:00' }], minutesPerAppointment: 60 }]));

  it('moves to another slot and is cancelled with its token, freeing its places', async () => {
    const queue = await newQueue(stack.api);
    const id = uniqueName('sched');
    expect(
      (
        await stack.api.post('/v1/schedules', {
          id,
          name: 'Web',
          queue,
          timeZone: ZONE,
          week: hourly,
          capacity: 1,
          minimumNoticeMinutes: 0,
        })
      ).status,
    ).toBe(201);
    const date = addDays(localDateAt(new Date(), ZONE), 2);
    const slots = (await web.get(`/v1/schedules/${id}/availability?from=${date}`)).body.slots;
    const [first, second] = slots;
    const free = async (start: string) =>
      (await web.get(`/v1/schedules/${id}/availability?from=${date}`)).body.slots.find((s: any) => s.start === start).free;

    const booked = await web.post(`/v1/schedules/${id}/bookings`, { slotStart: first.start, channel: 'web', phone: nextPhone() });
    expect(booked.status).toBe(201);
    expect(booked.body).toMatchObject({
      status: 'Open',
      booking: { scheduleId: id, slotStart: first.start },
      selfServiceToken: expect.any(String),
    });
    expect(booked.body.phone).toBeUndefined();
    const t = token(booked.body.selfServiceToken);
    await recordWhen(stack.api, booked.body.id, (r) => r.version >= 2);
    expect(await free(first.start)).toBe(0);

    expect((await web.post('/v1/self-service/callback/move', { requestedAt: second.start }, t)).body.errors[0].path).toBe('slotStart');
    const moved = await web.post('/v1/self-service/callback/move', { slotStart: second.start }, t);
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.booking.slotStart).toBe(second.start);
    expect([await free(first.start), await free(second.start)]).toEqual([1, 0]);
    // The web cannot use the booking desk's routes.
    expect((await web.delete(`/v1/schedules/${id}/bookings/${booked.body.id}`)).body.type).toBe('forbidden');

    const cancelled = await web.post('/v1/self-service/callback/cancel', {}, t);
    expect(cancelled.body).toMatchObject({ status: 'Closed', closeReason: 'cancelled' });
    expect(await free(second.start)).toBe(1);
  });
});
