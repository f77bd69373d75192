// Queries on queues' holiday calendars (domain/holidays.ts).
import type postgres from 'postgres';
import type { Sql } from './connect.js';
import type { Holiday } from '../domain/holidays.js';

type Tx = Sql | postgres.TransactionSql;

interface HolidayRow {
  date: string;
  closed: boolean;
  periods: { from: string; to: string }[];
  name: string | null;
}

const asHoliday = (r: HolidayRow): Holiday => ({
  date: r.date,
  ...(r.closed ? { closed: true as const } : { periods: r.periods }),
  ...(r.name === null ? {} : { name: r.name }),
});

/** The queue's holidays by date, from and to local dates (inclusive) when given. */
export async function listHolidays(sql: Tx, queue: string, range: { from?: string; to?: string } = {}): Promise<Holiday[]> {
  const rows = await sql<HolidayRow[]>`
    select to_char(date, 'YYYY-MM-DD') as date, closed, periods, name from queue_holidays
    where queue = ${queue}
      ${range.from === undefined ? sql`` : sql`and date >= ${range.from}`}
      ${range.to === undefined ? sql`` : sql`and date <= ${range.to}`}
    order by date`;
  return rows.map(asHoliday);
}

export async function putHoliday(sql: Tx, queue: string, h: Holiday): Promise<void> {
  const row = {
    queue,
    date: h.date,
    closed: 'closed' in h,
    periods: sql.json(('periods' in h ? h.periods : []) as postgres.JSONValue),
    name: h.name ?? null,
  };
  await sql`
    insert into queue_holidays ${sql(row)}
    on conflict (queue, date) do update
      set closed = excluded.closed, periods = excluded.periods, name = excluded.name, updated_at = now()`;
}

/** Returns whether the date was a holiday. */
export async function deleteHoliday(sql: Tx, queue: string, date: string): Promise<boolean> {
  const gone = await sql`delete from queue_holidays where queue = ${queue} and date = ${date}`;
  return gone.count === 1;
}
