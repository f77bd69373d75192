// The agent's desk (/agent) in a real browser (Debian's Chromium), through the real stack: an
// agent signs in, goes available, gets a callback pushed over the event stream, accepts it, sees
// the call connect (simulated dialler), wraps up; refuses one that then goes to the next agent; the
// same flow with the keyboard alone; and a lost event stream that shows a banner and reconnects.
// Screenshots of each state go to test-artifacts/agent-desk.
import { mkdir } from 'node:fs/promises';
import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEEKDAYS } from '../../domain/queue-config.js';
import { createApiKey } from '../../db/api-keys.js';
import { launchBrowser } from '../support/browser.js';
import { openEventStream, type EventStream } from '../support/event-stream.js';
import { eventually, newQueue, recordWhen, startStack, uniqueName, type Stack } from '../support/stack.js';

const SHOTS = 'test-artifacts/agent-desk';
const PASSWORD = 'correct horse battery staple';

let stack: Stack;
let browser: Browser;
const streams: EventStream[] = [];
beforeAll(async () => {
  stack = await startStack({ ringMs: 300 });
  browser = await launchBrowser();
  await mkdir(SHOTS, { recursive: true });
});
afterAll(async () => {
  for (const s of streams) s.close();
  await browser?.close();
  await stack?.stop();
});

const allDay = Object.fromEntries(WEEKDAYS.map((d) => [d, [{ from: '00:00', to: '24:00' }]]));
const openQueue = (offerTimeoutSeconds = 120) =>
  newQueue(stack.api, { queue: { openingHours: allDay, offerTimeoutSeconds, timeZone: 'Europe/Stockholm' } });

/** An agent in the directory serving `queues`, with an account and a password. */
async function agent(queues: string[]): Promise<string> {
  const id = uniqueName('desk');
  const made = await stack.api.post('/v1/agents', { id, displayName: `Agent ${id}`, queues: queues.map((queue) => ({ queue })) });
  expect(made.status).toBe(201);
  expect((await stack.api.post('/v1/people', { id, role: 'agent', password: PASSWORD })).status).toBe(201);
  return id;
}

let phoneSeq = 0;
/** A number the simulated dialler answers (it does not end in 0001-0006). */
const phone = () => `+4670${String(1_000_000 + ((Date.now() + phoneSeq++) % 8_000_000)).slice(0, 6)}9`;

async function request(queue: string, extra: Record<string, unknown> = {}): Promise<string> {
  const created = await stack.as('ivr').post('/v1/callbacks', { phone: phone(), queue, channel: 'ivr', ...extra });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id;
}

/**
 * The network between the browser and the API: a TCP relay that the test can cut (every open
 * connection dropped, new ones refused) and mend, as a desk's Wi-Fi or a proxy would.
 */
