// Business hours and holidays gate routing, through the real stack on Temporal's time-skipping
// test server: a request made while its queue is closed waits, in its place in line, for the
// opening. The holiday calendar's API is driven on the same stack.
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporalDataConverterOf } from '../../config/index.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { gateStateQuery, gateWorkflowId } from '../../workflows/queue-gate-contract.js';
import { eventually, newQueue, OPEN_ALL_WEEK, recordWhen, startStack, type Stack } from '../support/stack.js';
import { startTimeSkipping } from '../support/time-skipping.js';

let env: TestWorkflowEnvironment;
let stack: Stack;

async function startAll() {
  env = await startTimeSkipping();
  stack = await startStack({ temporalAddress: env.address });
}

async function stopAll() {
  await stack?.stop();
  await env?.teardown();
}

/**
 * Each test that skips time has a test server and a stack of its own, and is tried again when it
 * times out: the time-skipping test server now and then refuses a workflow task completion
 * ("invalid history builder state for action", logged as "Error while completing workflow
 * activation"), and the workflow task it keeps retrying holds its clock, so a skip never ends.
 * The same histories complete on the real server (the soaks run there). A fresh server per test
 * keeps one such refusal from stopping every later skip.
 */
const SKIPPING = { retry: 2, timeout: 60_000 };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A fixed-offset zone (Etc/GMT-N is UTC+N) in which it is `hour` o'clock at `now`, so that a test
 * can say "it is night in the queue's zone" whatever time the test runs; with the instant that
 * is `localHour` o'clock on the same local date there, and that local date.
 */
function zoneAt(now: number, hour: number) {
  let offset = (((hour - new Date(now).getUTCHours()) % 24) + 24) % 24;
  if (offset > 14) offset -= 24;
  const timeZone = offset === 0 ? 'UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
  const localMidnight = Math.floor((now + offset * HOUR) / DAY) * DAY;
  return {
    timeZone,
    at: (localHour: number) => localMidnight + localHour * HOUR - offset * HOUR,
    date: new Date(localMidnight).toISOString().slice(0, 10),
  };
}

const serverNow = () => env.currentTimeMs();
/** Skips the test server's clock to `at` (ms). */
const skipTo = async (at: number) => env.sleep(Math.max(at - (await serverNow()), 1));

async function asap(queue: string, phone: string) {
  const created = await stack.api.post('/v1/callbacks', { phone, queue, channel: 'ivr' });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id as string;
}

/** Records left running would keep the test server busy (offer timeouts, retries) through every later skip. */
async function closeAll(...ids: string[]) {
  for (const id of ids) expect((await stack.api.post(`/v1/callbacks/${id}/close`, {})).status).toBe(200);
}

const offeredAt = (record: any) => Date.parse(record.history.findLast((e: any) => e.type === 'offered').at);

