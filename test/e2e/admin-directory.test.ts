// The directory's screens of the admin console in a real browser, through the real stack: a
// schedule made in the screen shows its coming slots with a slot booked through the API counted
// as taken; an agent and their account made in the screen can sign in; an API key made in the
// screen is shown once, works, and is refused once revoked there; the audit log finds those
// actions by their actor, a page at a time; a key is made and revoked with the keyboard alone.
// (Webhooks: test/serial/admin-webhooks.test.ts, since a subscription sees every record's events.)
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDateAt } from '../../domain/schedule.js';
import { adminAt, adminShot, saidAnswer, saidRefusal, ADMIN_PASSWORD } from '../support/admin-console.js';
import { launchBrowser } from '../support/browser.js';
import { http, newQueue, startStack, uniqueName, type Stack } from '../support/stack.js';

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

/** Says yes in the console's confirmation dialog, after checking what it asks. */
async function confirmYes(page: Page, question: RegExp) {
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  expect(await dialog.textContent()).toMatch(question);
  await dialog.getByRole('button', { name: 'Yes, go ahead' }).click();
}

describe('the directory screens', () => {
  it('make a schedule and show its coming slots, a booked one counted as taken', async () => {
    const { page, context, problems } = await adminAt(browser, stack, '/admin/schedules');
    const queue = await newQueue(stack.api);
    const id = uniqueName('sched');

    await page.getByRole('button', { name: 'New schedule' }).click();
    await page.getByLabel('Id', { exact: true }).fill(id);
    await page.getByLabel('Name', { exact: true }).fill('Invoice appointments');
    await page.getByLabel('Queue', { exact: true }).fill(queue);
    await page.getByLabel("Time zone (the queue's when empty)").fill(ZONE);
    await page.getByLabel('Minimum notice, minutes').fill('0');
    for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']) {
      await page.getByLabel(day, { exact: true }).fill('09:00-11:00, 13:00-14:00');
      await page.getByLabel(`Minutes per appointment on ${day}`).fill('60');
    }
    // Without a capacity the API refuses it, naming the field, and makes nothing.
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await saidRefusal(page, /validation-error/)).toMatch(/capacity/);
    expect((await stack.api.get(`/v1/schedules/${id}`)).status).toBe(404);

    await page.getByLabel('Places per slot (capacity)').fill('2');
    await page.getByRole('button', { name: 'Save' }).click();
    await saidAnswer(page, new RegExp(`Done \\(201\\): schedule ${id} created`));
    await page.locator('#calendar caption').waitFor();
    expect((await stack.api.get(`/v1/schedules/${id}`)).body).toMatchObject({
      queue,
      timeZone: ZONE,
      capacity: 2,
      minimumNoticeMinutes: 0,
      week: {
        monday: {
          periods: [
            { from: '09:00', to: '11:00' },
            { from: '13:00', to: '14:00' },
          ],
          minutesPerAppointment: 60,
        },
      },
    });

    // A booking through the API, tomorrow at 10:00 there; then the calendar, opened again, counts it.
    const tomorrow = addDays(localDateAt(new Date(), ZONE), 1);
    const slots = (await stack.api.get(`/v1/schedules/${id}/availability?from=${tomorrow}&days=1`)).body.slots as any[];
    expect(slots.map((s) => s.localStart.slice(11, 16))).toEqual(['09:00', '10:00', '13:00']);
    const booked = slots[1];
    const booking = await stack.api.post(`/v1/schedules/${id}/bookings`, {
      slotStart: booked.start,
      channel: 'web',
      phone: '+46701234567',
    });
    expect(booking.status, JSON.stringify(booking.body)).toBe(201);

    await page.getByRole('button', { name: `Open schedule ${id}` }).click();
    const cell = (start: string) => page.locator(`#calendar [data-start="${start}"]`);
    await expect.poll(() => cell(booked.start).textContent()).toBe('1 taken, 1 free');
    expect(await cell(slots[0].start).textContent()).toBe('0 taken, 2 free');
    const caption = await page.locator('#calendar caption').textContent();
    expect(caption).toContain(`Slots of ${id}, ${localDateAt(new Date(), ZONE)}`);
    // Three slots a day, seven days: one row per start time, one column per day and the times.
    expect(await page.locator('#calendar tbody tr').count()).toBe(3);
    expect(await page.locator('#calendar thead th').count()).toBe(8);
    await adminShot(page, 'schedules-calendar');

    // A closed day through the exception form: its column has no slots.
    const closed = addDays(tomorrow, 1);
    await page.getByLabel('Date', { exact: true }).fill(closed);
    await page.getByLabel('Note').fill('Staff day');
    await page.getByRole('button', { name: 'Set exception' }).click();
    await saidAnswer(page, new RegExp(`exception on ${closed} set`));
    expect((await stack.api.get(`/v1/schedules/${id}`)).body.exceptions).toEqual([{ date: closed, closed: true, note: 'Staff day' }]);
    const closedSlots = (await stack.api.get(`/v1/schedules/${id}/slots?from=${closed}&days=1`)).body.slots;
    expect(closedSlots).toEqual([]);
    await expect.poll(() => page.getByRole('button', { name: `Remove the exception on ${closed}` }).count()).toBe(1);

    // The next week, and back.
    await page.getByRole('button', { name: 'Next week' }).click();
    await expect.poll(() => page.locator('#calendar caption').textContent()).toContain(`${addDays(localDateAt(new Date(), ZONE), 7)} to`);
    expect(await cell(booked.start).count()).toBe(0);
    await page.getByRole('button', { name: 'Previous week' }).click();
    await expect.poll(() => cell(booked.start).textContent()).toBe('1 taken, 1 free');

    // The slots API is for the back office, and says why a slot cannot be booked.
    const answer = (await stack.api.get(`/v1/schedules/${id}/slots?from=${tomorrow}&days=1`)).body;
    expect(answer.slots.map((s: any) => [s.taken, s.free, s.notBookable])).toEqual([
      [0, 2, null],
      [1, 1, null],
      [0, 2, null],
    ]);
    expect((await stack.as('web').get(`/v1/schedules/${id}/slots`)).status).toBe(403);
    expect((await stack.api.get(`/v1/schedules/${id}/slots?days=32`)).status).toBe(400);
    expect((await stack.api.get(`/v1/schedules/${id}/slots?from=2030-02-30`)).status).toBe(400);
    expect((await stack.api.get('/v1/schedules/no-such-schedule/slots')).status).toBe(404);

    // The same screen in Swedish.
    await page.goto(`${stack.apiUrl}/admin/schedules?lang=sv`);
    await page.getByRole('button', { name: `Öppna schemat ${id}` }).click();
    await expect.poll(() => cell(booked.start).textContent()).toBe('1 bokade, 1 lediga');
    expect(await page.getByRole('button', { name: 'Nästa vecka' }).count()).toBe(1);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('add an agent with queues, and an account they sign in with', async () => {
    const { page, context, problems } = await adminAt(browser, stack, '/admin/agents');
    const queue = await newQueue(stack.api);
    const id = uniqueName('agent');

    await page.getByRole('button', { name: 'New agent' }).click();
    await page.getByLabel('Id', { exact: true }).first().fill(id);
    await page.getByLabel('Name', { exact: true }).first().fill('Anna Agent');
    await page.getByRole('button', { name: 'Add a queue' }).click();
    await page.getByLabel('Queue 1', { exact: true }).fill('no-such-queue');
    await page.getByLabel('Priority in queue 1').fill('2');
    await page.getByLabel('Languages (comma separated, e.g. sv, en)').fill('sv, en');
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await saidRefusal(page, /unknown-queue/)).toMatch(/no-such-queue/);
    expect((await stack.api.get(`/v1/agents/${id}`)).status).toBe(404);

    await page.getByLabel('Queue 1', { exact: true }).fill(queue);
    await page.getByRole('button', { name: 'Save' }).click();
    await saidAnswer(page, new RegExp(`agent ${id} added`));
    expect((await stack.api.get(`/v1/agents/${id}`)).body).toMatchObject({
      displayName: 'Anna Agent',
      queues: [{ queue, priority: 2 }],
      languages: ['sv', 'en'],
      active: true,
    });

    await page.getByLabel('Find by id, name or email').fill(id);
    const row = page.getByRole('row').filter({ hasText: id });
    await expect.poll(() => row.first().textContent()).toContain(`${queue} (2)`);
    expect(await row.first().textContent()).toContain('No account');

    await page.getByRole('button', { name: `Make an account for ${id}` }).click();
    expect(await page.locator('#pe-id').inputValue()).toBe(id);
    expect(await page.locator('#pe-role').inputValue()).toBe('agent');
    await page.getByLabel('First password (at least 12 characters; empty: single sign-on only)').fill('short');
    await page.getByRole('button', { name: 'Create' }).click();
    expect(await saidRefusal(page, /validation-error/)).toMatch(/password: at least 12 characters/);
    await page.getByLabel('First password (at least 12 characters; empty: single sign-on only)').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Create' }).click();
    await saidAnswer(page, new RegExp(`account ${id} made`));
    expect((await stack.api.get(`/v1/people/${id}`)).body).toMatchObject({ role: 'agent', active: true, hasPassword: true });
    await expect.poll(() => page.getByRole('button', { name: `Deactivate account ${id}` }).count()).toBe(1);
    await adminShot(page, 'agents');

    const signIn = await http(stack.apiUrl).post('/v1/session', { id, password: ADMIN_PASSWORD });
    expect(signIn.status, JSON.stringify(signIn.body)).toBe(200);

    // A new password from the administrator: the old one no longer signs in, the new one does.
    const newPassword = 'another long passphrase';
    await page.getByRole('button', { name: `Set a new password for ${id}` }).click();
    await page.getByLabel('New password (at least 12 characters)').fill(newPassword);
    await page.getByRole('button', { name: 'Save' }).click();
    await saidAnswer(page, new RegExp(`${id}'s password set`));
    expect((await http(stack.apiUrl).post('/v1/session', { id, password: ADMIN_PASSWORD })).status).toBe(401);
    expect((await http(stack.apiUrl).post('/v1/session', { id, password: newPassword })).status).toBe(200);

    // The agent's queues changed: the priority, and a second queue without one.
    const other = await newQueue(stack.api);
    await page.getByRole('button', { name: `Change agent ${id}` }).click();
    expect(await page.getByLabel('Queue 1', { exact: true }).inputValue()).toBe(queue);
    await page.getByLabel('Priority in queue 1').fill('1');
    await page.getByRole('button', { name: 'Add a queue' }).click();
    await page.getByLabel('Queue 2', { exact: true }).fill(other);
    await page.getByRole('button', { name: 'Save' }).click();
    await saidAnswer(page, new RegExp(`agent ${id} changed`));
    // (The directory lists an agent's queues by name.)
    const queues = (await stack.api.get(`/v1/agents/${id}`)).body.queues as any[];
    expect(queues.sort((a, b) => a.queue.localeCompare(b.queue))).toEqual(
      [
        { queue, priority: 1 },
        { queue: other, priority: null },
      ].sort((a, b) => a.queue.localeCompare(b.queue)),
    );

    await page.getByRole('button', { name: `Deactivate account ${id}` }).click();
    await confirmYes(page, new RegExp(`Deactivate the account ${id}\\?`));
    await saidAnswer(page, new RegExp(`account ${id} deactivated`));
    expect((await stack.api.get(`/v1/people/${id}`)).body.active).toBe(false);
    expect((await http(stack.apiUrl).post('/v1/session', { id, password: newPassword })).status).toBe(401);

    await page.getByRole('button', { name: `Deactivate agent ${id}` }).click();
    await confirmYes(page, new RegExp(`Deactivate agent ${id}\\?`));
    await saidAnswer(page, new RegExp(`agent ${id} deactivated`));
    expect((await stack.api.get(`/v1/agents/${id}`)).body.active).toBe(false);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('make an API key shown once, revoke it, and find both in the audit log by actor', async () => {
    const { page, context, problems, adminId } = await adminAt(browser, stack, '/admin/api-keys');
    const name = uniqueName('crm');

    await page.getByLabel('Name (who calls with it, e.g. ivr-stockholm)').fill('not a name!');
    await page.getByRole('button', { name: 'Make the key' }).click();
    expect(await saidRefusal(page, /validation-error/)).toMatch(/name: letters, digits/);

    await page.getByLabel('Name (who calls with it, e.g. ivr-stockholm)').fill(name);
    await page.getByLabel('Role').selectOption('integration');
    await page.getByRole('button', { name: 'Make the key' }).click();
    await saidAnswer(page, new RegExp(`key ${name} made`));
    await page.getByRole('heading', { name: `The key ${name}: copy it now, it will not be shown again.` }).waitFor();
    const key = await page.getByLabel('The new key').inputValue();
    expect(key).toMatch(/^cbk_[0-9a-f]{16}_/);
    const withKey = http(stack.apiUrl, { authorization: `Bearer ${key}` });
    expect((await withKey.get('/v1/queues')).status).toBe(200);
    await page.getByLabel('Find by name').fill(name);
    await adminShot(page, 'api-keys');

    await page.getByRole('button', { name: 'I have copied it' }).click();
    expect(await page.locator('#key-once').isHidden()).toBe(true);
    await page.reload();
    await page.getByRole('button', { name: `Revoke key ${name}` }).waitFor();
    expect(await page.content()).not.toContain(key.split('_')[2]);

    await page.getByRole('button', { name: `Revoke key ${name}` }).click();
    await confirmYes(page, new RegExp(`Revoke the key ${name}\\?`));
    await saidAnswer(page, new RegExp(`key ${name} revoked`));
    expect(await page.getByRole('button', { name: `Revoke key ${name}` }).count()).toBe(0);
    // Each API process remembers a verified key for up to 5 s.
    await expect.poll(async () => (await withKey.get('/v1/queues')).status, { timeout: 15_000 }).toBe(401);

    // The audit log, by this administrator's actor name: the two entries, a page of one at a time.
    await page.goto(`${stack.apiUrl}/admin/audit`);
    await page.getByLabel('Actor (key name, person:id, or either part of key/person)').fill(`person:${adminId}`);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await saidAnswer(page, /Entries shown: 3/);
    const rows = page.locator('#audit-list tbody tr');
    const actions = async () => (await rows.locator('td:nth-child(3)').allTextContents()).join(' ');
    expect(await actions()).toBe('api-key-revoke api-key-create sign-in');
    expect(await rows.nth(1).textContent()).toContain(name);
    expect(page.url()).toContain(`actor=person%3A${adminId}`);
    await adminShot(page, 'audit');

    await page.goto(`${stack.apiUrl}/admin/audit?actor=person:${adminId}&limit=2`);
    await saidAnswer(page, /Entries shown: 2/);
    expect(await page.getByLabel('Actor (key name, person:id, or either part of key/person)').inputValue()).toBe(`person:${adminId}`);
    expect(await actions()).toBe('api-key-revoke api-key-create');
    await page.getByRole('button', { name: 'Show more' }).click();
    await saidAnswer(page, /Entries shown: 3/);
    expect(await actions()).toBe('api-key-revoke api-key-create sign-in');
    expect(await page.getByRole('button', { name: 'Show more' }).isHidden()).toBe(true);

    // A period that ends before it starts is refused in words.
    await page.getByLabel('From (your time zone)').fill('2030-01-02T10:00:00');
    await page.getByLabel('Until (your time zone)').fill('2030-01-01T10:00:00');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    expect(await saidRefusal(page, /validation-error/)).toMatch(/from: is after to/);
    expect(problems).toEqual([]);
    await context.close();
  });
  it('make and revoke a key with the keyboard alone', async () => {
    const { page, context, problems } = await adminAt(browser, stack, '/admin/api-keys');
    const name = uniqueName('kbd');
    const focused = () => page.evaluate<string>("document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.id ?? ''");

    // From the name field: type, Tab to the role, choose with the arrows, Tab to the button, Enter.
    await page.getByLabel('Name (who calls with it, e.g. ivr-stockholm)').focus();
    await page.keyboard.type(name);
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('k-role');
    await page.keyboard.press('ArrowUp'); // from integration to supervisor
    await page.keyboard.press('ArrowUp'); // and to admin
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>('document.activeElement?.textContent ?? ""')).toBe('Make the key');
    await page.keyboard.press('Enter');
    await saidAnswer(page, new RegExp(`key ${name} made`));
    // Focus goes to what must be read now: the key, shown once.
    expect(await focused()).toBe('key-once-heading');
    const made = ((await stack.api.get('/v1/api-keys')).body.items as any[]).find((k) => k.name === name);
    expect(made).toMatchObject({ role: 'admin', revokedAt: null });

    // Revoke: the button, Enter; the question opens on Cancel, Tab to yes, Enter.
    await page.getByRole('button', { name: `Revoke key ${name}` }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    expect(await focused()).toBe('confirm-no');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('confirm-yes');
    await page.keyboard.press('Enter');
    await saidAnswer(page, new RegExp(`key ${name} revoked`));
    expect((await stack.api.get(`/v1/api-keys/${made.id}`)).body.revokedAt).not.toBeNull();
    expect(problems).toEqual([]);
    await context.close();
  });
  it("give the calendar each slot's places and why it cannot be booked, past, beyond the horizon or stopped", async () => {
    const queue = await newQueue(stack.api);
    const id = uniqueName('sched');
    const everyDay = Object.fromEntries(
      ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map((d) => [
        d,
        { periods: [{ from: '00:00', to: '24:00' }], minutesPerAppointment: 240 },
      ]),
    );
    const made = await stack.api.post('/v1/schedules', {
      id,
      name: 'S',
      queue,
      timeZone: ZONE,
      week: everyDay,
      capacity: 3,
      horizonDays: 1,
      minimumNoticeMinutes: 0,
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const today = localDateAt(new Date(), ZONE);
    const slots = async () => (await stack.api.get(`/v1/schedules/${id}/slots?from=${today}&days=3`)).body.slots as any[];

    const all = await slots();
    expect(all.filter((s) => s.date === today)).toHaveLength(6);
    expect(all.every((s) => s.capacity === 3 && s.taken === 0 && s.free === 3)).toBe(true);
    // Today's first slot has begun; the day after tomorrow lies beyond a horizon of one day.
    expect(all[0].notBookable).toBe('past');
    expect(all.filter((s) => s.date === addDays(today, 2)).map((s) => s.notBookable)).toEqual(Array(6).fill('beyond-booking-horizon'));
    expect(all.filter((s) => s.date === addDays(today, 1)).map((s) => s.notBookable)).toEqual(Array(6).fill(null));

    expect((await stack.api.patch(`/v1/schedules/${id}`, { active: false })).status).toBe(200);
    expect(new Set((await slots()).map((s) => s.notBookable))).toEqual(new Set(['schedule-stopped']));
  });
});
