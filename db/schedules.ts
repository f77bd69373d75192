// Queries on appointment schedules, their exception dates, and the places booked records hold.
import type postgres from 'postgres';
import { z } from 'zod';
import { count } from '../domain/record-schema.js';
import type { CallbackRecord } from '../domain/record.js';
import { exceptionList, IDENTIFICATIONS, weekPattern, type ScheduleException } from '../domain/schedule-config.js';
import type { Slot } from '../domain/schedule.js';
import type { Sql } from './connect.js';
import { RECORD_COLUMNS } from './records.js';

type Tx = Sql | postgres.TransactionSql;

export const scheduleSchema = z
  .strictObject({
    id: z.string().describe("The schedule's id."),
    name: z.string().describe('A name for people.'),
    orgArea: z.string().describe("The organisation area (the queue's)."),
    queue: z.string().describe('The queue whose agents call the booked customers.'),
    taskType: z.string().nullable().describe('The task type of booked records, or null.'),
    timeZone: z.string().describe('The IANA zone of the pattern and the exception dates.'),
    active: z.boolean().describe('Whether it offers and takes bookings.'),
    week: weekPattern.describe('Per weekday: bookable periods and minutes per appointment.'),
    capacity: count().describe('Bookings one slot takes.'),
    horizonDays: count().describe('Days ahead a slot may be booked.'),
    minimumNoticeMinutes: count().describe('Minutes before its start a slot may still be booked.'),
    identification: z.enum(IDENTIFICATIONS).describe('What a booking must carry.'),
    priority: z.int().min(1).max(9).describe('The priority of booked records.'),
    exceptions: exceptionList.describe('Exception dates: closed, or other hours.'),
  })
  .describe('An appointment schedule.');
export type Schedule = z.infer<typeof scheduleSchema>;

/** Where a booked record stands in its schedule. */
export interface Booking {
  scheduleId: string;
  slotStart: string;
  slotEnd: string;
  /** A move in progress: the new slot's place is held until the workflow has the new time. */
  movingTo: string | null;
  movingSince: string | null;
}

/** A move whose API process died before it finished stops holding the new place after this. */
export const MOVE_HOLD_SECONDS = 60;

const SCHEDULE_COLUMNS = [
  'id',
  'name',
  'orgArea',
  'queue',
  'taskType',
  'timeZone',
  'active',
  'week',
  'capacity',
  'horizonDays',
  'minimumNoticeMinutes',
  'identification',
  'priority',
] as const satisfies readonly (keyof Schedule)[];

async function withExceptions(sql: Tx, rows: Omit<Schedule, 'exceptions'>[]): Promise<Schedule[]> {
  if (rows.length === 0) return [];
  const exceptions = await sql<
    { scheduleId: string; date: string; periods: []; minutesPerAppointment: number | null; note: string | null }[]
  >`
    select schedule_id, date::text as date, periods, minutes_per_appointment, note
    from schedule_exceptions where schedule_id in ${sql(rows.map((r) => r.id))} order by date`;
  return rows.map((r) => ({
    ...r,
    exceptions: exceptions
      .filter((e) => e.scheduleId === r.id)
      .map(({ date, periods, minutesPerAppointment, note }) => ({
        date,
        ...(periods.length === 0 ? { closed: true as const } : { periods, minutesPerAppointment: minutesPerAppointment! }),
        ...(note === null ? {} : { note }),
      })),
  }));
}

export async function listSchedules(sql: Tx): Promise<Schedule[]> {
  return withExceptions(sql, await sql<Omit<Schedule, 'exceptions'>[]>`select ${sql(SCHEDULE_COLUMNS)} from schedules order by id`);
}

/** With `lock`, holds the schedule's row until the transaction ends: bookings and moves of its slots queue up behind it. */
export async function findSchedule(sql: Tx, id: string, { lock = false } = {}): Promise<Schedule | null> {
  const rows = await sql<Omit<Schedule, 'exceptions'>[]>`
    select ${sql(SCHEDULE_COLUMNS)} from schedules where id = ${id} ${lock ? sql`for update` : sql``}`;
  const [schedule] = await withExceptions(sql, rows);
  return schedule ?? null;
}

const writable = (sql: Tx, s: Schedule) => ({ ...s, week: sql.json(s.week as postgres.JSONValue) });

export async function putException(sql: Tx, scheduleId: string, e: ScheduleException): Promise<void> {
  const open = 'closed' in e ? null : e;
  const row = {
    scheduleId,
    date: e.date,
    periods: sql.json((open?.periods ?? []) as postgres.JSONValue),
    minutesPerAppointment: open?.minutesPerAppointment ?? null,
    note: e.note ?? null,
  };
  await sql`
    insert into schedule_exceptions ${sql(row)}
    on conflict (schedule_id, date) do update
      set periods = excluded.periods, minutes_per_appointment = excluded.minutes_per_appointment, note = excluded.note`;
}

/** Returns whether the date had an exception. */
export async function deleteException(sql: Tx, scheduleId: string, date: string): Promise<boolean> {
  const gone = await sql`delete from schedule_exceptions where schedule_id = ${scheduleId} and date = ${date}`;
  return gone.count === 1;
}

/** Inserts the schedule and its exceptions, in the caller's transaction (with its audit entry); false when the id is taken. */
export async function insertSchedule(tx: postgres.TransactionSql, s: Schedule): Promise<boolean> {
  const rows = await tx`insert into schedules ${tx(writable(tx, s), SCHEDULE_COLUMNS)} on conflict (id) do nothing returning id`;
  if (rows.length === 0) return false;
  for (const e of s.exceptions) await putException(tx, s.id, e);
  return true;
}

