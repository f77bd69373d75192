// Appointment schedules as stored, and the places booked records and their moves hold in a slot.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { insertOrgArea, insertQueue } from '../../db/configuration.js';
import { findRecord, saveRecord } from '../../db/records.js';
import {
  abandonMove,
  attachBooking,
  deleteException,
  findBooking,
  findRecordWithBooking,
  findSchedule,
  finishMove,
  holdMove,
  insertSchedule,
  listSchedules,
  moveInProgress,
  openInQueue,
  putException,
  takenAt,
  takenPlaces,
  updateSchedule,
  type Schedule,
} from '../../db/schedules.js';
import { initialRecord, requestedEvent } from '../../domain/record-lifecycle.js';
import type { Slot } from '../../domain/schedule.js';
import { callbackRequest } from '../support/fixtures.js';
import { testSql, uniqueName } from '../support/stack.js';

const sql = testSql();
const orgArea = uniqueName('area');
const queue = uniqueName('q');

beforeAll(async () => {
  await insertOrgArea(sql, { id: orgArea, name: orgArea, maxActiveRecords: null, duplicatePolicy: 'allow' });
  await insertQueue(sql, {
    name: queue,
    orgArea,
    timeZone: 'Europe/Stockholm',
    openingHours: { monday: [{ from: '08:00', to: '17:00' }] },
    maxActiveRecords: null,
    offerTimeoutSeconds: null,
    gateSize: null,
    acceptsCallbacks: true,
    wrapUpTimeoutSeconds: 1800,
  });
});
afterAll(() => sql.end());

const schedule = (overrides: Partial<Schedule> = {}): Schedule => ({
  id: uniqueName('s'),
  name: 'Advice line',
  orgArea,
  queue,
  taskType: null,
  timeZone: 'Europe/Stockholm',
  active: true,
  week: { monday: { periods: [{ from: '09:00', to: '12:00' }], minutesPerAppointment: 30 } },
  capacity: 2,
  horizonDays: 30,
  minimumNoticeMinutes: 60,
  identification: 'customer-id',
  priority: 3,
  exceptions: [],
  ...overrides,
});

async function stored(s: Schedule): Promise<Schedule> {
  expect(await sql.begin((tx) => insertSchedule(tx, s))).toBe(true);
  return s;
}

/** A 30-minute slot starting `hours` after a fixed instant; the queries read only its instants. */
const slot = (hours: number): Slot => {
  const start = new Date(Date.UTC(2031, 0, 6, 8) + hours * 3_600_000).toISOString();
  const end = new Date(Date.parse(start) + 1_800_000).toISOString();
  return { start, end, localStart: start, localEnd: end, date: start.slice(0, 10), minutes: 30 };
};

/** A record in the queue, saved as its workflow saves it, booked in `slot` unless null. */
async function booked(scheduleId: string | null, at: Slot | null, overrides: Parameters<typeof callbackRequest>[0] = {}) {
  const req = callbackRequest({ queue, orgArea, requestedAt: at?.start ?? null, ...overrides });
  const record = { ...initialRecord(req), version: 1 };
  await saveRecord(sql, record, [requestedEvent(req)]);
  if (scheduleId && at) await attachBooking(sql, req.id, scheduleId, at);
  return (await findRecord(sql, req.id))!;
}

it('reads a schedule back as written, with its exception dates in order', async () => {
  const s = await stored(
    schedule({
      exceptions: [
        { date: '2031-12-25', closed: true, note: 'Christmas' },
        { date: '2031-06-05', periods: [{ from: '10:00', to: '11:00' }], minutesPerAppointment: 15 },
      ],
    }),
  );
  const back = await findSchedule(sql, s.id);
  expect(back).toEqual({ ...s, exceptions: [s.exceptions[1], s.exceptions[0]] });
  expect((await listSchedules(sql)).find((x) => x.id === s.id)).toEqual(back);
  expect(await sql.begin((tx) => insertSchedule(tx, { ...s, name: 'Another' }))).toBe(false);
  expect(await findSchedule(sql, uniqueName('missing'))).toBeNull();
});

