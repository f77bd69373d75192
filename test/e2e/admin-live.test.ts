// The supervisor's live view: GET /v1/live/queues against records the tests made, its event
// stream (the figures at once, again on a change, the end with the session), and /admin/live in a
// real browser following a record from scheduled to due and an agent's presence without a reload.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminAt, adminPerson, adminShot, ADMIN_PASSWORD, saidRefusal, signInAsAdmin } from '../support/admin-console.js';
import { agentDesk } from '../support/agent-desks.js';
import { launchBrowser } from '../support/browser.js';
import { openEventStream, type EventStream } from '../support/event-stream.js';
import { sessionClient } from '../support/session-client.js';
import { liveQueuesSchema, WAITS_EVERY_MS } from '../../services/live-queues.js';
import { newQueue, recordWhen, startStack, type Stack } from '../support/stack.js';

let stack: Stack;
let browser: Browser;
const streams: EventStream[] = [];
beforeAll(async () => {
  // Streams check their session at each keep-alive: quickly here.
  stack = await startStack({ env: { AGENT_STREAM_KEEPALIVE_MS: '500' } });
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const s of streams) s.close();
  await browser?.close();
  await stack?.stop();
});

/** What the page shows within a few ticks of the figures (one a second). */
const SOON = { timeout: 10_000 };
const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();

async function request(queue: string, extra: Record<string, unknown> = {}): Promise<any> {
  const created = await stack.api.post('/v1/callbacks', { phone: '070-123 45 67', queue, channel: 'api', ...extra });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}

/**
 * A queue of one place (gate size 1) whose agent is in the directory but offline: records are
 * pushed to agents, and with nobody available an offered record stays offered, holding the place;
 * the next one due waits for room. Its area's id and the agent come along.
 */
async function fullQueue() {
  const queue = await newQueue(stack.api, { queue: { gateSize: 1 } });
  const orgArea = (await stack.api.get(`/v1/queues/${queue}`)).body.orgArea as string;
  const agent = await agentDesk(stack, [queue], streams, { listen: false });
  const offered = await request(queue);
  await recordWhen(stack.api, offered.id, (r) => r.stage === 'offered');
  return { queue, orgArea, agent, offered };
}

const figuresOf = async (query: string) => {
  const reply = await stack.api.get(`/v1/live/queues${query}`);
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  // Exactly the published shape (strict: no field more).
  return liveQueuesSchema.parse(reply.body);
};

describe('GET /v1/live/queues', () => {
  it("counts the queue's open records by stage, the oldest waits and the gate's use", async () => {
    const { queue, orgArea, agent, offered } = await fullQueue();
    const due = await request(queue);
    await recordWhen(stack.api, due.id, (r) => r.stage === 'due');
    await request(queue, { requestedAt: inSeconds(3600) });
    const paused = await request(queue, { requestedAt: inSeconds(7200) });
    await recordWhen(stack.api, paused.id, (r) => r.version >= 2);
    expect((await stack.api.post(`/v1/callbacks/${paused.id}/pause`)).status).toBe(200);
    const closed = await request(queue, { requestedAt: inSeconds(7200) });
    await recordWhen(stack.api, closed.id, (r) => r.version >= 2);
    expect((await stack.api.post(`/v1/callbacks/${closed.id}/close`)).status).toBe(200);
    await recordWhen(stack.api, paused.id, (r) => r.stage === 'paused');
    await recordWhen(stack.api, closed.id, (r) => r.status === 'Closed');
    const offeredNow = await recordWhen(stack.api, offered.id, () => true);
    const dueNow = await recordWhen(stack.api, due.id, () => true);

    const expected = {
      queue,
      orgArea,
      records: { scheduled: 1, due: 1, offered: 1, withAgent: 0, paused: 1 },
      oldestDueAt: dueNow.dueAt,
      oldestOfferedAt: offeredNow.dueAt,
      expectedWaitSeconds: null,
      gate: { holders: 1, size: 1 },
    };
    await expect.poll(async () => (await figuresOf(`?queues=${queue}`)).queues).toEqual([expected]);
    // The same by its area, and for an integration (a wallboard); the queue status agrees.
    expect((await figuresOf(`?orgArea=${orgArea}`)).queues).toEqual([expected]);
    const wallboard = await stack.as('integration').get(`/v1/live/queues?queues=${queue},${queue}`);
    expect(wallboard.body.queues).toEqual([expected]);
    expect((await stack.api.get(`/v1/queues/${queue}/status`)).body.records).toEqual(expected.records);

    // The agent takes the offered record: it is with an agent, still holding the one place.
    expect((await agent.api.post(`/v1/callbacks/${offered.id}/accept`, {})).status).toBe(200);
    await recordWhen(stack.api, offered.id, (r) => r.stage === 'connected');
    await expect
      .poll(async () => (await figuresOf(`?queues=${queue}`)).queues[0])
      .toMatchObject({ records: { due: 1, offered: 0, withAgent: 1 }, oldestOfferedAt: null, gate: { holders: 1, size: 1 } });
  });

  it('gives the expected wait the queue status gives, from the last hour of acceptances', async () => {
    const queue = await newQueue(stack.api);
    const asap = [await request(queue), await request(queue), await request(queue)];
    for (const r of asap) await recordWhen(stack.api, r.id, (x) => x.stage === 'offered');
    for (let i = 0; i < 3; i++) expect((await stack.api.post(`/v1/queues/${queue}/next`, { agentId: `agent-${i}` })).status).toBe(200);
    // Waits of about half a minute, one minute and ten: their median is one minute.
    for (const [record, seconds] of asap.map((r, i) => [r, [30, 60, 600][i]!] as const)) {
      await stack.sql`update callback_events set at = at - make_interval(secs => ${seconds}) where record_id = ${record.id} and type = 'due'`;
    }
    const status = (await stack.api.get(`/v1/queues/${queue}/status`)).body;
    expect(status.expectedWaitSeconds).toBeGreaterThanOrEqual(60);
    expect(status.expectedWaitSeconds).toBeLessThan(90);
    // The expected waits are read again every 15 s.
    await expect
      .poll(async () => (await figuresOf(`?queues=${queue}`)).queues[0]?.expectedWaitSeconds, { timeout: WAITS_EVERY_MS + 5_000 })
      .toBe(status.expectedWaitSeconds);
  });

  it('refuses a choice of queues it cannot read, and names what is wrong', async () => {
    const queue = await newQueue(stack.api);
    const unknown = await stack.api.get(`/v1/live/queues?queues=${queue},no-such-queue-here`);
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ type: 'unknown-queue', title: 'no queue named no-such-queue-here' });
    expect((await stack.api.get('/v1/live/queues?orgArea=no-such-area-here')).body.type).toBe('unknown-org-area');
    for (const query of ['?queues=', '?queues=a%20b', '?orgArea=%2Fx', '?queue=x', `?queues=${Array(101).fill(queue).join(',')}`]) {
      const bad = await stack.api.get(`/v1/live/queues${query}`);
      expect(bad.status, query).toBe(400);
      expect(bad.body.type, query).toBe('validation-error');
    }
    expect((await stack.as('agent').get('/v1/live/queues')).status).toBe(403);
    const refused = await openEventStream(`${stack.apiUrl}/v1/live/queues/events?queues=no-such-queue-here`, {
      authorization: `Bearer ${stack.keys.admin}`,
    });
    expect(refused.status).toBe(422);
  });
});