describe('a queue closed now', () => {
  beforeEach(startAll);
  afterEach(stopAll);
  // On a fresh test server: the API's status reads the wall clock, which the test server's clock leaves behind once it skips.
  it('keeps a request made at night due, says when the queue opens, and offers the request at the opening', SKIPPING, async () => {
    const zone = zoneAt(await serverNow(), 3);
    const evenings = Object.fromEntries(Object.keys(OPEN_ALL_WEEK).map((day) => [day, [{ from: '08:00', to: '24:00' }]]));
    const queue = await newQueue(stack.api, { queue: { timeZone: zone.timeZone, openingHours: evenings } });
    const opening = zone.at(8);

    const status = (await stack.api.get(`/v1/queues/${queue}/status`)).body;
    expect(status).toMatchObject({ openNow: false, opensAt: new Date(opening).toISOString(), callbackOffered: true });

    const id = await asap(queue, '+46701230001');
    await recordWhen(stack.api, id, (r) => r.stage === 'due');
    expect((await stack.api.post(`/v1/queues/${queue}/next`, { agentId: 'early' })).status).toBe(204);

    await skipTo(opening - 10 * MINUTE);
    const before = await recordWhen(stack.api, id, (r) => r.stage === 'due');
    expect(before.history.some((e: any) => e.type === 'offered')).toBe(false);
    expect((await stack.api.post(`/v1/queues/${queue}/next`, { agentId: 'early' })).status).toBe(204);

    await skipTo(opening + MINUTE);
    const offered = await recordWhen(stack.api, id, (r) => r.stage === 'offered');
    expect(offeredAt(offered)).toBeGreaterThanOrEqual(opening);
    await closeAll(id);
  });

  it('stays closed on a holiday, and offers the request when the next day opens', SKIPPING, async () => {
    const zone = zoneAt(await serverNow(), 20);
    const queue = await newQueue(stack.api, { queue: { timeZone: zone.timeZone } });
    const put = await stack.api.put(`/v1/queues/${queue}/holidays/${zone.date}`, { closed: true, name: 'Midsummer Eve' });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const midnight = zone.at(24);

    const id = await asap(queue, '+46701230002');
    await recordWhen(stack.api, id, (r) => r.stage === 'due');
    await skipTo(midnight - 10 * MINUTE);
    expect((await recordWhen(stack.api, id, (r) => r.stage === 'due')).stage).toBe('due');

    await skipTo(midnight + MINUTE);
    expect(offeredAt(await recordWhen(stack.api, id, (r) => r.stage === 'offered'))).toBeGreaterThanOrEqual(midnight);
    await closeAll(id);
  });

  it('lets a record due while closed keep its place: the earlier request is offered first after the opening', SKIPPING, async () => {
    const zone = zoneAt(await serverNow(), 20);
    // One place, held by a record offered before the holiday is set (an offered record is left
    // alone when its queue closes); no offer timeout frees it meanwhile.
    const queue = await newQueue(stack.api, { queue: { timeZone: zone.timeZone, gateSize: 1, offerTimeoutSeconds: 86_400 } });
    const holder = await asap(queue, '+46701230010');
    await recordWhen(stack.api, holder, (r) => r.stage === 'offered');
    expect((await stack.api.put(`/v1/queues/${queue}/holidays/${zone.date}`, { closed: true })).status).toBe(200);

    const earlier = await asap(queue, '+46701230011');
    await recordWhen(stack.api, earlier, (r) => r.stage === 'due');
    await env.sleep(10 * MINUTE);
    const later = await asap(queue, '+46701230012');
    await recordWhen(stack.api, later, (r) => r.stage === 'due');

    // At the opening both ask the full gate at once; it serves them by place in line, not by who asked first.
    const midnight = zone.at(24);
    await skipTo(midnight + MINUTE);
    const temporal = new Client({ connection: env.connection, dataConverter: temporalDataConverterOf(stack.config) });
    const gate = temporal.workflow.getHandle(gateWorkflowId(queue));
    const line = await eventually(
      async () => {
        const { waiters } = await gate.query(gateStateQuery);
        return waiters.length === 2 ? waiters.map((w) => w.recordId) : undefined;
      },
      30_000,
      'both records in line at the gate',
    );
    expect(line).toEqual([earlier, later]);
    expect((await stack.api.post(`/v1/callbacks/${holder}/close`, {})).status).toBe(200);
    const first = await recordWhen(stack.api, earlier, (r) => r.stage === 'offered');
    expect(first.rankAt).toBe(first.createdAt);
    expect((await stack.api.get(`/v1/callbacks/${later}`)).body.stage).toBe('due');

    expect((await stack.api.post(`/v1/callbacks/${earlier}/close`, {})).status).toBe(200);
    await recordWhen(stack.api, later, (r) => r.stage === 'offered');
    await closeAll(later);
  });
});