it('an update writes every setting and replaces the exceptions; single exceptions are put and deleted by date', async () => {
  const s = await stored(schedule({ exceptions: [{ date: '2031-12-25', closed: true }] }));
  const changed: Schedule = {
    ...s,
    name: 'Advice line (winter)',
    taskType: 'advice',
    timeZone: 'Europe/Helsinki',
    active: false,
    week: { tuesday: { periods: [{ from: '13:00', to: '15:00' }], minutesPerAppointment: 20 } },
    capacity: 5,
    horizonDays: 14,
    minimumNoticeMinutes: 0,
    identification: 'none',
    priority: 1,
    exceptions: [{ date: '2031-12-31', closed: true, note: 'New year' }],
  };
  await sql.begin((tx) => updateSchedule(tx, changed));
  expect(await findSchedule(sql, s.id)).toEqual(changed);

  await putException(sql, s.id, { date: '2031-12-31', periods: [{ from: '09:00', to: '10:00' }], minutesPerAppointment: 30 });
  await putException(sql, s.id, { date: '2032-01-01', closed: true });
  expect((await findSchedule(sql, s.id))!.exceptions).toEqual([
    { date: '2031-12-31', periods: [{ from: '09:00', to: '10:00' }], minutesPerAppointment: 30 },
    { date: '2032-01-01', closed: true },
  ]);
  expect(await deleteException(sql, s.id, '2032-01-01')).toBe(true);
  expect(await deleteException(sql, s.id, '2032-01-01')).toBe(false);
});

it('counts the places taken in a slot: booked records not closed, and moves on their way there', async () => {
  const s = await stored(schedule());
  const [nine, half] = [slot(0), slot(0.5)];
  await booked(s.id, nine);
  await booked(s.id, nine);
  const closed = await booked(s.id, nine);
  await saveRecord(
    sql,
    { ...closed, status: 'Closed', stage: 'closed', closeReason: 'cancelled', closedAt: new Date().toISOString(), version: 2 },
    [],
  );
  const moving = await booked(s.id, half);
  await booked(null, null);

  expect(await takenAt(sql, s.id, nine)).toBe(2);
  await holdMove(sql, moving.id, nine);
  // Both places are held while the move is on its way.
  expect(await takenAt(sql, s.id, nine)).toBe(3);
  expect(await takenAt(sql, s.id, half)).toBe(1);
  expect(await takenPlaces(sql, s.id, nine.start, slot(1).start)).toEqual(
    new Map([
      [Date.parse(nine.start), 3],
      [Date.parse(half.start), 1],
    ]),
  );
  // A move whose API process died holds its new place no longer than MOVE_HOLD_SECONDS.
  await sql`update callbacks set slot_moving_since = now() - interval '2 minutes' where id = ${moving.id}`;
  expect(await takenAt(sql, s.id, nine)).toBe(2);
});

it('a finished move takes the new place and frees the old one; an abandoned one keeps the old place', async () => {
  const s = await stored(schedule());
  const [from, to] = [slot(1), slot(2)];
  const record = await booked(s.id, from);

  await holdMove(sql, record.id, to);
  const during = await findBooking(sql, s.id, record.id);
  expect(during!.booking).toMatchObject({ scheduleId: s.id, slotStart: from.start, slotEnd: from.end, movingTo: to.start });
  expect(moveInProgress(during!.booking, new Date())).toBe(true);
  await finishMove(sql, record.id, to);
  expect((await findBooking(sql, s.id, record.id))!.booking).toEqual({
    scheduleId: s.id,
    slotStart: to.start,
    slotEnd: to.end,
    movingTo: null,
    movingSince: null,
  });
  expect([await takenAt(sql, s.id, from), await takenAt(sql, s.id, to)]).toEqual([0, 1]);

  await holdMove(sql, record.id, from);
  await abandonMove(sql, record.id, from);
  expect((await findBooking(sql, s.id, record.id))!.booking).toMatchObject({ slotStart: to.start, movingTo: null, movingSince: null });
  expect([await takenAt(sql, s.id, from), await takenAt(sql, s.id, to)]).toEqual([0, 1]);
});

it('reads a booked record as the record it is, with its booking beside it', async () => {
  const s = await stored(schedule());
  const at = slot(3);
  const record = await booked(s.id, at, { contactData: { account_no: '7', caseRef: 'A-1' } });
  const plain = await booked(null, null);

  const found = await findBooking(sql, s.id, record.id, { lock: true });
  expect(found).toEqual({
    record,
    booking: { scheduleId: s.id, slotStart: at.start, slotEnd: at.end, movingTo: null, movingSince: null },
  });
  // Keys inside json are the customer's own, as written.
  expect(found!.record.contactData).toEqual({ account_no: '7', caseRef: 'A-1' });
  expect(await findBooking(sql, uniqueName('other'), record.id)).toBeNull();
  expect(await findRecordWithBooking(sql, record.id)).toEqual(found);
  expect(await findRecordWithBooking(sql, plain.id)).toEqual({ record: plain, booking: null });

  const open = await openInQueue(sql, queue, { limit: 1000 });
  expect(open.find((o) => o.record.id === record.id)).toEqual(found);
  expect(open.find((o) => o.record.id === plain.id)).toEqual({ record: plain, booking: null });
  const first = open[0]!.record;
  const rest = await openInQueue(sql, queue, { limit: 1000, after: { dueAt: first.dueAt, id: first.id } });
  expect(rest.map((o) => o.record.id)).toEqual(open.slice(1).map((o) => o.record.id));
});
