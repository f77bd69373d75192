// What a queue looks like now, for the IVR and the web: open or not (in its own zone), its load,
// the expected wait for an ASAP callback, and whether a callback may be offered, with why not.
// GET /v1/queues/{queue}/status answers it as is; the customer's page words it for people.
import { countActive } from '../db/admission.js';
import { findOrgArea, findQueue, getParameters } from '../db/configuration.js';
import { queueLoad, recentWaits } from '../db/queue-status.js';
import { listHolidays } from '../db/holidays.js';
import type { Queue } from '../db/configuration.js';
import type { Sql } from '../db/connect.js';
import { localTime, openingAt } from '../domain/opening-hours.js';
import { addDays } from '../domain/schedule.js';
import type { ServiceDeps } from './deps.js';
import { problem } from './problem.js';

/** The expected wait is the median of the acceptances in this window, when there are enough of them. */
export const WAIT_WINDOW_MINUTES = 60;
export const WAIT_MIN_SAMPLE = 3;

/** The queue's hours at `now`, its holidays counted: open or not, and when it opens next. */
export async function queueHoursAt(sql: Sql, queue: Queue, now: Date) {
  // From two days back: the zone's today may be the server's yesterday or tomorrow.
  const holidays = await listHolidays(sql, queue.name, { from: addDays(localTime(now, 'UTC').date, -2) });
  return openingAt({ ...queue, holidays }, now);
}

export async function queueStatusNow({ sql }: Pick<ServiceDeps, 'sql'>, name: string, now = new Date()) {
  const queue = await findQueue(sql, name);
  if (!queue) throw problem('not-found', 'no queue with this name');
  const [params, area, load, waits, activeInQueue, activeInArea] = await Promise.all([
    getParameters(sql),
    findOrgArea(sql, queue.orgArea),
    queueLoad(sql, queue.name),
    recentWaits(sql, queue.name, WAIT_WINDOW_MINUTES),
    countActive(sql, { queue: queue.name }),
    countActive(sql, { orgArea: queue.orgArea }),
  ]);
  const { local, today, holiday, openNow, opensAt } = await queueHoursAt(sql, queue, now);
  const refusals = [
    ...(params.enableCallbackService ? [] : (['callback-service-disabled'] as const)),
    ...(queue.acceptsCallbacks ? [] : (['queue-not-accepting-callbacks'] as const)),
    ...(queue.maxActiveRecords !== null && activeInQueue >= queue.maxActiveRecords ? (['queue-limit-reached'] as const) : []),
    ...(area?.maxActiveRecords != null && activeInArea >= area.maxActiveRecords ? (['org-area-limit-reached'] as const) : []),
  ];
  return {
    queue: queue.name,
    timeZone: queue.timeZone,
    openNow,
    opensAt,
    today: { date: local.date, weekday: local.weekday, openingHours: today, holiday: holiday && { name: holiday.name ?? null } },
    records: load,
    expectedWaitSeconds: waits.sample >= WAIT_MIN_SAMPLE ? Math.round(waits.medianSeconds!) : null,
    expectedWaitBasis: { windowMinutes: WAIT_WINDOW_MINUTES, acceptances: waits.sample, minimum: WAIT_MIN_SAMPLE },
    callbackOffered: refusals.length === 0,
    notOfferedBecause: refusals,
  };
}
