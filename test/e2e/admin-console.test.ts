// The admin console's frame in a real browser: someone not signed in gets the sign-in form and
// no data; an agent's account is refused; an administrator signs in, sees every screen in the
// navigation, reads the page in Swedish, and signs out. The screens have tests of their own.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminPerson, openAdmin, saidRefusal, signInAsAdmin, ADMIN_PASSWORD } from '../support/admin-console.js';
import { launchBrowser } from '../support/browser.js';
import { newQueue, startStack, uniqueName, type Stack } from '../support/stack.js';

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

describe('the admin console', () => {
  it('asks for sign-in, refuses an agent, lets an administrator in and out', async () => {
    const { page, context, problems } = await openAdmin(browser, stack, '/admin/queues');
    expect((await page.request.get(`${stack.apiUrl}/admin/queues`)).headers()['content-security-policy']).toContain("script-src 'self'");
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.locator('#screen').isHidden()).toBe(true);

    const queue = await newQueue(stack.api);
    const agentId = uniqueName('agent');
    expect((await stack.api.post('/v1/agents', { id: agentId, displayName: 'An Agent', queues: [{ queue }] })).status).toBe(201);
    expect((await stack.api.post('/v1/people', { id: agentId, role: 'agent', password: ADMIN_PASSWORD })).status).toBe(201);
    await page.getByLabel('User name').fill(agentId);
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await saidRefusal(page, /not an administrator/);
    expect(await page.locator('#screen').isHidden()).toBe(true);
    await context.clearCookies();

    const adminId = await adminPerson(stack);
    await page.reload();
    await signInAsAdmin(page, adminId);
    const nav = page.getByRole('navigation', { name: 'Administration' });
    for (const name of [
      'Callback records',
      'Live view',
      'Statistics',
      'Queues',
      'Treatments',
      'Appointment schedules',
      'API keys',
      'Audit log',
      'Import',
    ]) {
      await expect.poll(() => nav.getByRole('link', { name }).count(), { timeout: 15_000 }).toBe(1);
    }
    expect(await nav.getByRole('link', { name: 'Queues' }).getAttribute('aria-current')).toBe('page');

    await page.getByRole('link', { name: 'På svenska' }).click();
    await page.getByText(/^Inloggad som /).waitFor();
    expect(await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Köer' }).count()).toBe(1);

    await page.getByRole('button', { name: 'Logga ut' }).click();
    await page.getByRole('heading', { name: 'Logga in' }).waitFor();
    expect((await page.request.get(`${stack.apiUrl}/v1/session`)).status()).toBe(401);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("shows a supervisor the screens that watch and read, and says the others are an administrator's", async () => {
    const id = uniqueName('supervisor');
    expect(
      (await stack.api.post('/v1/people', { id, displayName: 'Sam Supervisor', role: 'supervisor', password: ADMIN_PASSWORD })).status,
    ).toBe(201);
    const { page, context, problems } = await openAdmin(browser, stack, '/admin/live');
    await signInAsAdmin(page, id);
    const nav = page.getByRole('navigation', { name: 'Administration' });
    await expect
      .poll(() => nav.getByRole('link').allTextContents(), { timeout: 15_000 })
      .toEqual(['Callback records', 'Live view', 'Statistics']);
    expect(await page.locator('#screen').isVisible()).toBe(true);

    // The records: searched and read, never acted on.
    await page.goto(`${stack.apiUrl}/admin`);
    await page.getByRole('button', { name: 'Search' }).waitFor();
    expect(await page.locator('#bulk-open').count()).toBe(1);
    expect(await page.getByRole('button', { name: /Act on these records/ }).isVisible()).toBe(false);

    await page.goto(`${stack.apiUrl}/admin/queues`);
    await saidRefusal(page, /This screen is for administrators/);
    expect(await page.locator('#screen').isHidden()).toBe(true);
    // The API itself is the door: a supervisor's session reads but does not change.
    expect((await page.request.get(`${stack.apiUrl}/v1/queues`)).status()).toBe(200);
    const csrf = (await (await page.request.get(`${stack.apiUrl}/v1/session`)).json()).csrfToken as string;
    const refused = await page.request.post(`${stack.apiUrl}/v1/queues`, {
      data: { name: uniqueName('q') },
      headers: { 'x-csrf-token': csrf },
    });
    expect(refused.status()).toBe(403);
    expect(problems).toEqual([]);
    await context.close();
  });
});
