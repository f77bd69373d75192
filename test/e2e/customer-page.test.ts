// The customer's callback page (/callback) and self-service page (/callback/manage) in a real
// browser (Debian's Chromium), through the real stack: asking for a callback now, booking and
// moving and cancelling an appointment, refusals in words, Swedish and English, the proof of work
// the page API demands, and the security headers. Screenshots of each state go to test-artifacts/.
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEEKDAYS } from '../../domain/queue-config.js';
import { leadingZeroBits } from '../../domain/proof-of-work.js';
import { launchBrowser } from '../support/browser.js';
import { eventually, newQueue, recordWhen, startStack, uniqueName, type Stack } from '../support/stack.js';

const SHOTS = 'test-artifacts/customer-page';

/** A company's site that embeds the page with one script tag (on this machine: Chromium keeps public sites off loopback). */
async function startShop(apiUrl: () => string): Promise<{ origin: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const queue = new URL(req.url ?? '/', 'http://shop').searchParams.get('queue') ?? '';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><title>Shop</title><h1>Shop</h1><script src="${apiUrl()}/callback/embed.js" data-queue="${queue}" data-lang="sv"></script>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

let stack: Stack;
let browser: Browser;
let shop: Awaited<ReturnType<typeof startShop>>;
let EMBEDDING_SITE: string;
beforeAll(async () => {
  shop = await startShop(() => stack.apiUrl);
  EMBEDDING_SITE = shop.origin;
  // A few bits of work keep the test quick; the browser still has to find them.
  stack = await startStack({ env: { WEB_CHALLENGE_BITS: '10', CORS_ORIGINS: EMBEDDING_SITE } });
  browser = await launchBrowser();
  await mkdir(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await shop?.close();
});

const allDay = Object.fromEntries(WEEKDAYS.map((d) => [d, [{ from: '00:00', to: '24:00' }]]));
let phoneSeq = 0;
/** A national Swedish mobile number, as a customer types it. */
const nextPhone = () => {
  const n = String(1_000_000 + ((Date.now() + phoneSeq++) % 8_999_999)).padStart(7, '0');
  return { typed: `070-${n.slice(0, 3)} ${n.slice(3)}`, e164: `+4670${n}` };
};

/** A browser page that fails the test on any script error or refused (CSP) load. */
async function open(path: string, locale = 'en-GB'): Promise<{ page: Page; context: BrowserContext; problems: string[] }> {
  const context = await browser.newContext({ locale, timezoneId: 'Europe/Stockholm' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => {
    // A refused request shows as a console error too; the test asserts those answers itself.
    if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) problems.push(m.text());
  });
  await page.goto(`${stack.apiUrl}${path}`);
  return { page, context, problems };
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

async function recordsOf(phone: string) {
  const found = await stack.api.get(`/v1/callbacks?phone=${encodeURIComponent(phone)}`);
  expect(found.status).toBe(200);
  return found.body.items as any[];
}

async function fillCustomer(page: Page, phone: string) {
  await page.getByLabel('Phone number', { exact: true }).fill(phone);
  await page.getByLabel('Name (optional)').fill('Astrid Lind');
  await page.getByLabel('What is it about? (optional)').fill('My invoice');
  await page.getByRole('checkbox', { name: /I agree/ }).check();
}

describe('asking for a callback', () => {
  it('takes a callback now: the record is a web one in the chosen language, and the answer tells the expected wait', async () => {
    const queue = await newQueue(stack.api, { queue: { openingHours: allDay } });
    // Three recent acceptances, each about five minutes after due: the queue expects a wait of five minutes.
    const earlier = [];
    for (let i = 0; i < 3; i++) {
      const r = await stack.api.post('/v1/callbacks', { phone: nextPhone().e164, queue, channel: 'api' });
      earlier.push(r.body.id as string);
    }
    for (const id of earlier) await recordWhen(stack.api, id, (r) => r.stage === 'offered');
    for (let i = 0; i < 3; i++) expect((await stack.api.post(`/v1/queues/${queue}/next`, { agentId: `page-agent-${i}` })).status).toBe(200);
    for (const id of earlier) {
      await stack.sql`update callback_events set at = at - interval '300 seconds' where record_id = ${id} and type = 'due'`;
    }

    const { page, context, problems } = await open(`/callback?queue=${queue}`);
    await page.getByText('We are open now.').waitFor();
    await page.getByText('Expected wait for a call now: about 5 minutes.').waitFor();
    expect(await page.getByRole('radio', { name: 'As soon as possible' }).isChecked()).toBe(true);
    await shot(page, '1-form');

    const phone = nextPhone();
    await fillCustomer(page, phone.typed);
    await page.getByRole('button', { name: 'Call me back' }).click();
    await page.getByRole('heading', { name: 'Thank you!' }).waitFor();
    await page.getByText('We will call you as soon as we can, expected in about 5 minutes.').waitFor();
    const link = page.getByRole('link', { name: /Your personal link/ });
    expect(await link.getAttribute('href')).toMatch(/\/callback\/manage\?lang=en#token=[0-9a-f-]{36}\.\d+\.[\w-]{43}$/);
    await shot(page, '2-confirmed');

    const [record] = await recordsOf(phone.e164);
    expect(record).toMatchObject({
      channel: 'web',
      createdBy: 'web-page',
      language: 'en',
      phone: phone.e164,
      queue,
      comment: 'My invoice',
      // The browser's zone, for the agent's desk.
      contactData: { name: 'Astrid Lind', timeZone: 'Europe/Stockholm' },
      requestedAt: null,
    });

    // The same number again: the area avoids duplicates, and the page says so without telling anything of the first.
    expect((await stack.api.patch(`/v1/org-areas/${record.orgArea}`, { duplicatePolicy: 'avoid' })).status).toBe(200);
    await page.goto(`${stack.apiUrl}/callback?queue=${queue}`);
    await fillCustomer(page, phone.typed);
    await page.getByRole('button', { name: 'Call me back' }).click();
    await page.getByText('There is already a callback request for this number.').waitFor();
    expect(await page.getByRole('link', { name: /Your personal link/ }).count()).toBe(0);
    expect(await recordsOf(phone.e164)).toHaveLength(1);
    await shot(page, '3-duplicate');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('refuses in words: a queue not taking callbacks, and a call now while the queue is closed', async () => {
    const stopped = await newQueue(stack.api, { queue: { openingHours: allDay, acceptsCallbacks: false } });
    const { page, context, problems } = await open(`/callback?queue=${stopped}`);
    await page.getByRole('alert').getByText('We are not taking callback requests right now.').waitFor();
    expect(await page.getByRole('button', { name: 'Call me back' }).count()).toBe(0);
    await shot(page, '4-not-taking');
    const full = await newQueue(stack.api, { queue: { openingHours: allDay, maxActiveRecords: 0 } });
    await page.goto(`${stack.apiUrl}/callback?queue=${full}`);
    await page.getByRole('alert').getByText('We cannot take more callback requests today. Please try again tomorrow.').waitFor();

    // Open only on a weekday that is not today (in the queue's zone): closed now, opening that day at 09:00.
    const today = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Stockholm', weekday: 'long' }).format(new Date()).toLowerCase();
    const other = WEEKDAYS[(WEEKDAYS.indexOf(today as never) + 2) % 7]!;
    const closed = await newQueue(stack.api, { queue: { openingHours: { [other]: [{ from: '09:00', to: '17:00' }] } } });
    await page.goto(`${stack.apiUrl}/callback?queue=${closed}`);
    await page.getByText('We are closed now.').waitFor();
    const opens = new RegExp(`We open ${other} \\d{4}-\\d{2}-\\d{2} at 09:00 \\(Europe/Stockholm time\\)`, 'i');
    await page.getByText(opens).waitFor();
    // The page offers a chosen time first; asked for a call now anyway, it says when we open.
    expect(await page.getByRole('radio', { name: 'At a time I choose' }).isChecked()).toBe(true);
    await page.getByRole('radio', { name: 'As soon as possible' }).check();
    const phone = nextPhone();
    await fillCustomer(page, phone.typed);
    await page.getByRole('button', { name: 'Call me back' }).click();
    await page
      .getByRole('alert')
      .getByText(/We are closed now, so we cannot call you at once\. We open .* Choose a time instead\./)
      .waitFor();
    await shot(page, '5-closed');
    expect(await recordsOf(phone.e164)).toEqual([]);

    // At a chosen time it is taken, in the customer's own zone.
    await page.getByRole('radio', { name: 'At a time I choose' }).check();
    const at = new Date(Date.now() + 3 * 86_400_000);
    at.setSeconds(0, 0);
    const local = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', dateStyle: 'short', timeStyle: 'short' })
      .format(at)
      .replace(' ', 'T');
    await page.getByLabel('Date and time').fill(local);
    await page.getByRole('button', { name: 'Call me back' }).click();
    await page.getByText(/^We will call you /).waitFor();
    const [record] = await recordsOf(phone.e164);
    expect(record.requestedAt).toBe(at.toISOString());
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('booking an appointment', () => {
  it('books the preselected free slot, then the customer moves it and cancels it on the self-service page', async () => {
    const queue = await newQueue(stack.api, { queue: { openingHours: allDay } });
    const scheduleId = uniqueName('page');
    const hourly = Object.fromEntries(WEEKDAYS.map((d) => [d, { periods: [{ from: '08:00', to: '18:00' }], minutesPerAppointment: 60 }]));
    const created = await stack.api.post('/v1/schedules', {
      id: scheduleId,
      name: 'Advice',
      queue,
      timeZone: 'Europe/Stockholm',
      week: hourly,
      capacity: 1,
      minimumNoticeMinutes: 120,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const next = (await stack.api.get(`/v1/schedules/${scheduleId}/next-free-slot`)).body.slot;

    const { page, context, problems } = await open(`/callback?queue=${queue}&schedule=${scheduleId}`);
    expect(await page.getByRole('radio', { name: 'Book an appointment' }).isChecked()).toBe(true);
    const chosen = page.locator('input[name="slot"]:checked');
    await chosen.waitFor({ state: 'attached' });
    expect(await chosen.getAttribute('value')).toBe(next.start);
    await shot(page, '6-slots');

    const phone = nextPhone();
    await fillCustomer(page, phone.typed);
    await page.getByRole('button', { name: 'Call me back' }).click();
    await page.getByText(/^Your appointment: /).waitFor();
    const [booked] = await recordsOf(phone.e164);
    expect(booked).toMatchObject({ channel: 'web', language: 'en', requestedAt: next.start });
    await shot(page, '7-booked');

    await page.getByRole('link', { name: /Your personal link/ }).click();
    await page.getByRole('heading', { name: 'Your callback' }).waitFor();
    await page.getByText('Waiting to be called').waitFor();
    const firstOther = page.locator('input[name="slot"]:checked');
    await firstOther.waitFor({ state: 'attached' });
    const moveTo = (await firstOther.getAttribute('value'))!;
    expect(moveTo).not.toBe(next.start);
    await shot(page, '8-manage');
    await page.getByRole('button', { name: 'Move to this time' }).click();
    await page.getByText(/^Your callback has been moved to /).waitFor();
    await recordWhen(stack.api, booked.id, (r) => r.requestedAt === moveTo);

    await page.getByRole('button', { name: 'Cancel my callback' }).click();
    await page.getByText('Your callback is cancelled. We will not call you.').waitFor();
    await page.getByText('Cancelled', { exact: true }).waitFor();
    await shot(page, '9-cancelled');
    const closed = await recordWhen(stack.api, booked.id, (r) => r.status === 'Closed');
    expect(closed.closeReason).toBe('cancelled');

    // The link works no more once the callback has closed, and says so in words.
    const url = new URL(page.url());
    await page.reload();
    await page
      .getByRole('alert')
      .getByText('This link no longer works: the callback is closed or has expired. To be called again, please ask for a new callback.')
      .waitFor();
    expect(await page.getByRole('button', { name: 'Cancel my callback' }).isVisible()).toBe(false);
    await shot(page, '9b-link-expired');

    // A link that was tampered with, or cut short, says so in words.
    const token = url.hash.slice('#token='.length);
    const anotherRecord = (token[0] === 'a' ? 'b' : 'a') + token.slice(1);
    await page.goto(`${url.origin}${url.pathname}${url.search}#token=${anotherRecord}`);
    await page.reload();
    await page.getByRole('alert').getByText('This link no longer works: the callback has closed or the link has expired.').waitFor();
    await page.goto(`${url.origin}${url.pathname}`);
    await page.getByRole('alert').getByText('This link is incomplete. Please use the whole link you were given.').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('offers the next free time when the chosen slot was just taken', async () => {
    const queue = await newQueue(stack.api, { queue: { openingHours: allDay } });
    const scheduleId = uniqueName('page');
    const hourly = Object.fromEntries(WEEKDAYS.map((d) => [d, { periods: [{ from: '08:00', to: '18:00' }], minutesPerAppointment: 60 }]));
    expect(
      (
        await stack.api.post('/v1/schedules', {
          id: scheduleId,
          name: 'Advice',
          queue,
          week: hourly,
          capacity: 1,
          minimumNoticeMinutes: 120,
        })
      ).status,
    ).toBe(201);
    const { page, context, problems } = await open(`/callback?queue=${queue}&schedule=${scheduleId}`);
    const chosen = page.locator('input[name="slot"]:checked');
    await chosen.waitFor({ state: 'attached' });
    const first = (await chosen.getAttribute('value'))!;
    // Someone else takes it while the customer fills the form in.
    const taken = await stack.api.post(`/v1/schedules/${scheduleId}/bookings`, {
      slotStart: first,
      channel: 'ivr',
      phone: nextPhone().e164,
    });
    expect(taken.status).toBe(201);
    await fillCustomer(page, nextPhone().typed);
    await page.getByRole('button', { name: 'Call me back' }).click();
    await page
      .getByRole('alert')
      .getByText(/^That time was just taken\. The next free time is selected for you: /)
      .waitFor();
    await eventually(async () => ((await chosen.getAttribute('value')) !== first ? true : undefined));
    expect(Date.parse((await chosen.getAttribute('value'))!)).toBeGreaterThan(Date.parse(first));
    await shot(page, '10-slot-taken');
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('languages', () => {
  it("speaks Swedish to a Swedish browser and English to others, switches on request, and the record's language follows", async () => {
    const queue = await newQueue(stack.api, { queue: { openingHours: allDay } });
    const sv = await open(`/callback?queue=${queue}`, 'sv-SE');
    expect(await sv.page.getAttribute('html', 'lang')).toBe('sv');
    await sv.page.getByRole('heading', { name: 'Ring mig' }).waitFor();
    await sv.page.getByText('Vi har öppet nu.').waitFor();
    await shot(sv.page, '11-swedish');
    const phone = nextPhone();
    await sv.page.getByLabel('Telefonnummer', { exact: true }).fill(phone.typed);
    await sv.page.getByRole('checkbox', { name: /Jag godkänner/ }).check();
    await sv.page.getByRole('button', { name: 'Ring mig' }).click();
    await sv.page.getByRole('heading', { name: 'Tack!' }).waitFor();
    await sv.page.getByText('Vi ringer dig så snart vi kan.').waitFor();
    expect((await recordsOf(phone.e164))[0].language).toBe('sv');

    // The switch, and the choice remembered on the next page.
    await sv.page.goto(`${stack.apiUrl}/callback?queue=${queue}`);
    await sv.page.getByRole('link', { name: 'In English' }).click();
    await sv.page.getByRole('heading', { name: 'Call me back' }).waitFor();
    await sv.page.goto(`${stack.apiUrl}/callback?queue=${queue}`);
    await sv.page.getByRole('heading', { name: 'Call me back' }).waitFor();
    expect(sv.problems).toEqual([]);
    await sv.context.close();

    const en = await open(`/callback?queue=${queue}`, 'de-DE');
    expect(await en.page.getAttribute('html', 'lang')).toBe('en');
    await en.page.getByRole('link', { name: 'På svenska' }).click();
    await en.page.getByRole('heading', { name: 'Ring mig' }).waitFor();
    await en.context.close();

    const byHeader = await fetch(`${stack.apiUrl}/callback?queue=${queue}`, {
      headers: { 'accept-language': 'fr;q=0.9, sv;q=0.8, en;q=0.5' },
    });
    expect(await byHeader.text()).toContain('<html lang="sv">');
  });
});

describe('the page API', () => {
  const solve = (salt: string, bits: number) => {
    for (let nonce = 0; ; nonce++) {
      if (leadingZeroBits(createHash('sha256').update(`${salt}${nonce}`).digest()) >= bits) return String(nonce);
    }
  };
  const post = (body: Record<string, unknown>) =>
    fetch(`${stack.apiUrl}/callback/api/callbacks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('refuses a request without a solved challenge, and a challenge used twice', async () => {
    const queue = await newQueue(stack.api, { queue: { openingHours: allDay } });
    const challenge: any = await (await fetch(`${stack.apiUrl}/callback/api/challenge`)).json();
    expect(challenge).toMatchObject({ bits: 10 });
    const base = { queue, phone: nextPhone().e164, country: 'SE', language: 'en', consent: true };

    const none = await post(base);
    expect([none.status, ((await none.json()) as any).errors.map((e: any) => e.path)]).toEqual([400, ['challenge', 'nonce']]);
    let unsolved = '0';
    while (leadingZeroBits(createHash('sha256').update(`${challenge.salt}${unsolved}`).digest()) >= challenge.bits) unsolved += '1';
    const wrong = await post({ ...base, challenge, nonce: unsolved });
    expect([wrong.status, ((await wrong.json()) as any).type]).toEqual([403, 'challenge-failed']);
    const easier = await post({ ...base, challenge: { ...challenge, bits: 0 }, nonce: '0' });
    expect([easier.status, ((await easier.json()) as any).type]).toEqual([403, 'challenge-failed']);
    const forged = await post({
      ...base,
      challenge: { ...challenge, expires: challenge.expires + 3600 },
      nonce: solve(challenge.salt, 10),
    });
    expect([forged.status, ((await forged.json()) as any).type]).toEqual([403, 'challenge-failed']);

    const nonce = solve(challenge.salt, challenge.bits);
    const first = await post({ ...base, challenge, nonce });
    expect(first.status).toBe(201);
    expect((await first.json()) as any).toMatchObject({ duplicate: false, status: 'Open', selfServiceToken: expect.any(String) });
    const again = await post({ ...base, phone: nextPhone().e164, challenge, nonce });
    expect([again.status, ((await again.json()) as any).title]).toEqual([403, 'the challenge has been used already']);
    expect(await recordsOf(base.phone)).toHaveLength(1);

    const foreign = await fetch(`${stack.apiUrl}/callback/api/callbacks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ ...base, challenge, nonce }),
    });
    expect(foreign.status).toBe(403);
  });

  it('serves the pages under a strict Content-Security-Policy, with no inline script, framed only by allowed sites', async () => {
    const queue = await newQueue(stack.api, { queue: { openingHours: allDay } });
    for (const path of [`/callback?queue=${queue}`, '/callback/manage', '/callback?queue=no-such-queue']) {
      const res = await fetch(`${stack.apiUrl}${path}`);
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self';");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain(`frame-ancestors 'self' ${EMBEDDING_SITE}`);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      const html = await res.text();
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
      for (const [, attributes, body] of scripts) {
        expect(attributes).toMatch(/src="\/callback\/assets\/[\w.-]+\.js"/);
        expect(body).toBe('');
      }
      expect(html).not.toMatch(/\son[a-z]+=/i);
      expect(html).not.toMatch(/style=/);
    }
    const embed = await fetch(`${stack.apiUrl}/callback/embed.js`);
    expect(embed.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await embed.text()).toContain("document.createElement('iframe')");
    expect((await fetch(`${stack.apiUrl}/callback/assets/nothing.js`)).status).toBe(404);
  });

  it('puts the page on another site with one script tag', async () => {
    const queue = await newQueue(stack.api, { queue: { openingHours: allDay } });
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(`${shop.origin}/?queue=${queue}`);
    const frame = page.frameLocator('iframe[title="Ring mig"]');
    await frame.getByRole('heading', { name: 'Ring mig' }).waitFor();
    await shot(page, '12-embedded');
    await context.close();
  });
});