describe('GET /v1/live/queues/events', () => {
  it('sends the figures at once, again when they change and not while they do not', async () => {
    const queue = await newQueue(stack.api, { queue: { gateSize: 2 } });
    const events = await openEventStream(`${stack.apiUrl}/v1/live/queues/events?queues=${queue}`, {
      authorization: `Bearer ${stack.keys.integration}`,
    });
    streams.push(events);
    expect(events.status).toBe(200);
    const first = await events.next('queues');
    expect(first.data.queues).toEqual([
      {
        queue,
        orgArea: expect.any(String),
        records: { scheduled: 0, due: 0, offered: 0, withAgent: 0, paused: 0 },
        oldestDueAt: null,
        oldestOfferedAt: null,
        expectedWaitSeconds: null,
        gate: { holders: 0, size: 2 },
      },
    ]);
    expect(Date.now() - Date.parse(first.data.at)).toBeLessThan(5_000);

    const record = await request(queue, { requestedAt: inSeconds(3600) });
    const scheduled = await events.next('queues', (d) => d.queues[0].records.scheduled === 1, { from: 1 });
    await recordWhen(stack.api, record.id, (r) => r.version >= 2);
    // The figures are looked at every second; three go by without a change, and without an event.
    const seen = events.events.length;
    await new Promise((r) => setTimeout(r, 3_000));
    expect(events.events.slice(seen)).toEqual([]);
    expect(scheduled.data.queues[0].gate).toEqual({ holders: 0, size: 2 });

    expect((await stack.api.post(`/v1/callbacks/${record.id}/pause`)).status).toBe(200);
    await events.next('queues', (d) => d.queues[0].records.paused === 1 && d.queues[0].records.scheduled === 0, { from: seen });
  });

  it("ends a signed-in person's stream when the session ends", async () => {
    const queue = await newQueue(stack.api);
    const person = sessionClient(stack.apiUrl);
    expect((await person.signIn(await adminPerson(stack), ADMIN_PASSWORD)).status).toBe(200);
    const cookie = [...person.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const events = await openEventStream(`${stack.apiUrl}/v1/live/queues/events?queues=${queue}`, { cookie });
    streams.push(events);
    expect(events.status).toBe(200);
    await events.next('queues');
    expect((await person.send('DELETE', '/v1/session', { headers: person.withCsrf() })).status).toBe(204);
    expect((await events.next('ended')).data).toEqual({ reason: 'session-ended' });
    await events.ended;
    const again = await openEventStream(`${stack.apiUrl}/v1/live/queues/events?queues=${queue}`, { cookie });
    expect(again.status).toBe(401);
  });
});

/** The row of `table` whose heading cell is `key`, as { column heading: cell text }; {} while there is none. */
async function rowOf(page: Page, table: string, key: string): Promise<Record<string, string>> {
  const headings = await page.locator(`#${table} thead th`).allTextContents();
  const row = page.locator(`#${table} tbody tr`).filter({ has: page.getByRole('rowheader', { name: key, exact: true }) });
  if ((await row.count()) !== 1) return {};
  const cells = await row.locator('th, td').allTextContents();
  return Object.fromEntries(cells.map((text, i) => [headings[i], text]));
}

describe('/admin/live', () => {
  it("shows a queue's counts, a record moving from scheduled to due and an agent's presence, without a reload", async () => {
    const { queue, agent, offered } = await fullQueue();
    await request(queue, { requestedAt: inSeconds(8) });
    const { page, context, problems, adminId } = await adminAt(browser, stack, `/admin/live?queues=${queue}`);
    await page.getByRole('heading', { name: 'Queues' }).waitFor();
    await page.getByRole('table', { name: 'Records per queue, by stage' }).waitFor();
    await expect
      .poll(() => rowOf(page, 'live-queues-table', queue))
      .toMatchObject({
        Scheduled: '1',
        Due: '0',
        Offered: '1',
        'With an agent': '0',
        Paused: '0',
        'Gate in use': '1 of 1',
        'Expected wait': 'not known yet',
      });
    expect(await page.getByLabel('Queues (names, separated by commas)').inputValue()).toBe(queue);
    // Marks this page: a reload would lose the mark.
    await page.evaluate('window.notReloaded = true');

    // Its time comes, and with the one place taken it waits for room.
    await expect.poll(() => rowOf(page, 'live-queues-table', queue), { timeout: 30_000 }).toMatchObject({ Scheduled: '0', Due: '1' });
    const waiting = (await rowOf(page, 'live-queues-table', queue))['Longest wait (due)'];
    expect(waiting).toMatch(/^\d\d:\d\d$/);
    await expect.poll(async () => (await rowOf(page, 'live-queues-table', queue))['Longest wait (due)'], SOON).not.toBe(waiting);

    await expect.poll(async () => (await rowOf(page, 'live-agents-table', agent.id)).State, SOON).toBe('Offline');
    const crm = stack.as('integration');
    expect((await crm.put(`/v1/agents/${agent.id}/presence`, { state: 'away', reason: 'training' })).status).toBe(200);
    await expect
      .poll(() => rowOf(page, 'live-agents-table', agent.id), SOON)
      .toMatchObject({ State: 'Away', Reason: 'training', Queues: queue });
    const inState = (await rowOf(page, 'live-agents-table', agent.id))['Time in state'];
    expect(inState).toMatch(/^00:0\d$/);
    await expect.poll(async () => (await rowOf(page, 'live-agents-table', agent.id))['Time in state'], SOON).not.toBe(inState);

    // Another agent of the queue becomes available: the offered record is pushed to them.
    const bo = await agentDesk(stack, [queue], streams, { listen: false });
    expect((await crm.put(`/v1/agents/${bo.id}/presence`, { state: 'available' })).status).toBe(200);
    await expect.poll(() => rowOf(page, 'live-agents-table', bo.id), SOON).toMatchObject({ State: 'Offered a record', Record: offered.id });
    expect(await page.getByRole('link', { name: offered.id }).getAttribute('href')).toBe(`/admin/records/${offered.id}`);

    expect(await page.evaluate('window.notReloaded')).toBe(true);
    await expect.poll(() => page.locator('#live-stream').textContent(), SOON).toMatch(/^Live: figures of /);
    await adminShot(page, 'live');

    // The session ends (here: the account's sessions are gone, as when it is deactivated): the
    // streams end, the sign-in form comes back, and the view starts again once signed in.
    await stack.sql`delete from sessions where person_id = ${adminId}`;
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await saidRefusal(page, /Your session has ended/);
    await signInAsAdmin(page, adminId);
    await expect.poll(() => page.locator('#live-stream').textContent(), SOON).toMatch(/^Live: figures of /);
    await request(queue);
    await expect.poll(() => rowOf(page, 'live-queues-table', queue), SOON).toMatchObject({ Due: '2', Offered: '1' });
    expect(await page.evaluate('window.notReloaded')).toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('says in words why it shows nothing for a queue that does not exist, in Swedish too', async () => {
    const { page, context, problems } = await adminAt(browser, stack, '/admin/live?queues=no-such-queue-here');
    await saidRefusal(page, /Refused \(422 unknown-queue\).*no queue named no-such-queue-here/);
    await page.getByRole('link', { name: 'På svenska' }).click();
    await saidRefusal(page, /Nekades \(422 unknown-queue\)/);
    expect(await page.getByRole('heading', { name: 'Köer' }).count()).toBe(1);
    expect(problems).toEqual([]);
    await context.close();
  });
});
