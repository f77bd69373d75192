// The statistics' rollups as the history's writes keep them (migration 018's triggers): records
// saved through insertRecord and saveRecord, as the API and the workflow save them, at chosen
// instants; days in the queue's zone; connect times from the request, the customer's requested
// time and a "re-establish later" time; appointments kept and missed; a retried save counts
// nothing twice; an erased record stays counted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertOrgArea, insertQueue } from '../../db/configuration.js';
import { eraseRecord, saveRecord } from '../../db/records.js';
import { insertSchedule } from '../../db/schedules.js';
import { connectPercentiles, dailyMeasures, statsQueues } from '../../db/stats.js';
import { buildReport } from '../../domain/stats.js';
import { testSql, uniqueName } from '../support/stack.js';
import { closedAs, writeLife, type LifeRequest, type Save } from '../support/stats-history.js';

const sql = testSql();
const orgArea = uniqueName('area');
const queue = uniqueName('q');
const scheduleId = uniqueName('s');

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
  await sql.begin((tx) =>
    insertSchedule(tx, {
      id: scheduleId,
      name: 'Advice line',
      orgArea,
      queue,
      taskType: null,
      timeZone: 'Europe/Stockholm',
      active: true,
      week: { monday: { periods: [{ from: '09:00', to: '12:00' }], minutesPerAppointment: 30 } },
      capacity: 2,
      horizonDays: 30,
      minimumNoticeMinutes: 0,
      identification: 'none',
      priority: 3,
      exceptions: [],
    }),
  );
});
afterAll(() => sql.end());

const life = (request: LifeRequest, saves: Save[]) => writeLife(sql, { queue, orgArea, scheduleId }, request, saves);
const closed = closedAs;

async function report() {
  const period = { from: '2026-03-09', to: '2026-03-13', queues: [queue] };
  return buildReport(period, await statsQueues(sql, [queue]), await dailyMeasures(sql, period), await connectPercentiles(sql, period))
    .queues[0]!;
}

