// Statistics from daily rollups: figures and rates, every day of the period, totals, the CSV lines.
import { describe, expect, it } from 'vitest';
import { buildReport, CSV_COLUMNS, csvRowsOf, datesOf, figuresOf, periodDays, type MeasureRow } from '../../domain/stats.js';
import { statsReportSchema } from '../../domain/stats-schema.js';

const row = (day: string, measure: string, value: number, queue = 'q1'): MeasureRow => ({ queue, day, measure, value });

describe('the period', () => {
  it('counts both ends, across a month, a leap day and a change of daylight saving time', () => {
    expect(periodDays('2026-12-01', '2026-12-01')).toBe(1);
    expect(periodDays('2028-02-27', '2028-03-01')).toBe(4);
    expect(periodDays('2026-03-28', '2026-03-30')).toBe(3);
    expect(periodDays('2026-01-01', '2026-12-31')).toBe(365);
    expect(periodDays('2026-12-02', '2026-12-01')).toBe(0);
    expect(datesOf('2028-02-28', '2028-03-01')).toEqual(['2028-02-28', '2028-02-29', '2028-03-01']);
  });
});

describe('figures', () => {
  it('adds channels and reasons, and divides only what can be divided', () => {
    const f = figuresOf(
      new Map([
        ['requested:ivr', 3],
        ['requested:web', 2],
        ['closed:completed', 3],
        ['closed:closed-by-administrator', 1],
        ['completed-attempts', 4],
        ['connected', 4],
        ['offer-refused', 2],
      ]),
      { p50: 61.26, p90: 300.04 },
    );
    expect(f.requested).toEqual({ total: 5, ivr: 3, web: 2, agent: 0, admin: 0, api: 0 });
    expect(f.completed).toBe(3);
    expect(f.closed.total).toBe(4);
    expect(f.closed.byReason['closed-by-administrator']).toBe(1);
    expect(f.closed.byReason.expired).toBe(0);
    expect(f.successRate).toBe(0.75);
    expect(f.attemptsPerCompleted).toBe(1.33);
    expect(f.connectSeconds).toEqual({ p50: 61.3, p90: 300 });
    expect(f.offers).toEqual({ refused: 2, timedOut: 0 });

    const none = figuresOf(new Map(), undefined);
    expect(none.successRate).toBeNull();
    expect(none.attemptsPerCompleted).toBeNull();
    expect(none.connectSeconds).toEqual({ p50: null, p90: null });
  });
});

describe('the report', () => {
  const report = buildReport(
    { from: '2026-11-30', to: '2026-12-02' },
    [
      { queue: 'q1', timeZone: 'Europe/Stockholm' },
      { queue: 'q2', timeZone: 'UTC' },
    ],
    [
      row('2026-11-30', 'requested:ivr', 2),
      row('2026-12-02', 'requested:ivr', 1),
      row('2026-12-02', 'closed:completed', 1),
      row('2026-12-02', 'completed-attempts', 2),
      row('2026-12-01', 'appointment-booked', 1, 'q2'),
    ],
    [
      { queue: 'q1', day: '2026-12-02', p50: 10, p90: 10 },
      { queue: 'q1', day: null, p50: 12, p90: 20 },
    ],
  );

  it('has every day of every queue, zeros where nothing happened, and the totals of the period', () => {
    expect(statsReportSchema.parse(report)).toEqual(report);
    const [q1, q2] = report.queues;
    expect(q1!.days.map((d) => [d.day, d.requested.total])).toEqual([
      ['2026-11-30', 2],
      ['2026-12-01', 0],
      ['2026-12-02', 1],
    ]);
    expect(q1!.days[2]).toMatchObject({ completed: 1, attemptsPerCompleted: 2, successRate: 1, connectSeconds: { p50: 10, p90: 10 } });
    expect(q1!.total).toMatchObject({ requested: { total: 3, ivr: 3 }, completed: 1, connectSeconds: { p50: 12, p90: 20 } });
    expect(q2!.days.map((d) => d.appointments.booked)).toEqual([0, 1, 0]);
    expect(q2!.total.requested.total).toBe(0);
  });

  it('writes one CSV line per queue and day, and one per queue for the period', () => {
    const lines = csvRowsOf(report);
    expect(lines).toHaveLength(8);
    lines.forEach((l) => expect(l).toHaveLength(CSV_COLUMNS.length));
    const at = (line: (string | number | null)[], column: (typeof CSV_COLUMNS)[number]) => line[CSV_COLUMNS.indexOf(column)];
    expect(at(lines[3]!, 'day')).toBe('total');
    expect(at(lines[3]!, 'requested_ivr')).toBe(3);
    expect(at(lines[3]!, 'closed_completed')).toBe(1);
    expect(at(lines[1]!, 'success_rate')).toBeNull();
    expect(at(lines[5]!, 'appointments_booked')).toBe(1);
  });
});