/** Writes the schedule's settings and replaces its exceptions with `s.exceptions`. */
export async function updateSchedule(tx: postgres.TransactionSql, s: Schedule): Promise<void> {
  const changing = SCHEDULE_COLUMNS.filter((c) => c !== 'id');
  await tx`update schedules set ${tx(writable(tx, s), changing)}, updated_at = now() where id = ${s.id}`;
  await tx`delete from schedule_exceptions where schedule_id = ${s.id}`;
  for (const e of s.exceptions) await putException(tx, s.id, e);
}

/**
 * Places taken in the schedule's slots starting in [from, to), by slot start (ms): records booked
 * there that are not closed, and moves on their way there.
 */
export async function takenPlaces(sql: Tx, scheduleId: string, from: string, to: string): Promise<Map<number, number>> {
  const rows = await sql<{ slot: string; n: number }[]>`
    select slot, count(*)::int as n from (
      select slot_start as slot from callbacks
      where schedule_id = ${scheduleId} and status <> 'Closed' and slot_start >= ${from} and slot_start < ${to}
      union all
      select slot_moving_to from callbacks
      where schedule_id = ${scheduleId} and status <> 'Closed' and slot_moving_to >= ${from} and slot_moving_to < ${to}
        and slot_moving_since > now() - make_interval(secs => ${MOVE_HOLD_SECONDS})
    ) places group by slot`;
  return new Map(rows.map((r) => [Date.parse(r.slot), r.n]));
}

export async function takenAt(sql: Tx, scheduleId: string, slot: Slot): Promise<number> {
  const places = await takenPlaces(sql, scheduleId, slot.start, slot.end);
  return places.get(Date.parse(slot.start)) ?? 0;
}

/** Makes a just-inserted record the booking of `slot` (in the admission's transaction). */
export async function attachBooking(tx: Tx, recordId: string, scheduleId: string, slot: Slot): Promise<void> {
  await tx`
    update callbacks set schedule_id = ${scheduleId}, slot_start = ${slot.start}, slot_end = ${slot.end}
    where id = ${recordId}`;
}

// A booked record's row: the record's columns and its booking's (all null when it is no appointment).
const withBooking = (sql: Tx) => sql`
  ${sql(RECORD_COLUMNS)}, schedule_id, slot_start, slot_end, slot_moving_to as moving_to, slot_moving_since as moving_since`;

type BookingRow = CallbackRecord & { [K in keyof Booking]: Booking[K] | null };

function split({ scheduleId, slotStart, slotEnd, movingTo, movingSince, ...record }: BookingRow) {
  const booking = scheduleId === null ? null : { scheduleId, slotStart: slotStart!, slotEnd: slotEnd!, movingTo, movingSince };
  return { record, booking };
}

/** The record booked in this schedule, with its booking; with `lock`, its row is held until the transaction ends. */
export async function findBooking(
  sql: Tx,
  scheduleId: string,
  recordId: string,
  { lock = false } = {},
): Promise<{ record: CallbackRecord; booking: Booking } | null> {
  const [row] = await sql<BookingRow[]>`
    select ${withBooking(sql)} from callbacks
    where id = ${recordId} and schedule_id = ${scheduleId} ${lock ? sql`for update` : sql``}`;
  if (!row) return null;
  const { record, booking } = split(row);
  return { record, booking: booking! };
}

/** Holds the new slot's place for a move, on top of the old one. */
export async function holdMove(tx: Tx, recordId: string, slot: Slot): Promise<void> {
  await tx`update callbacks set slot_moving_to = ${slot.start}, slot_moving_since = now() where id = ${recordId}`;
}

/** The workflow has the new time: the record's place is the new slot's, and the old one is free. */
export async function finishMove(sql: Tx, recordId: string, slot: Slot): Promise<void> {
  await sql`
    update callbacks set slot_start = ${slot.start}, slot_end = ${slot.end}, slot_moving_to = null, slot_moving_since = null
    where id = ${recordId} and slot_moving_to = ${slot.start}`;
}

/** The workflow refused the new time: the record keeps its old place only. */
export async function abandonMove(sql: Tx, recordId: string, slot: Slot): Promise<void> {
  await sql`
    update callbacks set slot_moving_to = null, slot_moving_since = null
    where id = ${recordId} and slot_moving_to = ${slot.start}`;
}

export const moveInProgress = (b: Booking, now: Date): boolean =>
  b.movingSince !== null && now.getTime() - Date.parse(b.movingSince) < MOVE_HOLD_SECONDS * 1000;

/** A queue's records that are not closed, by calling time, with their booking's slot end when booked. */
export async function openInQueue(
  sql: Tx,
  queue: string,
  { limit, after }: { limit: number; after?: { dueAt: string; id: string } },
): Promise<{ record: CallbackRecord; booking: Booking | null }[]> {
  const rows = await sql<BookingRow[]>`
    select ${withBooking(sql)} from callbacks
    where queue = ${queue} and status <> 'Closed'
      ${after ? sql`and (due_at, id) > (${after.dueAt}, ${after.id})` : sql``}
    order by due_at, id limit ${limit}`;
  return rows.map(split);
}

/** A record with the booking it holds (null when it is no appointment), in one read. */
export async function findRecordWithBooking(
  sql: Tx,
  recordId: string,
): Promise<{ record: CallbackRecord; booking: Booking | null } | null> {
  const [row] = await sql<BookingRow[]>`select ${withBooking(sql)} from callbacks where id = ${recordId}`;
  return row ? split(row) : null;
}
