// Statistics as administrators read them, from the daily rollups (db/migrations/018): each day's
// measures made into figures, every day of the period present, the period's totals and rates,
// and the same as CSV lines.
import { DateTime } from 'luxon';
import { CHANNELS, CLOSE_REASONS } from './record.js';
import type { Figures, StatsReport } from './stats-schema.js';

/** The longest period a report covers: a year, leap day included. */
export const MAX_PERIOD_DAYS = 366;

/** A day's measure as the rollups hold it: `requested:ivr`, `closed:completed`, `connected` ... */
export interface MeasureRow {
  queue: string;
  day: string;
  measure: string;
  value: number;
}

/** The connect times' percentiles of a queue's day, or of its whole period (`day` null). */
export interface ConnectRow {
  queue: string;
  day: string | null;
  p50: number | null;
  p90: number | null;
}

/** Days from `from` to `to`, both included (YYYY-MM-DD); 0 when `to` is before `from`. */
export function periodDays(from: string, to: string): number {
  const days = DateTime.fromISO(to, { zone: 'UTC' }).diff(DateTime.fromISO(from, { zone: 'UTC' }), 'days').days;
  return Math.max(0, Math.round(days) + 1);
}

/** Every date from `from` to `to`, both included. */
export function datesOf(from: string, to: string): string[] {
  const start = DateTime.fromISO(from, { zone: 'UTC' });
  return Array.from({ length: periodDays(from, to) }, (_, i) => start.plus({ days: i }).toISODate()!);
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));

const REQUESTED = CHANNELS.map((c) => [c, `requested:${c}`] as const);
const CLOSED = CLOSE_REASONS.map((r) => [r, `closed:${r}`] as const);
const percentile = (x: number | null | undefined) => (x === null || x === undefined ? null : round(x, 1));

/** The figures of a sum of measures; `connect` gives the percentiles, which do not add up. */
export function figuresOf(measures: ReadonlyMap<string, number>, connect: Pick<ConnectRow, 'p50' | 'p90'> | undefined): Figures {
  const m = (name: string) => measures.get(name) ?? 0;
  // Plain loops: a year of twenty queues is thousands of these per report.
  const requested = { total: 0 } as Figures['requested'];
  for (const [channel, measure] of REQUESTED) {
    requested[channel] = m(measure);
    requested.total += requested[channel];
  }
  const byReason = {} as Figures['closed']['byReason'];
  let closed = 0;
  for (const [reason, measure] of CLOSED) {
    byReason[reason] = m(measure);
    closed += byReason[reason];
  }
  const completed = byReason.completed;
  return {
    requested,
    completed,
    closed: { total: closed, byReason },
    successRate: closed === 0 ? null : round(completed / closed, 4),
    attemptsPerCompleted: completed === 0 ? null : round(m('completed-attempts') / completed, 2),
    connected: m('connected'),
    connectSeconds: { p50: percentile(connect?.p50), p90: percentile(connect?.p90) },
    offers: { refused: m('offer-refused'), timedOut: m('offer-timeout') },
    appointments: { booked: m('appointment-booked'), kept: m('appointment-kept'), missed: m('appointment-missed') },
  };
}

/**
 * The report of `queues` (in this order) over the period: a day with nothing counted is all
 * zeros, so that every queue has every day and a chart has no gaps.
 */
export function buildReport(
  period: { from: string; to: string },
  queues: readonly { queue: string; timeZone: string }[],
  measures: readonly MeasureRow[],
  connects: readonly ConnectRow[],
): StatsReport {
  const dates = datesOf(period.from, period.to);
  const perDay = new Map<string, Map<string, number>>();
  const total = new Map<string, Map<string, number>>();
  const add = (sums: Map<string, Map<string, number>>, key: string, row: MeasureRow) => {
    const sum = sums.get(key) ?? new Map<string, number>();
    sum.set(row.measure, (sum.get(row.measure) ?? 0) + row.value);
    sums.set(key, sum);
  };
  for (const row of measures) {
    add(perDay, `${row.queue} ${row.day}`, row);
    add(total, row.queue, row);
  }
  const connectOf = new Map(connects.map((c) => [c.day === null ? c.queue : `${c.queue} ${c.day}`, c]));
  return {
    ...period,
    queues: queues.map(({ queue, timeZone }) => ({
      queue,
      timeZone,
      days: dates.map((day) => ({
        day,
        ...figuresOf(perDay.get(`${queue} ${day}`) ?? new Map(), connectOf.get(`${queue} ${day}`)),
      })),
      total: figuresOf(total.get(queue) ?? new Map(), connectOf.get(queue)),
    })),
  };
}

/** The CSV's columns: one line per queue and day, and one per queue for the period (day `total`). */
export const CSV_COLUMNS = [
  'queue',
  'time_zone',
  'day',
  'requested',
  ...CHANNELS.map((c) => `requested_${c}`),
  'completed',
  'closed',
  ...CLOSE_REASONS.map((r) => `closed_${r.replaceAll('-', '_')}`),
  'success_rate',
  'attempts_per_completed',
  'connected',
  'connect_p50_seconds',
  'connect_p90_seconds',
  'offers_refused',
  'offers_timed_out',
  'appointments_booked',
  'appointments_kept',
  'appointments_missed',
] as const;

function csvValues(queue: string, timeZone: string, day: string, f: Figures): (string | number | null)[] {
  return [
    queue,
    timeZone,
    day,
    f.requested.total,
    ...CHANNELS.map((c) => f.requested[c]),
    f.completed,
    f.closed.total,
    ...CLOSE_REASONS.map((r) => f.closed.byReason[r]),
    f.successRate,
    f.attemptsPerCompleted,
    f.connected,
    f.connectSeconds.p50,
    f.connectSeconds.p90,
    f.offers.refused,
    f.offers.timedOut,
    f.appointments.booked,
    f.appointments.kept,
    f.appointments.missed,
  ];
}

/** The report's CSV lines, as values in CSV_COLUMNS' order; an empty cell is a rate with nothing to divide. */
export function csvRowsOf(report: StatsReport): (string | number | null)[][] {
  return report.queues.flatMap((q) => [
    ...q.days.map((d) => csvValues(q.queue, q.timeZone, d.day, d)),
    csvValues(q.queue, q.timeZone, 'total', q.total),
  ]);
}
