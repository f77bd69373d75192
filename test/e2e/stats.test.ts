// Statistics through the whole stack: a queue of the test's own whose records are driven through
// the API (completed after a call, closed by an administrator, refused once, an appointment
// booked and closed unkept), then GET /v1/stats, its CSV and the /admin/stats page in a real
// browser must show exactly those numbers; a deleted record stays counted; bad periods are 400s.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../api/csv.js';
import { WEEKDAYS } from '../../domain/queue-config.js';
import { addDays, localDateAt } from '../../domain/schedule.js';
import { CSV_COLUMNS } from '../../domain/stats.js';
import { adminAt, adminShot, saidAnswer, saidRefusal } from '../support/admin-console.js';
import { launchBrowser } from '../support/browser.js';
import { eventually, newQueue, recordWhen, startStack, uniqueName, type Stack } from '../support/stack.js';
import { closedAs, writeLife } from '../support/stats-history.js';

let stack: Stack;
let browser: Browser;
beforeAll(async () => {
  stack = await startStack();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const ZONE = 'Europe/Stockholm';
/** Yesterday to tomorrow in the queue's zone: the test's events fall on today, even one that runs across midnight. */
const around = () => {
  const today = localDateAt(new Date(), ZONE);
  return { from: addDays(today, -1), to: addDays(today, 1), today };
};

async function request(queue: string, channel: string): Promise<string> {
  const made = await stack.api.post('/v1/callbacks', { phone: '070-123 45 67', queue, channel });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  return made.body.id;
}

async function closeByAdministrator(id: string): Promise<void> {
  const closed = await stack.api.post(`/v1/callbacks/${id}/close`, { comment: 'no longer needed' });
  expect(closed.status, JSON.stringify(closed.body)).toBe(200);
  await recordWhen(stack.api, id, (r) => r.status === 'Closed');
}

const offered = (id: string) => recordWhen(stack.api, id, (r) => r.stage === 'offered');

/** A booked appointment in a schedule of the queue, for tomorrow's first slot. */
async function bookAppointment(queue: string): Promise<string> {
  const id = uniqueName('sched');
  const week = Object.fromEntries(WEEKDAYS.map((d) => [d, { periods: [{ from: '00:00', to: '24:00' }], minutesPerAppointment: 60 }]));
  const made = await stack.api.post('/v1/schedules', { id, name: 'Statistics', queue, week, capacity: 5, minimumNoticeMinutes: 0 });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  const slots = await stack.api.get(`/v1/schedules/${id}/availability?from=${addDays(localDateAt(new Date(), ZONE), 1)}&days=1`);
  const slotStart = slots.body.slots.find((s: any) => s.free > 0).start;
  const booked = await stack.api.post(`/v1/schedules/${id}/bookings`, { slotStart, channel: 'web', phone: '+46701112233' });
  expect(booked.status, JSON.stringify(booked.body)).toBe(201);
  return booked.body.record.id;
}

/**
 * A queue of its own with four records: one completed after one call (IVR), one closed by an
 * administrator (web), one refused once by an agent and then closed (agent), and an appointment
 * booked and closed before its time (web). Returns the queue, the ids, and the seconds from the
 * completed record's request to its customer connected, as its history says.
 */
async function drivenQueue() {
  const queue = await newQueue(stack.api);

  const completed = await request(queue, 'ivr');
  await offered(completed);
  expect((await stack.api.post(`/v1/callbacks/${completed}/accept`, { agentId: 'anna' })).status).toBe(200);
  await recordWhen(stack.api, completed, (r) => r.stage === 'connected');
  expect((await stack.api.post(`/v1/callbacks/${completed}/feedback`, { agentId: 'anna', outcome: 'completed' })).status).toBe(200);
  const done = await recordWhen(stack.api, completed, (r) => r.status === 'Closed');
  const requestedAt = Date.parse(done.history.find((e: any) => e.type === 'requested').at);
  const connectedAt = Date.parse(done.history.find((e: any) => e.type === 'dialled' && e.detail.outcome === 'answered').at);

  const closedByAdmin = await request(queue, 'web');
  await offered(closedByAdmin);
  await closeByAdministrator(closedByAdmin);

  const refused = await request(queue, 'agent');
  await offered(refused);
  expect((await stack.api.post(`/v1/callbacks/${refused}/refuse`, { agentId: 'bob', reason: 'speaks no Finnish' })).status).toBe(200);
  await recordWhen(stack.api, refused, (r) => r.history.some((e: any) => e.type === 'refused'));
  await closeByAdministrator(refused);

  const appointment = await bookAppointment(queue);
  await closeByAdministrator(appointment);

  return { queue, closedByAdmin, connectSeconds: Number(((connectedAt - requestedAt) / 1000).toFixed(1)) };
}

/** What the period's figures of a driven queue must be. */
const expectedTotal = (connectSeconds: number) => ({
  requested: { total: 4, ivr: 1, web: 2, agent: 1, admin: 0, api: 0 },
  completed: 1,
  closed: { total: 4, byReason: expect.objectContaining({ completed: 1, 'closed-by-administrator': 3, expired: 0 }) },
  successRate: 0.25,
  attemptsPerCompleted: 1,
  connected: 1,
  connectSeconds: { p50: connectSeconds, p90: connectSeconds },
  offers: { refused: 1, timedOut: 0 },
  appointments: { booked: 1, kept: 0, missed: 1 },
});

const statsOf = (query: string) => stack.api.get(`/v1/stats?${query}`);

describe('GET /v1/stats', () => {
  it("counts exactly what the queue's records did, per day and for the period, as JSON and CSV; a deleted record stays counted", async () => {
    const { queue, closedByAdmin, connectSeconds } = await drivenQueue();
    const { from, to, today } = around();

    const reply = await statsOf(`from=${from}&to=${to}&queue=${queue}`);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body.queues).toHaveLength(1);
    const [stats] = reply.body.queues;
    expect(stats).toMatchObject({ queue, timeZone: ZONE, total: expectedTotal(connectSeconds) });
    expect(stats.days.map((d: any) => d.day)).toEqual([from, today, to]);
    expect(stats.days[1]).toMatchObject({ day: today, ...expectedTotal(connectSeconds) });
    expect(stats.days[0].requested.total + stats.days[2].requested.total).toBe(0);

    // Other systems read it too; agents do not.
    expect((await stack.as('integration').get(`/v1/stats?from=${from}&to=${to}&queue=${queue}`)).body).toEqual(reply.body);
    expect((await stack.as('agent').get(`/v1/stats?from=${from}&to=${to}&queue=${queue}`)).status).toBe(403);

    const csv = await statsOf(`from=${from}&to=${to}&queue=${queue}&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.type).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toContain(`callback-statistics-${from}-${to}.csv`);
    const [header, ...lines] = parseCsv(csv.body)!;
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(lines.map((l) => l[2])).toEqual([from, today, to, 'total']);
    const total = Object.fromEntries(header!.map((column, i) => [column, lines[3]![i]]));
    expect(total).toMatchObject({
      queue,
      time_zone: ZONE,
      requested: '4',
      requested_ivr: '1',
      requested_web: '2',
      requested_agent: '1',
      completed: '1',
      closed: '4',
      closed_completed: '1',
      closed_closed_by_administrator: '3',
      success_rate: '0.25',
      attempts_per_completed: '1',
      connected: '1',
      connect_p50_seconds: String(connectSeconds),
      connect_p90_seconds: String(connectSeconds),
      offers_refused: '1',
      offers_timed_out: '0',
      appointments_booked: '1',
      appointments_kept: '0',
      appointments_missed: '1',
    });

    expect((await stack.api.delete(`/v1/callbacks/${closedByAdmin}`)).status).toBe(204);
    await eventually(async () => ((await stack.api.get(`/v1/callbacks/${closedByAdmin}`)).status === 404 ? true : undefined));
    expect((await statsOf(`from=${from}&to=${to}&queue=${queue}`)).body).toEqual(reply.body);
  });

  it('lists every queue with something counted when none is named, and each named one in its order', async () => {
    const [a, b] = [await newQueue(stack.api), await newQueue(stack.api)];
    await request(a, 'api');
    await request(b, 'web');
    const { from, to } = around();
    const all = await statsOf(`from=${from}&to=${to}`);
    expect(all.status).toBe(200);
    const names = all.body.queues.map((q: any) => q.queue);
    expect(names).toEqual(expect.arrayContaining([a, b]));
    expect(all.body.queues.find((q: any) => q.queue === a).total.requested.api).toBe(1);

    const named = await statsOf(`from=${from}&to=${to}&queue=${b},${a}`);
    expect(named.body.queues.map((q: any) => q.queue)).toEqual([b, a]);
    const repeated = await statsOf(`from=${from}&to=${to}&queue=${b}&queue=${a}`);
    expect(repeated.body).toEqual(named.body);

    // A queue with nothing counted yet is all zeros, not missing.
    const quiet = await newQueue(stack.api);
    const empty = await statsOf(`from=${from}&to=${to}&queue=${quiet}`);
    expect(empty.body.queues[0].total).toMatchObject({ requested: { total: 0 }, successRate: null, connectSeconds: { p50: null } });
  });

  it.each([
    ['a date that is not one', 'from=2026-02-30&to=2026-03-01', 'from'],
    ['a date in another format', 'from=01/12/2026&to=2026-12-02', 'from'],
    ['no start', 'to=2026-12-01', 'from'],
    ['from after to', 'from=2026-12-02&to=2026-12-01', 'from'],
    ['a period over 366 days', 'from=2025-01-01&to=2026-01-02', 'to'],
    ['an unknown format', 'from=2026-12-01&to=2026-12-02&format=xml', 'format'],
    ['a queue name that cannot be one', 'from=2026-12-01&to=2026-12-02&queue=%20no', 'queue'],
    ['an unknown parameter', 'from=2026-12-01&to=2026-12-02&day=1', ''],
  ])('refuses %s with a 400 naming the parameter', async (_, query, path) => {
    const reply = await statsOf(query);
    expect(reply.status).toBe(400);
    expect(reply.type).toBe('application/problem+json');
    expect(reply.body.type).toBe('validation-error');
    const paths: string[] = reply.body.errors.map((e: any) => e.path);
    expect(
      paths.some((p) => p === path || (path !== '' && p.startsWith(`${path}.`))),
      paths.join(),
    ).toBe(true);
  });

  it('takes a whole year, leap day included, and refuses a queue that does not exist', async () => {
    expect((await statsOf('from=2028-01-01&to=2028-12-31')).status).toBe(200);
    const unknown = await statsOf(`from=2026-12-01&to=2026-12-02&queue=${uniqueName('nowhere')}`);
    expect(unknown.status).toBe(422);
    expect(unknown.body.type).toBe('unknown-queue');
  });
});

describe('the statistics screen', () => {
  it("shows a queue's numbers in its table and its charts, and downloads the same as CSV", async () => {
    const { queue, connectSeconds } = await drivenQueue();
    const { from, to, today } = around();
    const { page, context, problems } = await adminAt(browser, stack, '/admin/stats');
    try {
      await page.getByLabel('From', { exact: true }).fill(addDays(from, -11));
      await page.getByLabel('To (included)', { exact: true }).fill(to);
      await page.getByLabel('Queues', { exact: true }).selectOption(queue);
      await page.getByRole('button', { name: 'Show statistics' }).click();
      await saidAnswer(page, /statistics of 1 queue/);
      expect(new URL(page.url()).searchParams.getAll('queue')).toEqual([queue]);

      const table = page.getByRole('table', { name: new RegExp(`Statistics of ${queue} per day`) });
      const read = (row: string) =>
        table.evaluate((t, row) => {
          const headers = [...t.querySelectorAll('thead th')].map((th) => th.textContent);
          const line = row === 'total' ? t.querySelector('tfoot tr')! : t.querySelector(`tbody time[datetime="${row}"]`)!.closest('tr')!;
          return Object.fromEntries([...line.children].map((cell, i) => [headers[i], cell.textContent]));
        }, row);
      const seconds = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 }).format(connectSeconds);
      const expected = {
        Requested: '4',
        IVR: '1',
        Web: '2',
        Agent: '1',
        Admin: '0',
        API: '0',
        Completed: '1',
        Closed: '4',
        'Closed: closed-by-administrator': '3',
        'Success rate': '25%',
        'Attempts per completed': '1',
        Connected: '1',
        'Time to connect p50': connectSeconds < 60 ? `${seconds} s` : expect.stringMatching(/min/),
        'Offers refused': '1',
        'Offers timed out': '0',
        'Appointments booked': '1',
        'Appointments kept': '0',
        'Appointments missed': '1',
      };
      expect(await read('total')).toMatchObject({ Day: 'Total', ...expected });
      expect(await read(today)).toMatchObject(expected);
      expect(await read(from)).toMatchObject({ Requested: '0', 'Success rate': '—' });
      expect(await table.locator('tbody tr').count()).toBe(14);

      const volume = page.getByRole('img', { name: 'Requested and completed per day' });
      const bars = (series: string) =>
        volume.evaluate(
          (svg, series) =>
            [...svg.querySelectorAll(`rect[data-series="${series}"]`)].map((r) => [
              r.getAttribute('data-day'),
              Number(r.getAttribute('data-value')),
            ]),
          series,
        );
      const requested = await bars('requested');
      expect(requested).toHaveLength(14);
      expect(requested.filter(([, v]) => v !== 0)).toEqual([[today, 4]]);
      expect((await bars('completed')).filter(([, v]) => v !== 0)).toEqual([[today, 1]]);
      const connect = page.getByRole('img', { name: /Time to the customer connected/ });
      expect(await connect.locator(`circle[data-series="p50"][data-day="${today}"]`).getAttribute('data-value')).toBe(
        String(connectSeconds),
      );
      await adminShot(page, 'stats');

      const csvLink = page.getByRole('link', { name: 'Download the table (CSV)' });
      const href = (await csvLink.getAttribute('href'))!;
      const csv = await page.evaluate(async (href) => (await fetch(href)).text(), href);
      const fromApi = await statsOf(`${href.split('?')[1]}`);
      expect(csv).toBe(fromApi.body);
      expect(csv).toContain(`${queue},${ZONE},total,4,1,2,1,0,0,1,4,`);

      await page.getByLabel('To (included)', { exact: true }).fill(addDays(from, -400));
      await page.getByRole('button', { name: 'Show statistics' }).click();
      await saidRefusal(page, /400 validation-error.*from: is after to/);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('draws a month of history for the period and queue given in its address', async () => {
    const queue = await newQueue(stack.api);
    const { orgArea } = (await stack.api.get(`/v1/queues/${queue}`)).body;
    const today = localDateAt(new Date(), ZONE);
    const [from, to] = [addDays(today, -30), addDays(today, -1)];
    // Each day of the month a few records, at 09:00 in the morning: most completed after a wait
    // that grows and shrinks over the month, some closed by an administrator or after three tries.
    const requested: number[] = [];
    const completed: number[] = [];
    for (let d = 0; d < 30; d++) {
      const date = addDays(from, d);
      const n = 3 + ((d * 7) % 5);
      requested.push(n);
      completed.push(0);
      for (let k = 0; k < n; k++) {
        const created = Date.parse(`${date}T08:00:00.000Z`) + k * 1_200_000;
        const at = (seconds: number) => new Date(created + seconds * 1000).toISOString();
        const wait = 60 + ((d * 37 + k * 53) % 600) + (d % 10) * 30;
        let saves;
        if (k % 7 === 3)
          saves = [{ steps: [[at(30), 'closed', { reason: 'closed-by-administrator' }]], change: closedAs('closed-by-administrator', 0) }];
        else if (k % 5 === 4)
          saves = [1, 2, 3].map((attempt) => ({
            steps: [
              [at(wait * attempt), 'dialled', { attempt, outcome: 'no-answer' }],
              ...(attempt === 3 ? [[at(wait * attempt), 'closed', { reason: 'too-many-attempts' }]] : []),
            ],
            change: attempt === 3 ? closedAs('too-many-attempts', 3) : { attempts: attempt },
          }));
        else {
          completed[d]! += 1;
          saves = [
            { steps: [[at(wait), 'dialled', { attempt: 1, outcome: 'answered' }]], change: { attempts: 1 } },
            { steps: [[at(wait + 240), 'closed', { reason: 'completed' }]], change: closedAs('completed', 1) },
          ];
        }
        await writeLife(stack.sql, { queue, orgArea }, { channel: k % 3 === 0 ? 'web' : 'ivr', createdAt: at(0) }, saves as never);
      }
    }

    const { page, context, problems } = await adminAt(browser, stack, `/admin/stats?from=${from}&to=${to}&queue=${queue}`);
    try {
      await saidAnswer(page, /statistics of 1 queue/);
      expect(
        await page.getByLabel('Queues', { exact: true }).evaluate((s: any) => [...s.selectedOptions].map((o: any) => o.value)),
      ).toEqual([queue]);
      const volume = page.getByRole('img', { name: 'Requested and completed per day' });
      const bars = (series: string) =>
        volume.evaluate(
          (svg, series) => [...svg.querySelectorAll(`rect[data-series="${series}"]`)].map((r) => Number(r.getAttribute('data-value'))),
          series,
        );
      expect(await bars('requested')).toEqual(requested);
      expect(await bars('completed')).toEqual(completed);
      const table = page.getByRole('table', { name: new RegExp(`Statistics of ${queue} per day`) });
      const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
      await expect.poll(() => table.locator('tfoot td').first().textContent()).toBe(String(sum(requested)));
      expect(
        await page
          .getByRole('img', { name: /Success rate per day/ })
          .locator('circle')
          .count(),
      ).toBe(30);
      await adminShot(page, 'stats-month');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
