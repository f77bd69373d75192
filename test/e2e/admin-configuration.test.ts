// The configuration screens in a real browser, through the real stack: an area and a queue made
// and changed on the screens and read back through the API; a queue's opening hours and holidays;
// a queue's treatment exception edited, its source shown, and a call's outcome following it; a
// system parameter changed, and a bad value refused in words.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminAt, adminShot, saidAnswer, saidRefusal } from '../support/admin-console.js';
import { launchBrowser } from '../support/browser.js';
import { newQueue, recordWhen, startStack, uniqueName, type Stack } from '../support/stack.js';

let stack: Stack;
let browser: Browser;
beforeAll(async () => {
  // A short ring: the busy call of the treatment test ends at once.
  stack = await startStack({ ringMs: 50 });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** Yes in the console's confirmation dialog, once it asks `question`. */
async function confirmYes(page: Page, question: RegExp) {
  const dialog = page.getByRole('dialog', { name: 'Are you sure?' });
  await expect.poll(() => dialog.textContent()).toMatch(question);
  await dialog.getByRole('button', { name: 'Yes, go ahead' }).click();
}

const row = (page: Page, text: string) => page.getByRole('row').filter({ hasText: text });

describe('organisation areas and queues', () => {
  it('are created and changed on the screens, as the API reads them back', async () => {
    const { page, context, problems } = await adminAt(browser, stack, '/admin/areas');
    const area = uniqueName('area');
    await page.getByLabel('Id').fill(area);
    await page.getByLabel('Name', { exact: true }).fill('Invoices north');
    await page.getByLabel('Most active records').fill('7');
    await page.getByLabel('Duplicate policy').selectOption('avoid-same-task-type');
    await page.getByRole('button', { name: 'Create' }).click();
    await saidAnswer(page, new RegExp(`^Done \\(201\\): organisation area ${area} created`));
    expect((await stack.api.get(`/v1/org-areas/${area}`)).body).toEqual({
      id: area,
      name: 'Invoices north',
      maxActiveRecords: 7,
      duplicatePolicy: 'avoid-same-task-type',
    });
    await expect.poll(() => row(page, area).textContent()).toContain('Avoid duplicates of the same task type');

    await page.getByRole('button', { name: `Change ${area}` }).click();
    expect(await page.getByLabel('Id').inputValue()).toBe(area);
    await page.getByLabel('Most active records').fill('');
    await page.getByLabel('Duplicate policy').selectOption('allow');
    await page.getByRole('button', { name: 'Save' }).click();
    await saidAnswer(page, new RegExp(`organisation area ${area} changed`));
    expect((await stack.api.get(`/v1/org-areas/${area}`)).body).toMatchObject({ maxActiveRecords: null, duplicatePolicy: 'allow' });
    await expect.poll(() => row(page, area).textContent()).toContain('no limit');
    await adminShot(page, 'admin-config-areas');

    await page.goto(`${stack.apiUrl}/admin/queues`);
    const queue = uniqueName('q');
    await page.locator('#queue-name').fill(queue);
    await page.getByLabel('Organisation area').selectOption(area);
    await page.getByLabel('Time zone').selectOption('America/New_York');
    await page.getByLabel('Most active records').fill('50');
    await page.getByLabel(/^Gate size/).fill('3');
    await page.getByLabel('Offer timeout (seconds)').fill('30');
    await page.getByLabel('Wrap-up limit (seconds)').fill('600');
    await page.getByLabel('Takes callbacks').uncheck();
    await page.getByRole('button', { name: 'Add a period on Monday' }).click();
    await page.getByLabel('Monday period 1 to', { exact: true }).fill('12:00');
    await page.getByRole('button', { name: 'Add a period on Monday' }).click();
    await page.getByLabel('Monday period 2 from', { exact: true }).fill('13:00');
    await page.getByLabel('Monday period 2 to', { exact: true }).fill('17:00');
    await page.getByRole('button', { name: 'Add a period on Saturday' }).click();
    await page.getByLabel('Saturday period 1 from', { exact: true }).fill('10:00');
    await page.getByLabel('Saturday period 1 to', { exact: true }).fill('14:00');
    await page.getByRole('button', { name: 'Create' }).click();
    await saidAnswer(page, new RegExp(`^Done \\(201\\): queue ${queue} created`));
    expect((await stack.api.get(`/v1/queues/${queue}`)).body).toEqual({
      name: queue,
      orgArea: area,
      timeZone: 'America/New_York',
      openingHours: {
        monday: [
          { from: '08:00', to: '12:00' },
          { from: '13:00', to: '17:00' },
        ],
        saturday: [{ from: '10:00', to: '14:00' }],
      },
      maxActiveRecords: 50,
      offerTimeoutSeconds: 30,
      gateSize: 3,
      acceptsCallbacks: false,
      wrapUpTimeoutSeconds: 600,
    });
    await expect.poll(() => row(page, queue).textContent()).toContain('Mon 08:00–12:00, 13:00–17:00; Sat 10:00–14:00');
    expect(await row(page, queue).textContent()).toContain(area);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('make an area with the keyboard alone, its duplicate policy the parameter’s', async () => {
    const { page, context, problems } = await adminAt(browser, stack, '/admin/areas');
    const policy = (await stack.api.get('/v1/parameters')).body.items.find((p: any) => p.name === 'callbackDuplicatePolicy').value;
    const area = uniqueName('area');
    await page.getByLabel('Id').focus();
    await page.keyboard.type(area);
    await page.keyboard.press('Tab');
    await page.keyboard.type('Keyboard area');
    await page.keyboard.press('Tab');
    await page.keyboard.type('12');
    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').and(page.getByLabel('Duplicate policy')).count()).toBe(1);
    await page.keyboard.press('Tab');
    expect(
      await page
        .locator(':focus')
        .and(page.getByRole('button', { name: 'Create' }))
        .count(),
    ).toBe(1);
    await page.keyboard.press('Enter');
    await saidAnswer(page, new RegExp(`organisation area ${area} created`));
    expect((await stack.api.get(`/v1/org-areas/${area}`)).body).toEqual({
      id: area,
      name: 'Keyboard area',
      maxActiveRecords: 12,
      duplicatePolicy: policy,
    });
    expect(problems).toEqual([]);
    await context.close();
  });

  it("change a queue's opening hours and holidays, and say a refusal in words", async () => {
    const queue = await newQueue(stack.api);
    const { page, context, problems } = await adminAt(browser, stack, '/admin/queues');
    await page.getByRole('button', { name: `Change ${queue}` }).click();
    await page.getByRole('heading', { name: `Change queue ${queue}` }).waitFor();

    await page.getByRole('button', { name: 'Remove Sunday period 1' }).click();
    await page.getByLabel('Monday period 1 from', { exact: true }).fill('09:00');
    await page.getByLabel('Monday period 1 to', { exact: true }).fill('17:00');
    await page.getByLabel('Wrap-up limit (seconds)').fill('ten minutes');
    await page.getByRole('button', { name: 'Save' }).click();
    await saidRefusal(page, /^Refused \(400 validation-error\).*wrapUpTimeoutSeconds/);
    expect((await stack.api.get(`/v1/queues/${queue}`)).body.openingHours.monday).toEqual([{ from: '00:00', to: '24:00' }]);

    await page.getByLabel('Wrap-up limit (seconds)').fill('900');
    await page.getByRole('button', { name: 'Save' }).click();
    await saidAnswer(page, new RegExp(`^Done \\(200\\): queue ${queue} changed`));
    const changed = (await stack.api.get(`/v1/queues/${queue}`)).body;
    expect(changed.openingHours.monday).toEqual([{ from: '09:00', to: '17:00' }]);
    expect(changed.openingHours.sunday ?? []).toEqual([]);
    expect(changed.openingHours.tuesday).toEqual([{ from: '00:00', to: '24:00' }]);
    expect(changed.wrapUpTimeoutSeconds).toBe(900);
    await expect.poll(() => row(page, queue).textContent()).toContain('Mon 09:00–17:00; Tue–Sat 00:00–24:00');
    // The queue sets no gate size nor offer timeout: the parameters' values stand there, named.
    expect(await row(page, queue).textContent()).toMatch(/\d+ \(callbackBufferMax\).*\d+ s \(offerTimeoutSeconds\)/);

    const holidays = page.getByRole('region', { name: `Holidays of queue ${queue}` });
    await holidays.getByLabel('Holiday date').fill('2030-12-24');
    await holidays.getByLabel('Holiday name').fill('Christmas Eve');
    await holidays.getByRole('button', { name: 'Add the holiday' }).click();
    await saidAnswer(page, new RegExp(`holiday 2030-12-24 set for queue ${queue}`));
    await holidays.getByLabel('Holiday date').fill('2030-12-31');
    await holidays.getByLabel('That day', { exact: true }).selectOption('open');
    await holidays.getByLabel('Hours that day').fill('25:00-26:00');
    await holidays.getByRole('button', { name: 'Add the holiday' }).click();
    await saidRefusal(page, /^Refused \(400 validation-error\).*periods/);
    await holidays.getByLabel('Hours that day').fill('10:00-14:00');
    await holidays.getByRole('button', { name: 'Add the holiday' }).click();
    await saidAnswer(page, /holiday 2030-12-31 set/);
    expect((await stack.api.get(`/v1/queues/${queue}/holidays`)).body.items).toEqual([
      { date: '2030-12-24', closed: true, name: 'Christmas Eve' },
      { date: '2030-12-31', periods: [{ from: '10:00', to: '14:00' }] },
    ]);
    await expect.poll(() => row(page, '2030-12-31').textContent()).toContain('10:00–14:00');
    await adminShot(page, 'admin-config-queues');

    await page.getByRole('button', { name: 'Remove 2030-12-24' }).click();
    await confirmYes(page, /Remove the holiday 2030-12-24/);
    await saidAnswer(page, /^Done \(204\): holiday 2030-12-24 removed/);
    expect((await stack.api.get(`/v1/queues/${queue}/holidays`)).body.items.map((h: any) => h.date)).toEqual(['2030-12-31']);
    await expect.poll(() => row(page, '2030-12-24').count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('the treatment editor', () => {
  it("saves a queue's exception, says it comes from the queue, and a call's outcome follows it", async () => {
    const queue = await newQueue(stack.api);
    const { page, context, problems } = await adminAt(browser, stack, `/admin/treatments?queue=${queue}`);
    await page.getByRole('heading', { name: new RegExp(`^Treatments of queue ${queue}`) }).waitFor();
    const busy = row(page, 'busy');
    await expect.poll(() => busy.locator('td.source').textContent()).toBe('product default');
    expect(await busy.textContent()).toContain('Postpone 5 min');

    await page.getByLabel('Busy: what happens').selectOption('close');
    await expect.poll(() => busy.locator('td.source').textContent()).toBe('changed here, not saved');
    await page.getByLabel('No answer: close at occurrence').fill('2');
    await page.getByLabel('Close after this many attempts in total').fill('4');
    await page.getByRole('button', { name: `Save as queue ${queue}'s exception` }).click();
    await saidAnswer(page, new RegExp(`^Done \\(200\\): queue ${queue}'s exception saved`));
    await expect.poll(() => busy.locator('td.source').textContent()).toBe('queue exception');
    // A value the exception repeats says so.
    expect(await row(page, 'fax-modem').locator('td.source').textContent()).toBe('queue exception (same as product default)');
    expect(await page.getByText(/^In force: queue exception, saved by /).count()).toBe(1);
    await adminShot(page, 'admin-config-treatments');

    const stored = (await stack.api.get(`/v1/treatments/queues/${queue}`)).body;
    expect(stored).toMatchObject({ source: 'queue', treatment: { closeAfter: { 'no-answer': 2 }, maxAttempts: 4 } });
    expect(stored.treatment.onOutcome.busy).toEqual({ action: 'close' });

    const created = await stack.api.post('/v1/callbacks', { phone: '+46700000001', queue, channel: 'api' });
    expect(created.status).toBe(201);
    await recordWhen(stack.api, created.body.id, (r) => r.stage === 'offered');
    expect((await stack.api.post(`/v1/queues/${queue}/next`, { agentId: uniqueName('agent') })).status).toBe(200);
    const closed = await recordWhen(stack.api, created.body.id, (r) => r.status === 'Closed');
    expect(closed).toMatchObject({ closeReason: 'busy', latestOutcome: 'busy', attempts: 1 });

    await page.getByRole('button', { name: `Remove queue ${queue}'s exception (back to the area's set)` }).click();
    await confirmYes(page, new RegExp(`Remove queue ${queue}'s exception`));
    await saidAnswer(page, /^Done \(204\)/);
    await expect.poll(() => busy.locator('td.source').textContent()).toBe('product default');
    expect((await stack.api.get(`/v1/treatments/queues/${queue}`)).body.source).toBe('default');
    expect(problems).toEqual([]);
    await context.close();
  });

  it("saves an area's standard set, which its queue then shows as the area's, and removes it", async () => {
    const queue = await newQueue(stack.api);
    const area = (await stack.api.get(`/v1/queues/${queue}`)).body.orgArea;
    const { page, context, problems } = await adminAt(browser, stack, `/admin/treatments?area=${area}`);
    await page.getByRole('heading', { name: `Standard treatments of area ${area}` }).waitFor();
    await page.getByLabel('Answering machine: postpone by minutes').fill('45');
    await page.getByRole('button', { name: `Save as area ${area}'s standard set` }).click();
    await saidAnswer(page, new RegExp(`area ${area}'s standard set saved`));
    expect((await stack.api.get(`/v1/treatments/org-areas/${area}`)).body.treatment.onOutcome['answering-machine']).toEqual({
      action: 'postpone',
      delayMinutes: 45,
    });

    await page.getByLabel('Queue', { exact: true }).selectOption(queue);
    await page.getByRole('heading', { name: new RegExp(`^Treatments of queue ${queue}`) }).waitFor();
    await expect.poll(() => row(page, 'answering-machine').locator('td.source').textContent()).toBe('area standard');
    expect(await row(page, 'answering-machine').textContent()).toContain('Postpone 45 min');
    await page.getByLabel('Answering machine: postpone by minutes').fill('-1');
    await page.getByRole('button', { name: `Save as queue ${queue}'s exception` }).click();
    await saidRefusal(page, /^Refused \(400 validation-error\).*onOutcome\.answering-machine\.delayMinutes/);
    expect((await stack.api.get(`/v1/treatments/queues/${queue}`)).body.source).toBe('org-area');

    // The refused change is still in the editor: showing another set asks first.
    await page.getByLabel('Queue', { exact: true }).selectOption('');
    await confirmYes(page, /not saved/);
    await page.getByRole('heading', { name: `Standard treatments of area ${area}` }).waitFor();
    await page.getByRole('button', { name: `Remove area ${area}'s set (back to the product's defaults)` }).click();
    await confirmYes(page, new RegExp(`Remove area ${area}'s standard set`));
    await saidAnswer(page, new RegExp(`^Done \\(204\\): area ${area}'s set removed`));
    await expect.poll(() => row(page, 'answering-machine').locator('td.source').textContent()).toBe('product default');
    expect((await stack.api.get(`/v1/treatments/org-areas/${area}`)).body.source).toBe('default');
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('system parameters', () => {
  it('are changed with a control fitting their type, a bad value refused in words', async () => {
    const before = (await stack.api.get('/v1/parameters')).body.items;
    const valueOf = async (name: string) => (await stack.api.get('/v1/parameters')).body.items.find((p: any) => p.name === name).value;
    const offline = before.find((p: any) => p.name === 'agentOfflineAfterSeconds').value;
    const retention = before.find((p: any) => p.name === 'lastAgentRetentionDays').value;
    const { page, context, problems } = await adminAt(browser, stack, '/admin/parameters');
    try {
      const card = (name: string) => page.getByRole('region', { name });
      await expect.poll(() => card('agentOfflineAfterSeconds').locator('dd').first().textContent()).toBe(String(offline));
      expect(
        await card('enableCallbackService')
          .getByText(/every request for a callback is refused/)
          .count(),
      ).toBe(1);
      expect(await card('afterWrapUp').getByLabel('New value of afterWrapUp').locator('option').allTextContents()).toEqual([
        'available',
        'away',
      ]);

      await page.getByLabel('New value of agentOfflineAfterSeconds').fill('2');
      await page.getByRole('button', { name: 'Save agentOfflineAfterSeconds' }).click();
      await saidRefusal(page, /^Refused \(400 validation-error\).*value: /);
      expect(await valueOf('agentOfflineAfterSeconds')).toBe(offline);

      await page.getByLabel('New value of lastAgentRetentionDays').fill('3650');
      await page.getByRole('button', { name: 'Save lastAgentRetentionDays' }).click();
      await saidAnswer(page, /^Done \(200\): lastAgentRetentionDays is now 3650/);
      expect(await valueOf('lastAgentRetentionDays')).toBe(3650);
      expect(await card('lastAgentRetentionDays').locator('dd').first().textContent()).toBe('3650');
      await adminShot(page, 'admin-config-parameters');

      await page.goto(`${stack.apiUrl}/admin/parameters?lang=sv`);
      await expect.poll(() => card('lastAgentRetentionDays').locator('dd').first().textContent()).toBe('3650');
      expect(
        await card('enableCallbackService')
          .getByText(/nekas varje begäran om återuppringning/)
          .count(),
      ).toBe(1);
      expect(await page.getByRole('button', { name: 'Spara afterWrapUp' }).count()).toBe(1);
      expect(problems).toEqual([]);
    } finally {
      await stack.api.put('/v1/parameters/lastAgentRetentionDays', { value: retention });
      await context.close();
    }
  });
});