async function startLine(target: () => string) {
  let down = false;
  const open = new Set<Socket>();
  const server = createServer((client) => {
    if (down) return void client.destroy();
    const { hostname, port } = new URL(target());
    const upstream = connect(Number(port), hostname);
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    cut() {
      down = true;
      for (const s of open) s.destroy();
    },
    mend() {
      down = false;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The desk in a fresh browser: fails the test on any script error or refused (CSP) load. */
async function openDesk(locale = 'en-GB', base?: string): Promise<{ page: Page; context: BrowserContext; problems: string[] }> {
  const context = await browser.newContext({ locale, timezoneId: 'Europe/London' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => {
    // A refused request, or a stream cut off on purpose, shows as a console error too; the tests assert those themselves.
    if (
      m.type() === 'error' &&
      !/status of 4\d\d|ERR_CONNECTION|ERR_SOCKET_NOT_CONNECTED|ERR_EMPTY_RESPONSE|ERR_INCOMPLETE_CHUNKED_ENCODING|Failed to fetch/.test(
        m.text(),
      )
    )
      problems.push(m.text());
  });
  await page.goto(`${base ?? stack.apiUrl}/agent`);
  return { page, context, problems };
}

async function signIn(page: Page, id: string) {
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('User name').fill(id);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText(`Signed in as Agent ${id}`).waitFor();
}

const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });

async function historyOf(id: string) {
  return (await recordWhen(stack.api, id, () => true)).history as { type: string; actor: string; detail: any }[];
}

describe('the agent desk', () => {
  it('takes a pushed callback: the offer with its countdown and details, accepted, the call connected, wrapped up, closed', async () => {
    const queue = await openQueue();
    const id = await agent([queue]);
    const { page, context, problems } = await openDesk();
    await shot(page, '1-sign-in');
    // A wrong password reads as a sentence, not as the API's answer.
    await page.getByLabel('User name').fill(id);
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('The user name or password is wrong.').waitFor();
    await signIn(page, id);

    // The queue's list: one appointment later today (upcoming), one waiting now (due) while the agent is away.
    await page.getByRole('button', { name: 'Away' }).click();
    await page.locator('#state').getByText('Away', { exact: true }).waitFor();
    const later = await request(queue, {
      requestedAt: new Date(Date.now() + 3 * 3600_000).toISOString(),
      contactData: { name: 'Later Larsson' },
    });
    const now = await request(queue, {
      comment: 'About the invoice of March',
      language: 'sv',
      customerId: 'C-1234',
      contactData: { name: 'Astrid Lind', email: 'astrid@example.com' },
    });
    await recordWhen(stack.api, now, (r) => r.stage === 'offered');
    await recordWhen(stack.api, later, (r) => r.stage === 'waiting');
    await page.getByRole('heading', { name: 'Upcoming: 1' }).waitFor();
    await page.getByRole('heading', { name: 'Due: 1' }).waitFor();
    await page
      .getByRole('list', { name: `${queue}: Upcoming` })
      .getByText(/Later Larsson/)
      .waitFor();
    await shot(page, '2-away-with-queues');

    // Available: the waiting record is pushed at once.
    await page.getByRole('button', { name: 'Available', exact: true }).click();
    await page.getByRole('heading', { name: 'A callback for you' }).waitFor();
    expect(await page.locator('#countdown').textContent()).toMatch(/^0[0-2]:\d\d$/);
    const facts = page.locator('#record');
    await facts.getByText('Astrid Lind').waitFor();
    await facts.getByText('About the invoice of March').waitFor();
    await facts.getByText('email: astrid@example.com').waitFor();
    await facts.getByText('As soon as possible').waitFor();
    expect(await page.locator('#r-language').textContent()).toBe('sv');
    expect(await page.locator('#r-attempt').textContent()).toBe('1 of 3');
    expect(await page.locator('#r-phone').textContent()).toMatch(/^\+4670\d{7}$/);
    await page.locator('#r-history li', { hasText: 'offered' }).first().waitFor();
    await page.locator('#state').getByText('Offered a callback').waitFor();
    await shot(page, '3-offer');

    await page.getByRole('button', { name: 'Accept (A)' }).click();
    await page.getByRole('heading', { name: 'The call' }).waitFor();
    await page.locator('#call-stage').getByText('Connected').waitFor();
    await page.locator('#state').getByText('On a call').waitFor();
    await shot(page, '4-connected');
    await page.getByRole('button', { name: 'The call has ended: wrap up' }).click();
    await page.getByRole('heading', { name: 'Wrap-up' }).waitFor();
    await page.locator('#r-history li', { hasText: `accepted · agent:${id}` }).waitFor();
    await shot(page, '5-wrap-up');
    expect(await page.getByRole('radio', { name: 'Completed' }).isChecked()).toBe(true);
    await page.getByLabel('Comment', { exact: true }).fill('Invoice explained');
    await page.getByRole('button', { name: 'Finish wrap-up' }).click();
    await page.getByRole('status').getByText('Wrap-up done.').waitFor();
    await page.locator('#state').getByText('Available').waitFor();
    expect(await page.getByRole('heading', { name: 'Wrap-up' }).isVisible()).toBe(false);

    const closed = await recordWhen(stack.api, now, (r) => r.status === 'Closed');
    expect(closed.closeReason).toBe('completed');
    const history = await historyOf(now);
    expect(history.filter((e) => e.type === 'accepted').map((e) => e.actor)).toEqual([`agent:${id}`]);
    expect(history.find((e) => e.type === 'feedback')).toMatchObject({
      actor: `agent:${id}`,
      detail: expect.objectContaining({ outcome: 'completed', comment: 'Invoice explained' }),
    });
    // A session that ends meanwhile (here: removed, as an administrator's password reset does) brings the sign-in back, in words.
    await stack.sql`delete from sessions where person_id = ${id}`;
    await page.getByRole('alert').getByText('You are signed out (the session ended). Please sign in again.').waitFor();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await signIn(page, id);

    // Signing out leaves the desk, and the agent takes no more records.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect((await stack.api.get(`/v1/agents/${id}/presence`)).body.state).toBe('offline');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('takes a callback a customer asked for on the callback page: pushed, accepted, connected, wrapped up, closed', async () => {
    const queue = await openQueue();
    const id = await agent([queue]);
    const desk = await openDesk();
    await signIn(desk.page, id);
    await desk.page.getByRole('button', { name: 'Available', exact: true }).click();
    await desk.page.locator('#state').getByText('Available').waitFor();

    // The customer, on the company's page, in their own browser.
    const customer = await browser.newContext({ locale: 'en-GB', timezoneId: 'Europe/Stockholm' });
    const web = await customer.newPage();
    await web.goto(`${stack.apiUrl}/callback?queue=${queue}`);
    const number = phone();
    await web.getByLabel('Phone number', { exact: true }).fill(number);
    await web.getByLabel('Name (optional)').fill('Bertil Berg');
    await web.getByLabel('What is it about? (optional)').fill('My parcel');
    await web.getByRole('checkbox', { name: /I agree/ }).check();
    await web.getByRole('button', { name: 'Call me back' }).click();
    await web.getByRole('heading', { name: 'Thank you!' }).waitFor();

    // The agent's desk gets it pushed, with what the customer wrote.
    await desk.page.getByRole('heading', { name: 'A callback for you' }).waitFor();
    await desk.page.locator('#record').getByText('Bertil Berg').waitFor();
    await desk.page.locator('#record').getByText('My parcel').waitFor();
    await desk.page.getByRole('button', { name: 'Accept (A)' }).click();
    await desk.page.locator('#call-stage').getByText('Connected').waitFor();
    await desk.page.getByRole('button', { name: 'The call has ended: wrap up' }).click();
    await desk.page.getByRole('button', { name: 'Finish wrap-up' }).click();
    await desk.page.getByRole('status').getByText('Wrap-up done.').waitFor();

    const [made] = (await stack.api.get(`/v1/callbacks?phone=${encodeURIComponent(number)}`)).body.items;
    expect(made).toMatchObject({ channel: 'web', queue, comment: 'My parcel' });
    const closed = await recordWhen(stack.api, made.id, (r) => r.status === 'Closed');
    expect(closed.closeReason).toBe('completed');
    const history = await historyOf(made.id);
    expect(history.map((e) => e.type)).toEqual(
      expect.arrayContaining(['requested', 'offered', 'accepted', 'dialling', 'dialled', 'feedback', 'closed']),
    );
    expect(history.filter((e) => e.type === 'accepted').map((e) => e.actor)).toEqual([`agent:${id}`]);
    expect(history.find((e) => e.type === 'feedback')).toMatchObject({
      actor: `agent:${id}`,
      detail: expect.objectContaining({ outcome: 'completed' }),
    });
    expect(desk.problems).toEqual([]);
    await customer.close();
    await desk.context.close();
  });

  it('refuses with a reason from the list: the record goes to the next agent', async () => {
    const queue = await openQueue();
    const anna = await agent([queue]);
    const bert = await agent([queue]);
    const { page, context, problems } = await openDesk();
    await signIn(page, anna);
    await page.getByRole('button', { name: 'Available', exact: true }).click();
    await page.locator('#state').getByText('Available').waitFor();
    // Bert listens on his own stream and becomes available after Anna: she is offered first.
    const token = await createApiKey(stack.sql, { name: `token.${bert}`, role: 'agent', agentId: bert, createdBy: 'tests' });
    const headers = { authorization: `Bearer ${token.key}` };
    const bertEvents = await openEventStream(`${stack.apiUrl}/v1/agents/me/events`, headers);
    streams.push(bertEvents);
    expect((await stack.api.put(`/v1/agents/${bert}/presence`, { state: 'available' })).status).toBe(200);

    // A time chosen by a customer whose zone the record does not tell: the desk says so, and shows the queue's.
    const id = await request(queue, { contactData: { name: 'Refused Rune' }, requestedAt: new Date(Date.now() + 2000).toISOString() });
    await page.getByRole('heading', { name: 'A callback for you' }).waitFor();
    await page.locator('#record').getByText('Refused Rune').waitFor();
    await page
      .locator('#r-requested')
      .getByText(/\(your time\)$/)
      .waitFor();
    await page
      .locator('#r-requested')
      .getByText(/The customer’s time zone is not known; in the queue’s zone, Europe\/Stockholm: /)
      .waitFor();
    await page.getByLabel('Reason for refusing').selectOption({ label: 'I do not speak the language' });
    await page.getByRole('button', { name: 'Refuse (R)' }).click();
    await bertEvents.next('offer', (d) => d.reservation.recordId === id);
    await page.locator('#state').getByText('Available').waitFor();
    expect(await page.getByRole('heading', { name: 'A callback for you' }).isVisible()).toBe(false);
    const refused = (await historyOf(id)).filter((e) => e.type === 'refused');
    expect(refused).toEqual([
      expect.objectContaining({ actor: `agent:${anna}`, detail: expect.objectContaining({ reason: 'I do not speak the language' }) }),
    ]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('works with the keyboard alone, in Swedish', async () => {
    const queue = await openQueue();
    const id = await agent([queue]);
    const { page, context, problems } = await openDesk('sv-SE');
    await page.getByRole('heading', { name: 'Logga in' }).waitFor();
    /** Tab (forwards) until the control has the focus: how a keyboard user gets there. */
    const tabTo = async (name: string, role: 'button' | 'textbox' | 'radio' = 'button') => {
      const focused = page.locator(':focus').and(page.getByRole(role, { name, exact: true }));
      for (let i = 0; i < 40; i++) {
        if ((await focused.count()) === 1) return;
        await page.keyboard.press('Tab');
      }
      throw new Error(`no focus on ${name} after 40 tabs`);
    };
    await tabTo('Användarnamn', 'textbox');
    await page.keyboard.type(id);
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByText(`Inloggad som Agent ${id}`).waitFor();
    // The desk puts the focus on "available".
    await tabTo('Tillgänglig');
    await page.keyboard.press('Enter');
    await page.locator('#state').getByText('Tillgänglig').waitFor();

    const record = await request(queue, { contactData: { name: 'Kalle Tangentbord' } });
    await page.getByRole('heading', { name: 'En uppringning till dig' }).waitFor();
    await page.locator('#record').getByText('Kalle Tangentbord').waitFor();
    await page.keyboard.press('a');
    await page.locator('#call-stage').getByText('Kopplat').waitFor();
    await tabTo('Samtalet är slut: efterarbete');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Efterarbete' }).waitFor();
    await tabTo('Avsluta efterarbetet');
    await page.keyboard.press('Enter');
    await page.getByRole('status').getByText('Efterarbetet är klart.').waitFor();
    const closed = await recordWhen(stack.api, record, (r) => r.status === 'Closed');
    expect(closed.closeReason).toBe('completed');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows a banner while the event stream is lost, reconnects, and the offer made meanwhile arrives', async () => {
    const queue = await openQueue();
    const id = await agent([queue]);
    const line = await startLine(() => stack.apiUrl);
    const { page, context, problems } = await openDesk('en-GB', line.url);
    await signIn(page, id);
    await page.getByRole('button', { name: 'Available', exact: true }).click();
    await page.locator('#state').getByText('Available').waitFor();
    const banner = page.getByRole('alert').getByText('The connection to the server is lost. Reconnecting…');
    expect(await banner.isVisible()).toBe(false);

    line.cut();
    await banner.waitFor();
    await shot(page, '6-connection-lost');
    // While the desk hears nothing, a callback is reserved for the agent: the stream tells it on reconnecting.
    const record = await request(queue, {
      contactData: { name: 'Nora York', timeZone: 'America/New_York' },
      language: 'en',
      requestedAt: new Date(Date.now() + 2000).toISOString(),
    });
    await eventually(async () => ((await stack.api.get(`/v1/agents/${id}/presence`)).body.state === 'offered' ? true : undefined));
    line.mend();
    await banner.waitFor({ state: 'hidden' });
    await page.getByRole('heading', { name: 'A callback for you' }).waitFor();
    await page.locator('#record').getByText('Nora York').waitFor();
    await page
      .locator('#r-requested')
      .getByText(/\(customer’s time, America\/New_York\)$/)
      .waitFor();

    // The customer's zone is in the record: the new time is picked in it, and goes to the agent's own list.
    await page.keyboard.press('a');
    await page.locator('#call-stage').getByText('Connected').waitFor();
    await page.getByRole('button', { name: 'The call has ended: wrap up' }).click();
    await page.getByRole('radio', { name: 'Call again later' }).check();
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('New time (customer’s time, America/New_York)').fill(`${tomorrow}T10:30`);
    await page.getByLabel('To my own waiting list').check();
    await page.getByRole('button', { name: 'Finish wrap-up' }).click();
    await page.getByRole('status').getByText('Wrap-up done.').waitFor();
    const again = await recordWhen(stack.api, record, (r) => r.stage === 'waiting');
    // 10:30 in New York, whatever the agent's own zone (London here).
    const inNewYork = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'America/New_York',
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    }).formatToParts(new Date(again.dueAt));
    const part = (type: string) => inNewYork.find((p) => p.type === type)?.value;
    expect(`${part('year')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}`).toBe(`${tomorrow}T10:30`);
    expect(again.waitingListOf).toBe(id);
    await page
      .getByRole('list', { name: 'My own waiting list' })
      .getByText(/Nora York/)
      .waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });
});
