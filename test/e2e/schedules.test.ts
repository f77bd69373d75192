// Appointment schedules through the API, the worker, the Temporal dev server and PostgreSQL:
// configuration and its validation, availability with free places, the next free slot, bookings
// with identification, exact capacity under 100 parallel bookings, cancel, move, a closed record
// freeing its place, and the agents' list of a queue.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEEKDAYS } from '../../domain/queue-config.js';
import { addDays, localDateAt } from '../../domain/schedule.js';
import { newQueue, recordWhen, startStack, uniqueName, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const ZONE = 'America/New_York';
const hourly = Object.fromEntries(WEEKDAYS.map((d) => [d, { periods: [{ from: '00:00', to: '24:00' }], minutesPerAppointment: 60 }]));
/** A local date in the schedule's zone, days from today there: far enough for any notice the tests set. */
const day = (days: number) => addDays(localDateAt(new Date(), ZONE), days);

async function newSchedule(body: Record<string, unknown> = {}, queueSetup: Parameters<typeof newQueue>[1] = {}) {
  const queue = await newQueue(stack.api, queueSetup);
  const id = uniqueName('sched');
  const created = await stack.api.post('/v1/schedules', {
    id,
    name: 'Invoice appointments',
    queue,
    taskType: 'invoice',
    timeZone: ZONE,
    week: hourly,
    capacity: 2,
    minimumNoticeMinutes: 0,
    ...body,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { id, queue, schedule: created.body };
}

async function slotsOn(id: string, date: string, days = 1) {
  const reply = await stack.api.get(`/v1/schedules/${id}/availability?from=${date}&days=${days}`);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body.slots as any[];
}

let phoneSeq = 0;
const nextPhone = () => `+4670${String(1_000_000 + phoneSeq++).padStart(7, '0')}`;

const book = (id: string, slotStart: string, extra: Record<string, unknown> = {}) =>
  stack.api.post(`/v1/schedules/${id}/bookings`, { slotStart, channel: 'web', phone: nextPhone(), ...extra });

async function booked(id: string, slotStart: string, extra: Record<string, unknown> = {}) {
  const reply = await book(id, slotStart, extra);
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body;
}

const freeAt = async (id: string, slotStart: string) =>
  (await slotsOn(id, localDateAt(new Date(slotStart), ZONE))).find((s) => s.start === slotStart)?.free;

describe('schedules', () => {
  it("are created with the queue's area, read, listed and changed; exceptions are put and deleted", async () => {
    const { id, queue, schedule } = await newSchedule({
      timeZone: undefined,
      exceptions: [{ date: '2030-12-24', closed: true, note: 'Christmas Eve' }],
    });
    const area = (await stack.api.get(`/v1/queues/${queue}`)).body.orgArea;
    expect(schedule).toMatchObject({
      id,
      orgArea: area,
      queue,
      taskType: 'invoice',
      timeZone: 'Europe/Stockholm', // the queue's, when none is given
      active: true,
      capacity: 2,
      horizonDays: 30,
      minimumNoticeMinutes: 0,
      identification: 'none',
      priority: 5,
      exceptions: [{ date: '2030-12-24', closed: true, note: 'Christmas Eve' }],
    });
    expect((await stack.api.get(`/v1/schedules/${id}`)).body).toEqual(schedule);
    expect((await stack.api.get('/v1/schedules')).body.items).toContainEqual(schedule);

    const changed = await stack.api.patch(`/v1/schedules/${id}`, { capacity: 7, active: false, identification: 'customer-id' });
    expect(changed.status).toBe(200);
    expect((await stack.api.get(`/v1/schedules/${id}`)).body).toMatchObject({ capacity: 7, active: false, identification: 'customer-id' });

    const other = { periods: [{ from: '10:00', to: '12:00' }], minutesPerAppointment: 30, note: 'short day' };
    expect((await stack.api.put(`/v1/schedules/${id}/exceptions/2030-12-23`, other)).status).toBe(200);
    expect((await stack.api.delete(`/v1/schedules/${id}/exceptions/2030-12-24`)).status).toBe(204);
    expect((await stack.api.delete(`/v1/schedules/${id}/exceptions/2030-12-24`)).status).toBe(404);
    expect((await stack.api.get(`/v1/schedules/${id}`)).body.exceptions).toEqual([{ date: '2030-12-23', ...other }]);

    const audit = (await stack.api.get(`/v1/audit?actor=tester&action=schedule-change&limit=200`)).body.items;
    expect(audit.some((e: any) => e.detail.schedule === id)).toBe(true);
  });

  it('refuses what is not a schedule, and makes nothing of it', async () => {
    const queue = await newQueue(stack.api);
    const id = uniqueName('bad');
    const valid = { id, name: 'x', queue, week: hourly, capacity: 1 };
    const refusals: [Record<string, unknown>, number, string][] = [
      [{ ...valid, capacity: 0 }, 400, 'validation-error'],
      [{ ...valid, timeZone: 'Mars/Olympus' }, 400, 'validation-error'],
      [
        {
          ...valid,
          week: {
            monday: {
              periods: [
                { from: '09:00', to: '11:00' },
                { from: '10:00', to: '12:00' },
              ],
              minutesPerAppointment: 30,
            },
          },
        },
        400,
        'validation-error',
      ],
      [{ ...valid, week: { monday: { periods: [{ from: '09:00', to: '11:00' }], minutesPerAppointment: 2 } } }, 400, 'validation-error'],
      [{ ...valid, week: { someday: { periods: [], minutesPerAppointment: 30 } } }, 400, 'validation-error'],
      [{ ...valid, exceptions: [{ date: '2030-02-30', closed: true }] }, 400, 'validation-error'],
      [
        {
          ...valid,
          exceptions: [
            { date: '2030-02-03', closed: true },
            { date: '2030-02-03', closed: true },
          ],
        },
        400,
        'validation-error',
      ],
      [{ ...valid, identification: 'fingerprint' }, 400, 'validation-error'],
      [{ ...valid, id: 'no spaces' }, 400, 'validation-error'],
      [{ ...valid, extra: 1 }, 400, 'validation-error'],
      [{ ...valid, queue: 'no-such-queue' }, 422, 'unknown-queue'],
      [{ ...valid, orgArea: 'default' }, 422, 'queue-not-in-org-area'],
      [{ ...valid, orgArea: 'no-such-area' }, 422, 'unknown-org-area'],
    ];
    for (const [body, status, type] of refusals) {
      const reply = await stack.api.post('/v1/schedules', body);
      expect([reply.status, reply.body.type], JSON.stringify(body)).toEqual([status, type]);
    }
    expect((await stack.as('agent').post('/v1/schedules', valid)).body.type).toBe('forbidden');
    expect((await stack.api.get(`/v1/schedules/${id}`)).status).toBe(404);

    expect((await stack.api.post('/v1/schedules', valid)).status).toBe(201);
    expect((await stack.api.post('/v1/schedules', valid)).body.type).toBe('already-exists');
    expect((await stack.api.patch(`/v1/schedules/${id}`, {})).status).toBe(400);
    expect((await stack.api.patch(`/v1/schedules/${id}`, { queue: 'support', orgArea: queue })).status).toBe(422);
    expect((await stack.api.put(`/v1/schedules/${id}/exceptions/2030-13-01`, { closed: true })).status).toBe(400);
    expect((await stack.api.put(`/v1/schedules/${id}/exceptions/2030-12-01`, { closed: false })).status).toBe(400);
    expect((await stack.api.get(`/v1/schedules/${id}`)).body).toMatchObject({ capacity: 1, exceptions: [] });
    expect((await stack.api.patch('/v1/schedules/no-such-schedule', { capacity: 2 })).status).toBe(404);
  });
});

describe('availability', () => {
  it('lists the bookable slots with start in UTC and local time, length, capacity and free places', async () => {
    const { id } = await newSchedule({
      week: {
        ...hourly,
        [WEEKDAYS[(new Date(`${day(4)}T12:00:00Z`).getUTCDay() + 6) % 7]!]: {
          periods: [{ from: '09:00', to: '10:30' }],
          minutesPerAppointment: 45,
        },
      },
      exceptions: [{ date: day(5), closed: true }],
    });
    const slots = await slotsOn(id, day(4), 2);
    expect(slots).toHaveLength(2); // 09:00 and 09:45 of 45 minutes; the holiday after has none
    const [first] = slots;
    expect(first.localStart).toMatch(new RegExp(`^${day(4)}T09:00:00-0[45]:00$`));
    expect(Date.parse(first.start)).toBe(Date.parse(first.localStart));
    expect(first).toMatchObject({ date: day(4), minutes: 45, capacity: 2, free: 2 });
    expect(Date.parse(first.end) - Date.parse(first.start)).toBe(45 * 60_000);

    await booked(id, first.start);
    expect(await freeAt(id, first.start)).toBe(1);
    await booked(id, first.start);
    expect(await freeAt(id, first.start)).toBe(0);
    expect(await slotsOn(id, day(5))).toEqual([]);
  });

  it('keeps to the minimum notice and the horizon, and a stopped schedule has nothing to book', async () => {
    const { id } = await newSchedule({ minimumNoticeMinutes: 180, horizonDays: 2 });
    const slots = await slotsOn(id, day(0), 10);
    expect(Date.parse(slots[0].start)).toBeGreaterThanOrEqual(Date.now() + 170 * 60_000);
    expect(slots.at(-1).date).toBe(day(2));
    expect((await book(id, slots.at(-1).start)).status).toBe(201);

    await stack.api.patch(`/v1/schedules/${id}`, { active: false });
    expect((await stack.api.get(`/v1/schedules/${id}/availability`)).body).toMatchObject({ active: false, slots: [] });
    expect((await stack.api.get(`/v1/schedules/${id}/availability?days=100`)).status).toBe(400);
    expect((await stack.api.get(`/v1/schedules/${id}/availability?from=tomorrow`)).status).toBe(400);
    expect((await stack.api.get('/v1/schedules/no-such-schedule/availability')).status).toBe(404);
  });

  it('gives the IVR the next free slot, and the next one after the one the caller declined', async () => {
    const { id } = await newSchedule({ capacity: 1, minimumNoticeMinutes: 24 * 60 });
    const next = async (after?: string) =>
      (await stack.api.get(`/v1/schedules/${id}/next-free-slot${after ? `?after=${encodeURIComponent(after)}` : ''}`)).body.slot;
    const first = await next();
    expect(Date.parse(first.start)).toBeGreaterThanOrEqual(Date.now() + 24 * 3_600_000 - 60_000);
    expect(first).toMatchObject({ capacity: 1, free: 1, minutes: 60 });
    const second = await next(first.start);
    expect(Date.parse(second.start)).toBe(Date.parse(first.end));

    await booked(id, first.start);
    expect((await next()).start).toBe(second.start); // the first is full now
    expect((await next(second.start)).start).toBe(new Date(Date.parse(second.start) + 3_600_000).toISOString());

    await stack.api.patch(`/v1/schedules/${id}`, { active: false });
    expect((await stack.api.get(`/v1/schedules/${id}/next-free-slot`)).body).toMatchObject({ active: false, slot: null });
    expect((await stack.api.get(`/v1/schedules/${id}/next-free-slot?after=soon`)).status).toBe(400);
  });
});

describe('bookings', () => {
  it("make a callback record at the slot's start in the schedule's queue, with the identification it requires", async () => {
    const { id, queue } = await newSchedule({ identification: 'customer-id-and-phone', priority: 3 });
    const [slot] = await slotsOn(id, day(3));

    const none = await stack.api.post(`/v1/schedules/${id}/bookings`, { slotStart: slot.start, channel: 'ivr', ani: '+46701110000' });
    expect(none.status, JSON.stringify(none.body)).toBe(422);
    expect(none.body).toMatchObject({
      type: 'identification-required',
      identification: 'customer-id-and-phone',
      missing: ['customerId', 'phone'],
    });
    const aniOnly = await book(id, slot.start, { phone: undefined, ani: '+46701110000', customerId: '19800101-1234' });
    expect(aniOnly.body).toMatchObject({ type: 'identification-required', missing: ['phone'] });

    const reply = await book(id, slot.start, { phone: '070-111 00 01', customerId: '19800101-1234', channel: 'ivr', language: 'sv' });
    expect(reply.status).toBe(201);
    expect(reply.headers.get('location')).toBe(`/v1/schedules/${id}/bookings/${reply.body.record.id}`);
    const { record, booking } = reply.body;
    expect(record).toMatchObject({
      phone: '+46701110001',
      queue,
      taskType: 'invoice',
      channel: 'ivr',
      customerId: '19800101-1234',
      priority: 3,
      requestedAt: slot.start,
      dueAt: slot.start,
      validUntil: new Date(Date.parse(slot.end) + 3_600_000).toISOString(),
      status: 'Open',
    });
    expect(booking).toEqual({
      scheduleId: id,
      timeZone: ZONE,
      slotStart: slot.start,
      slotEnd: slot.end,
      localStart: slot.localStart,
      localEnd: slot.localEnd,
      minutes: 60,
    });
    const read = (await stack.api.get(`/v1/schedules/${id}/bookings/${record.id}`)).body;
    expect([read.record.id, read.booking]).toEqual([record.id, booking]);
    // Its workflow sleeps until the appointment.
    const running = await recordWhen(stack.api, record.id, (r) => r.version >= 2);
    expect(running).toMatchObject({ stage: 'waiting', dueAt: slot.start });
  });

  it('refuses a time that is no slot, too soon, beyond the horizon, or in a stopped schedule, and makes nothing then', async () => {
    const { id, queue } = await newSchedule({ minimumNoticeMinutes: 24 * 60, horizonDays: 5 });
    const [slot] = await slotsOn(id, day(3));
    const refusals: [string, number, string][] = [
      [new Date(Date.parse(slot.start) + 10 * 60_000).toISOString(), 422, 'no-such-slot'],
      [new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 3_600_000).toISOString(), 422, 'too-short-notice'],
      [new Date(Date.now() - 3_600_000 * 5).toISOString().slice(0, 13) + ':00:00Z', 422, 'too-short-notice'],
      [new Date(Date.parse(slot.start) + 10 * 86_400_000).toISOString(), 422, 'beyond-booking-horizon'],
    ];
    for (const [start, status, type] of refusals) {
      const reply = await book(id, start);
      expect([reply.status, reply.body.type], start).toEqual([status, type]);
    }
    for (const body of [
      { slotStart: slot.start, channel: 'web' },
      { slotStart: 'tomorrow', channel: 'web', phone: '+46701234567' },
      { slotStart: slot.start, channel: 'fax', phone: '+46701234567' },
      { slotStart: slot.start, channel: 'web', phone: '12' },
    ]) {
      expect((await stack.api.post(`/v1/schedules/${id}/bookings`, body)).status).toBe(400);
    }
    expect((await book('no-such-schedule', slot.start)).status).toBe(404);
    await stack.api.patch(`/v1/schedules/${id}`, { active: false });
    expect((await book(id, slot.start)).body).toMatchObject({ status: 409, type: 'schedule-stopped' });
    expect((await stack.api.get(`/v1/queues/${queue}/callbacks`)).body.items).toEqual([]);
  });

  it("follow the area's duplicate policy: a customer with an active callback gets 409 duplicate", async () => {
    const { id } = await newSchedule({}, { area: { duplicatePolicy: 'avoid' } });
    const [a, b] = await slotsOn(id, day(3));
    const first = await booked(id, a.start, { phone: '+46701239999' });
    const again = await book(id, b.start, { phone: '+46701239999' });
    expect(again.body).toMatchObject({ status: 409, type: 'duplicate', existing: first.record.id });
    expect(await freeAt(id, b.start)).toBe(2);
  });

  it('100 parallel bookings of a slot with capacity 5 make exactly 5', async () => {
    const { id, queue } = await newSchedule({ capacity: 5 });
    const [slot] = await slotsOn(id, day(3));
    const replies = await Promise.all(Array.from({ length: 100 }, () => book(id, slot.start)));
    const created = replies.filter((r) => r.status === 201);
    const full = replies.filter((r) => r.status === 409 && r.body.type === 'slot-full');
    expect(created).toHaveLength(5);
    expect(full).toHaveLength(95);
    expect(full[0]!.body).toMatchObject({ capacity: 5, slotStart: slot.start });
    expect(await freeAt(id, slot.start)).toBe(0);
    const listed = (await stack.api.get(`/v1/queues/${queue}/callbacks`)).body.items;
    expect(listed.map((r: any) => r.id).sort()).toEqual(created.map((r) => r.body.record.id).sort());
  });

  it('cancelled, frees its place', async () => {
    const { id } = await newSchedule({ capacity: 1 });
    const [slot] = await slotsOn(id, day(3));
    const { record } = await booked(id, slot.start);
    expect((await book(id, slot.start)).body.type).toBe('slot-full');

    // The IVR cancels for the customer.
    const cancelled = await stack.as('ivr').delete(`/v1/schedules/${id}/bookings/${record.id}`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.record).toMatchObject({ status: 'Closed', closeReason: 'cancelled' });
    const history = (await stack.api.get(`/v1/callbacks/${record.id}`)).body.history;
    expect(history.at(-1)).toMatchObject({ type: 'closed', actor: `customer:${stack.actor.replace(/^admin-(\w+)\/tester$/, 'ivr-$1')}` });
    expect(await freeAt(id, slot.start)).toBe(1);
    await booked(id, slot.start);

    expect((await stack.api.delete(`/v1/schedules/${id}/bookings/${record.id}`)).body.type).toBe('record-closed');
    expect((await stack.api.delete(`/v1/schedules/${id}/bookings/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
  });

  it('cancelled by an administrator, names the administrator in the history, not the customer', async () => {
    const { id } = await newSchedule();
    const [slot] = await slotsOn(id, day(3));
    const { record } = await booked(id, slot.start);
    const cancelled = await stack.api.delete(`/v1/schedules/${id}/bookings/${record.id}`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.record).toMatchObject({ status: 'Closed', closeReason: 'cancelled' });
    const history = (await stack.api.get(`/v1/callbacks/${record.id}`)).body.history;
    // The close, by the administrator (once, on the embedded database, a `scheduled` event came
    // after it: see the closing note of 2026-12-01; the close and its actor are what this test is about).
    expect(history.filter((e: any) => e.type === 'closed')).toEqual([expect.objectContaining({ actor: `admin:${stack.actor}` })]);
  });

  it('moved, frees the old place and takes the new one, never beyond the capacity', async () => {
    const { id } = await newSchedule({ capacity: 1 });
    const [a, b, c] = await slotsOn(id, day(3));
    const mine = (await booked(id, a.start)).record;
    await booked(id, b.start);

    const toFull = await stack.api.patch(`/v1/schedules/${id}/bookings/${mine.id}`, { slotStart: b.start });
    expect(toFull.body).toMatchObject({ status: 409, type: 'slot-full' });
    const offPattern = await stack.api.patch(`/v1/schedules/${id}/bookings/${mine.id}`, {
      slotStart: new Date(Date.parse(c.start) + 60_000).toISOString(),
    });
    expect(offPattern.body.type).toBe('no-such-slot');

    const moved = await stack.api.patch(`/v1/schedules/${id}/bookings/${mine.id}`, { slotStart: c.start });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.record).toMatchObject({
      requestedAt: c.start,
      dueAt: c.start,
      validUntil: new Date(Date.parse(c.end) + 3_600_000).toISOString(),
    });
    expect(moved.body.booking).toMatchObject({ slotStart: c.start, localStart: c.localStart });
    expect((await stack.api.get(`/v1/callbacks/${mine.id}`)).body.history.at(-1)).toMatchObject({
      type: 'changed',
      detail: { after: { requestedAt: c.start } },
    });
    const [freeA, freeC] = [await freeAt(id, a.start), await freeAt(id, c.start)];
    expect([freeA, freeC]).toEqual([1, 0]);
    await booked(id, a.start);
    expect((await book(id, c.start)).body.type).toBe('slot-full');
    expect((await stack.api.get(`/v1/schedules/${id}/bookings/${mine.id}`)).body.booking.slotStart).toBe(c.start);
  });

  it('moved by many at once into one free place: exactly one gets it, and the others keep theirs', async () => {
    const { id } = await newSchedule({ capacity: 1 });
    const slots = await slotsOn(id, day(3));
    const target = slots[10];
    const records = await Promise.all(slots.slice(0, 6).map(async (s) => (await booked(id, s.start)).record));
    const replies = await Promise.all(
      records.map((r) => stack.api.patch(`/v1/schedules/${id}/bookings/${r.id}`, { slotStart: target.start })),
    );
    expect(replies.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    expect(replies.filter((r) => r.status === 409).every((r) => r.body.type === 'slot-full')).toBe(true);
    const winner = replies.findIndex((r) => r.status === 200);
    const after = await slotsOn(id, day(3));
    expect(
      after
        .filter((s) => s.free === 0)
        .map((s) => s.start)
        .sort(),
    ).toEqual([...slots.slice(0, 6).filter((_, i) => i !== winner), target].map((s) => s.start).sort());
  });

  it('retried with the same Idempotency-Key, answer the first booking again', async () => {
    const { id } = await newSchedule({ capacity: 1 });
    const [slot] = await slotsOn(id, day(3));
    const body = { slotStart: slot.start, channel: 'web', phone: nextPhone() };
    const key = { 'idempotency-key': uniqueName('key') };
    const [first, second] = await Promise.all([
      stack.api.post(`/v1/schedules/${id}/bookings`, body, key),
      stack.api.post(`/v1/schedules/${id}/bookings`, body, key),
    ]);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body).toEqual(first.body);
    expect(await freeAt(id, slot.start)).toBe(0);
  });

  it('closed by an administrator, frees its place; a booking is no booking of another schedule', async () => {
    const { id } = await newSchedule({ capacity: 1 });
    const other = await newSchedule();
    const [slot] = await slotsOn(id, day(3));
    const { record } = await booked(id, slot.start);
    await recordWhen(stack.api, record.id, (r) => r.version >= 2);
    expect((await stack.api.get(`/v1/schedules/${other.id}/bookings/${record.id}`)).status).toBe(404);

    expect((await stack.api.post(`/v1/callbacks/${record.id}/close`, { comment: 'customer called in' })).status).toBe(200);
    expect(await freeAt(id, slot.start)).toBe(1);
    await booked(id, slot.start);
    expect((await stack.api.patch(`/v1/schedules/${id}/bookings/${record.id}`, { slotStart: slot.start })).body.type).toBe('record-closed');
  });
});

describe("the agents' list of a queue", () => {
  it('shows open records by calling time, appointments before they are due, each upcoming, due or overdue', async () => {
    const { id, queue } = await newSchedule();
    const [slot, later] = await slotsOn(id, day(3));
    const upcoming = (await booked(id, later.start)).record;
    const late = (await booked(id, slot.start)).record;
    await recordWhen(stack.api, late.id, (r) => r.version >= 2);
    // Time cannot be skipped on the shared server: this appointment's slot is put in the past in the table.
    await stack.sql`
      update callbacks set slot_start = now() - interval '2 hours', slot_end = now() - interval '1 hour' where id = ${late.id}`;
    const asap = await stack.api.post('/v1/callbacks', { phone: '+46701234000', queue, channel: 'web' });
    expect(asap.status).toBe(201);
    const closed = await stack.api.post('/v1/callbacks', { phone: '+46701234001', queue, channel: 'web', requestedAt: later.start });
    await recordWhen(stack.api, closed.body.id, (r) => r.version >= 2);
    await stack.api.post(`/v1/callbacks/${closed.body.id}/close`, {});

    const reply = await stack.as('agent').get(`/v1/queues/${queue}/callbacks`);
    expect(reply.status).toBe(200);
    const view = reply.body.items.map((r: any) => [r.id, r.timing, r.booking?.scheduleId ?? null]);
    expect(view).toEqual([
      [asap.body.id, 'due', null],
      [late.id, 'overdue', id],
      [upcoming.id, 'upcoming', id],
    ]);
    expect(reply.body.items[2]).toMatchObject({
      phone: upcoming.phone,
      dueAt: later.start,
      booking: { slotStart: later.start, slotEnd: later.end },
    });

    const page = await stack.api.get(`/v1/queues/${queue}/callbacks?limit=2`);
    expect(page.body.items).toHaveLength(2);
    const rest = await stack.api.get(`/v1/queues/${queue}/callbacks?limit=2&cursor=${page.body.nextCursor}`);
    expect(rest.body.items.map((r: any) => r.id)).toEqual([upcoming.id]);
    expect((await stack.api.get(`/v1/queues/${queue}/callbacks?cursor=nope`)).status).toBe(400);
    expect((await stack.api.get('/v1/queues/no-such-queue/callbacks')).status).toBe(404);
  });
});