describe("the statistics' rollups", () => {
  it('count each event on its day in the queue’s zone, as the writes of the history happen', async () => {
    // 00:30 in Stockholm on the 10th: connected after 40 s, completed after one attempt.
    const early = await life({ channel: 'ivr', createdAt: '2026-03-09T23:30:00.000Z' }, [
      { steps: [['2026-03-09T23:30:30.000Z', 'dialling', { attempt: 1 }]], change: { attempts: 1 } },
      { steps: [['2026-03-09T23:30:40.000Z', 'dialled', { attempt: 1, outcome: 'answered' }]] },
      {
        steps: [
          ['2026-03-09T23:35:00.000Z', 'feedback', { outcome: 'completed' }],
          ['2026-03-09T23:35:00.000Z', 'closed', { reason: 'completed' }],
        ],
        change: closed('completed', 1),
      },
    ]);
    // Asked for noon: no answer, then connected 40 minutes after noon, then "re-establish later"
    // to the next morning, connected 20 s after that time, completed after three attempts.
    await life({ channel: 'web', createdAt: '2026-03-10T08:00:00.000Z', requestedAt: '2026-03-10T12:00:00.000Z' }, [
      { steps: [['2026-03-10T12:00:30.000Z', 'dialled', { attempt: 1, outcome: 'no-answer' }]], change: { attempts: 1 } },
      { steps: [['2026-03-10T12:40:00.000Z', 'dialled', { attempt: 2, outcome: 'answered' }]], change: { attempts: 2 } },
      {
        steps: [
          ['2026-03-10T12:45:00.000Z', 'feedback', { outcome: 'reestablish-later', requestedAt: '2026-03-11T09:00:00.000Z' }],
          ['2026-03-10T12:45:00.000Z', 'rescheduled', { dueAt: '2026-03-11T09:00:00.000Z' }],
        ],
      },
      { steps: [['2026-03-11T09:00:20.000Z', 'dialled', { attempt: 3, outcome: 'answered' }]], change: { attempts: 3 } },
      { steps: [['2026-03-11T09:05:00.000Z', 'closed', { reason: 'completed' }]], change: closed('completed', 3) },
    ]);
    // An appointment kept: connected 10 s into its slot.
    await life(
      {
        channel: 'api',
        createdAt: '2026-03-10T10:00:00.000Z',
        requestedAt: '2026-03-12T09:00:00.000Z',
        booked: '2026-03-12T09:00:00.000Z',
      },
      [
        { steps: [['2026-03-12T09:00:10.000Z', 'dialled', { attempt: 1, outcome: 'answered' }]], change: { attempts: 1 } },
        { steps: [['2026-03-12T09:04:00.000Z', 'closed', { reason: 'completed' }]], change: closed('completed', 1) },
      ],
    );
    // An appointment missed: refused, then its offer timed out, then it expired.
    const missed = await life(
      {
        channel: 'web',
        createdAt: '2026-03-10T11:00:00.000Z',
        requestedAt: '2026-03-12T10:00:00.000Z',
        booked: '2026-03-12T10:00:00.000Z',
      },
      [
        { steps: [['2026-03-12T10:01:00.000Z', 'refused', { reason: 'busy' }]] },
        { steps: [['2026-03-12T10:03:00.000Z', 'offer-timeout', { outcome: 'lost-during-routing' }]] },
        { steps: [['2026-03-12T11:00:00.000Z', 'closed', { reason: 'expired' }]], change: closed('expired', 0) },
      ],
    );

    const counted = await report();
    const [, d10, d11, d12] = counted.days;
    expect(counted.days[0]!.requested.total).toBe(0);
    expect(d10).toMatchObject({
      requested: { total: 4, ivr: 1, web: 2, api: 1 },
      completed: 1,
      attemptsPerCompleted: 1,
      connected: 2,
      connectSeconds: { p50: 1220, p90: 2164 },
      appointments: { booked: 2, kept: 0, missed: 0 },
    });
    expect(d11).toMatchObject({ completed: 1, attemptsPerCompleted: 3, connected: 1, connectSeconds: { p50: 20, p90: 20 } });
    expect(d12).toMatchObject({
      completed: 1,
      closed: { total: 2, byReason: expect.objectContaining({ completed: 1, expired: 1 }) },
      successRate: 0.5,
      connectSeconds: { p50: 10, p90: 10 },
      offers: { refused: 1, timedOut: 1 },
      appointments: { booked: 0, kept: 1, missed: 1 },
    });
    expect(counted.total).toMatchObject({
      requested: { total: 4 },
      completed: 3,
      closed: { total: 4 },
      successRate: 0.75,
      attemptsPerCompleted: 1.67,
      connected: 4,
      connectSeconds: { p50: 30, p90: 1692 },
      appointments: { booked: 2, kept: 1, missed: 1 },
    });

    // Migration 018 counts a history that was there before it by the same rules, added up at once.
    const recounted = await sql`
      select s.day::text as day, s.measure, sum(s.value)::float8 as value
      from callbacks c join callback_events e on e.record_id = c.id cross join lateral stats_of_event(e) s
      where c.queue = ${queue} and s.measure <> 'connect-seconds' group by 1, 2 order by 1, 2`;
    const rolledUp = await sql`
      select day::text as day, measure, sum(value)::float8 as value from stats_daily
      where queue = ${queue} and measure <> 'appointment-booked' group by 1, 2 order by 1, 2`;
    expect(recounted).toEqual(rolledUp);
    expect(rolledUp.length).toBeGreaterThan(10);

    // A save retried after it committed adds no event, and counts nothing again.
    expect(await saveRecord(sql, missed.last.record, missed.last.events)).toEqual([]);
    // An erased record's history goes; its counts stay.
    await eraseRecord(sql, early.id);
    expect(await sql`select 1 from callback_events where record_id = ${early.id}`).toHaveLength(0);
    expect(await report()).toEqual(counted);
  });
});