describe('an appointment', () => {
  beforeEach(startAll);
  afterEach(stopAll);

  it("offers an appointment at its slot's start though its queue is closed: its schedule decides", SKIPPING, async () => {
    const queue = await newQueue(stack.api, { queue: { openingHours: {} } });
    const schedule = `sched-${queue}`;
    const everyDay = Object.fromEntries(
      Object.keys(OPEN_ALL_WEEK).map((day) => [day, { periods: [{ from: '00:00', to: '24:00' }], minutesPerAppointment: 30 }]),
    );
    const created = await stack.api.post('/v1/schedules', {
      id: schedule,
      name: schedule,
      queue,
      timeZone: 'UTC',
      week: everyDay,
      capacity: 1,
      minimumNoticeMinutes: 0,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    // A slot after the test server's now (ahead of the API's wall clock once tests have skipped time).
    const after = encodeURIComponent(new Date(await serverNow()).toISOString());
    const { slot } = (await stack.api.get(`/v1/schedules/${schedule}/next-free-slot?after=${after}`)).body;
    const booked = await stack.api.post(`/v1/schedules/${schedule}/bookings`, {
      slotStart: slot.start,
      channel: 'ivr',
      phone: '+46701230020',
    });
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    expect((await stack.api.get(`/v1/queues/${queue}/status`)).body).toMatchObject({ openNow: false, opensAt: null });

    await skipTo(Date.parse(slot.start) + MINUTE);
    await recordWhen(stack.api, booked.body.record.id, (r) => r.stage === 'offered');
    // An ASAP request in the same queue waits: the queue never opens.
    const id = await asap(queue, '+46701230021');
    await env.sleep(HOUR + MINUTE);
    expect((await recordWhen(stack.api, id, (r) => r.stage === 'due')).history.some((e: any) => e.type === 'offered')).toBe(false);
    await closeAll(booked.body.record.id, id);
  });
});

describe('the holiday calendar', () => {
  beforeAll(startAll);
  afterAll(stopAll);
  it('sets, lists, changes and removes holidays, audited, and queue status counts them', async () => {
    const zone = zoneAt(Date.now(), 12);
    const queue = await newQueue(stack.api, { queue: { timeZone: zone.timeZone } });
    const today = zone.date;
    const tomorrow = new Date(Date.parse(today) + DAY).toISOString().slice(0, 10);

    const closed = await stack.api.put(`/v1/queues/${queue}/holidays/${today}`, { closed: true, name: 'Christmas Eve' });
    expect(closed).toMatchObject({ status: 200, body: { date: today, closed: true, name: 'Christmas Eve' } });
    const special = await stack.api.put(`/v1/queues/${queue}/holidays/${tomorrow}`, { periods: [{ from: '10:00', to: '14:00' }] });
    expect(special.body).toEqual({ date: tomorrow, periods: [{ from: '10:00', to: '14:00' }] });

    const status = (await stack.api.get(`/v1/queues/${queue}/status`)).body;
    expect(status).toMatchObject({
      openNow: false,
      opensAt: new Date(zone.at(24 + 10)).toISOString(),
      today: { date: today, openingHours: [], holiday: { name: 'Christmas Eve' } },
    });

    const listed = await stack.api.get(`/v1/queues/${queue}/holidays`);
    expect(listed.body).toEqual({
      queue,
      timeZone: zone.timeZone,
      items: [
        { date: today, closed: true, name: 'Christmas Eve' },
        { date: tomorrow, periods: [{ from: '10:00', to: '14:00' }] },
      ],
    });
    expect((await stack.api.get(`/v1/queues/${queue}/holidays?from=${tomorrow}`)).body.items).toHaveLength(1);
    expect((await stack.api.get(`/v1/queues/${queue}/holidays?to=${today}`)).body.items.map((h: any) => h.date)).toEqual([today]);

    // Setting a date again replaces it; removing it gives the date back to its weekday.
    expect((await stack.api.put(`/v1/queues/${queue}/holidays/${today}`, { periods: [{ from: '00:00', to: '24:00' }] })).status).toBe(200);
    expect((await stack.api.get(`/v1/queues/${queue}/status`)).body).toMatchObject({
      openNow: true,
      opensAt: null,
      today: { holiday: { name: null } },
    });
    expect((await stack.api.delete(`/v1/queues/${queue}/holidays/${tomorrow}`)).status).toBe(204);
    expect((await stack.api.delete(`/v1/queues/${queue}/holidays/${tomorrow}`)).body).toMatchObject({ type: 'not-found' });
    expect((await stack.api.get(`/v1/queues/${queue}/holidays`)).body.items.map((h: any) => h.date)).toEqual([today]);

    const audit = (await stack.api.get(`/v1/audit?limit=200`)).body.items.filter((e: any) => e.detail?.queue === queue);
    expect(audit.map((e: any) => e.action).reverse()).toEqual([
      'queue-holiday-put',
      'queue-holiday-put',
      'queue-holiday-put',
      'queue-holiday-delete',
    ]);
    expect(audit[0]).toMatchObject({ actor: stack.actor, detail: { queue, date: tomorrow } });
  });

  it.each([
    ['a date that is not one', '2026-02-30', { closed: true }],
    ['a date in another format', '24-12-2026', { closed: true }],
    ['neither closed nor periods', '2026-12-24', { name: 'Christmas Eve' }],
    ['closed: false', '2026-12-24', { closed: false }],
    ['both closed and periods', '2026-12-24', { closed: true, periods: [{ from: '08:00', to: '12:00' }] }],
    ['no periods', '2026-12-24', { periods: [] }],
    ['a period that ends before it starts', '2026-12-24', { periods: [{ from: '14:00', to: '10:00' }] }],
    ['a time that is none', '2026-12-24', { periods: [{ from: '08:00', to: '24:30' }] }],
    [
      'overlapping periods',
      '2026-12-24',
      {
        periods: [
          { from: '08:00', to: '12:00' },
          { from: '11:00', to: '13:00' },
        ],
      },
    ],
    ['an unknown field', '2026-12-24', { closed: true, reason: 'snow' }],
  ])('refuses %s with a 400 problem and stores nothing', async (_, date, body) => {
    const queue = await newQueue(stack.api);
    const reply = await stack.api.put(`/v1/queues/${queue}/holidays/${date}`, body);
    expect(reply.status).toBe(400);
    expect(reply.type).toBe('application/problem+json');
    expect(reply.body.type).toBe('validation-error');
    expect((await stack.api.get(`/v1/queues/${queue}/holidays`)).body.items).toEqual([]);
  });

  it('answers 404 for an unknown queue, and lets only administrators change the calendar', async () => {
    expect((await stack.api.put('/v1/queues/no-such-queue/holidays/2026-12-24', { closed: true })).body).toMatchObject({
      type: 'not-found',
    });
    expect((await stack.api.get('/v1/queues/no-such-queue/holidays')).status).toBe(404);
    const queue = await newQueue(stack.api);
    for (const role of ['agent', 'integration', 'ivr', 'web'] as const) {
      const refused = await stack.as(role).put(`/v1/queues/${queue}/holidays/2026-12-24`, { closed: true });
      expect(refused.status, role).toBe(403);
      expect(refused.body.type).toBe('forbidden');
    }
    expect((await stack.as('agent').get(`/v1/queues/${queue}/holidays`)).status).toBe(200);
    expect((await stack.as('web').get(`/v1/queues/${queue}/holidays`)).status).toBe(403);
    expect((await stack.as('agent').delete(`/v1/queues/${queue}/holidays/2026-12-24`)).status).toBe(403);
    expect((await stack.api.get(`/v1/queues/${queue}/holidays`)).body.items).toEqual([]);
  });
});
