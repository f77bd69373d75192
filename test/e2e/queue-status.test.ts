// The queue status the IVR and the web page read: open now, today's hours, records by stage,
// the expected wait from recent handling, and whether a callback may be offered.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WEEKDAYS } from '../../domain/queue-config.js';
import { newQueue, recordWhen, startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const allDay = Object.fromEntries(WEEKDAYS.map((d) => [d, [{ from: '00:00', to: '24:00' }]]));
const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

async function create(queue: string, extra: Record<string, unknown> = {}) {
  const created = await stack.api.post('/v1/callbacks', { phone: '+46701234567', queue, channel: 'web', ...extra });
  expect(created.status).toBe(201);
  return created.body;
}

it("says whether the queue is open now, in its own time zone, with today's hours", async () => {
  const open = await newQueue(stack.api, { queue: { timeZone: 'Pacific/Auckland', openingHours: allDay } });
  const status = (await stack.api.get(`/v1/queues/${open}/status`, { 'x-actor': '' })).body;
  expect(status).toMatchObject({ queue: open, timeZone: 'Pacific/Auckland', openNow: true, opensAt: null });
  expect(status.today.openingHours).toEqual([{ from: '00:00', to: '24:00' }]);
  expect(status.today.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  const closed = await newQueue(stack.api, { queue: { openingHours: {} } });
  // Closed every day, and no holiday opens it: it never opens.
  expect((await stack.api.get(`/v1/queues/${closed}/status`)).body).toMatchObject({
    openNow: false,
    opensAt: null,
    today: { openingHours: [], holiday: null },
  });
});

it('counts records by stage, and expects the median wait of recent acceptances', async () => {
  const queue = await newQueue(stack.api);
  await create(queue, { requestedAt: inHours(2) });
  const paused = await create(queue, { requestedAt: inHours(3) });
  await recordWhen(stack.api, paused.id, (r) => r.version >= 2);
  await stack.api.post(`/v1/callbacks/${paused.id}/pause`);
  const asap = [];
  for (let i = 0; i < 3; i++) asap.push(await create(queue));
  for (const r of asap) await recordWhen(stack.api, r.id, (x) => x.stage === 'offered');

  const before = (await stack.api.get(`/v1/queues/${queue}/status`)).body;
  expect(before.records).toEqual({ scheduled: 1, due: 0, offered: 3, withAgent: 0, paused: 1 });
  expect(before.expectedWaitSeconds).toBeNull();
  expect(before.expectedWaitBasis).toEqual({ windowMinutes: 60, acceptances: 0, minimum: 3 });

  for (let i = 0; i < 3; i++) expect((await stack.api.post(`/v1/queues/${queue}/next`, { agentId: `agent-${i}` })).status).toBe(200);
  // Waits of about half a minute, one minute and ten: their median is one minute, far from
  // their mean (over three), their shortest and their longest.
  for (const [record, seconds] of asap.map((r, i) => [r, [30, 60, 600][i]!] as const)) {
    const moved =
      await stack.sql`update callback_events set at = at - make_interval(secs => ${seconds}) where record_id = ${record.id} and type = 'due'`;
    expect(moved.count).toBe(1);
  }
  const waits = (await Promise.all(asap.map((r) => waitInHistory(r.id)))).sort((a, b) => a - b);
  expect(waits[1]).toBeGreaterThan(60);
  expect(waits[1]).toBeLessThan(90);

  const after = (await stack.api.get(`/v1/queues/${queue}/status`)).body;
  expect(after.expectedWaitBasis.acceptances).toBe(3);
  // Rounded to whole seconds, from times the history shows to the millisecond.
  expect(Math.abs(after.expectedWaitSeconds - waits[1]!)).toBeLessThanOrEqual(0.501);
  expect(after.records.offered).toBe(0);
});

/** Seconds from the record's becoming due to its acceptance, as its history tells. */
async function waitInHistory(id: string): Promise<number> {
  const { history } = (await stack.api.get(`/v1/callbacks/${id}`)).body as { history: { seq: number; type: string; at: string }[] };
  const accepted = history.findLast((e) => e.type === 'accepted')!;
  const due = history.findLast((e) => e.type === 'due' && e.seq < accepted.seq)!;
  return (Date.parse(accepted.at) - Date.parse(due.at)) / 1000;
}

it('says when a callback cannot be offered, and why', async () => {
  const full = await newQueue(stack.api, { queue: { maxActiveRecords: 1 } });
  expect((await stack.api.get(`/v1/queues/${full}/status`)).body).toMatchObject({ callbackOffered: true, notOfferedBecause: [] });
  await create(full, { requestedAt: inHours(1) });
  expect((await stack.api.get(`/v1/queues/${full}/status`)).body).toMatchObject({
    callbackOffered: false,
    notOfferedBecause: ['queue-limit-reached'],
  });
  const areaFull = await newQueue(stack.api, { area: { maxActiveRecords: 0 }, queue: { acceptsCallbacks: false } });
  expect((await stack.api.get(`/v1/queues/${areaFull}/status`)).body.notOfferedBecause).toEqual([
    'queue-not-accepting-callbacks',
    'org-area-limit-reached',
  ]);
  expect((await stack.api.get('/v1/queues/no-such-queue/status')).status).toBe(404);
  expect((await stack.api.get('/v1/queues/bad%20name/status')).status).toBe(400);
});
