// The webhooks screen of the admin console in a real browser, through the real stack: a
// subscription made there (its secret shown once) to a local receiver that answers 500, a
// delivery given up and shown failed in the log with its error, retried from the log and
// delivered; then the subscription is changed, paused and deleted there. Serial: a subscription
// sees every record's events, other tests' included.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminAt, adminShot, saidAnswer, saidRefusal } from '../support/admin-console.js';
import { launchBrowser } from '../support/browser.js';
import { eventually, newQueue, startStack, uniqueName, type Stack } from '../support/stack.js';

let stack: Stack;
let browser: Browser;
let receiver: Server;
let answer = 500;
const received: { path: string; recordId: string }[] = [];
const made: string[] = [];

beforeAll(async () => {
  stack = await startStack();
  browser = await launchBrowser();
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (answer === 200) received.push({ path: req.url!, recordId: JSON.parse(Buffer.concat(chunks).toString('utf8')).recordId });
      res.writeHead(answer, { 'content-type': 'text/plain' }).end(answer === 200 ? 'ok' : 'receiver broken');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  for (const id of made) await stack?.api.delete(`/v1/webhooks/${id}`);
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
  await browser?.close();
  await stack?.stop();
});

describe('the webhooks screen', () => {
  it('makes a subscription, shows a failed delivery, retries it, changes, pauses and deletes the subscription', async () => {
    const { page, context, problems } = await adminAt(browser, stack, '/admin/webhooks');
    const path = `/${uniqueName('hook')}`;
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}${path}`;

    await page.getByRole('button', { name: 'New subscription' }).click();
    await page.getByLabel('URL (http or https)').fill(url);
    await page.getByLabel('What it is for (optional)').fill('CRM timeline');
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await saidRefusal(page, /validation-error/)).toMatch(/events/);
    await page.getByLabel('requested', { exact: true }).check();
    await page.getByRole('button', { name: 'Save' }).click();
    await saidAnswer(page, new RegExp(`subscription to ${url} made`));
    await page
      .getByRole('heading', { name: `The signing secret of ${url}: give it to the receiver now, it will not be shown again.` })
      .waitFor();
    expect(await page.getByRole('textbox', { name: 'Signing secret', exact: true }).inputValue()).toMatch(/^whsec_/);
    const subscription = ((await stack.api.get('/v1/webhooks')).body.items as any[]).find((s) => s.url === url);
    made.push(subscription.id);
    expect(subscription).toMatchObject({ events: ['requested'], active: true, description: 'CRM timeline' });
    await page.getByRole('button', { name: 'I have kept it' }).click();

    // A record's "requested" event, refused by the receiver, and given up as if 100 hours had passed.
    const queue = await newQueue(stack.api);
    const created = await stack.api.post('/v1/callbacks', { phone: '070-123 45 67', queue, channel: 'web' });
    expect(created.status).toBe(201);
    const recordId = created.body.id as string;
    const deliveryOf = async () =>
      ((await stack.api.get(`/v1/webhooks/${subscription.id}/deliveries?limit=200`)).body.items as any[]).find(
        (d) => d.recordId === recordId,
      );
    const refused = await eventually(
      async () => ((await deliveryOf())?.attempts >= 1 ? await deliveryOf() : undefined),
      30_000,
      'a refused attempt',
    );
    await stack.sql`update webhook_deliveries set retrying_since = now() - interval '100 hours' where id = ${refused.id}`;
    await eventually(async () => ((await deliveryOf())?.state === 'failed' ? true : undefined), 30_000, 'the delivery given up');

    await page.getByRole('button', { name: `Delivery log of ${url}` }).click();
    await page.getByLabel('State').selectOption('failed');
    const row = page.locator('#delivery-list tbody tr').filter({ hasText: recordId });
    await expect.poll(() => row.textContent()).toContain('failed');
    expect(await row.textContent()).toContain('HTTP 500');
    await adminShot(page, 'webhooks');

    answer = 200;
    await page.getByRole('button', { name: `Retry delivery ${refused.id}` }).click();
    await saidAnswer(page, new RegExp(`delivery ${refused.id} queued again`));
    await page.getByLabel('State').selectOption('');
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: 'Refresh' }).click();
          return row.locator('td:nth-child(4)').textContent();
        },
        { timeout: 30_000 },
      )
      .toBe('delivered');
    expect(received.filter((r) => r.path === path && r.recordId === recordId)).toHaveLength(1);

    await page.getByRole('button', { name: `Change the subscription to ${url}` }).click();
    await page.getByLabel('closed', { exact: true }).check();
    await page.getByRole('button', { name: 'Save' }).click();
    await saidAnswer(page, new RegExp(`subscription to ${url} changed`));
    expect((await stack.api.get(`/v1/webhooks/${subscription.id}`)).body.events).toEqual(['requested', 'closed']);

    await page.getByRole('button', { name: `Pause the subscription to ${url}` }).click();
    await saidAnswer(page, new RegExp(`subscription to ${url} paused`));
    expect((await stack.api.get(`/v1/webhooks/${subscription.id}`)).body.active).toBe(false);
    await page.getByRole('button', { name: `Resume the subscription to ${url}` }).waitFor();

    await page.getByRole('button', { name: `Delete the subscription to ${url}` }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.textContent()).toMatch(/its delivery log goes with it/);
    await dialog.getByRole('button', { name: 'Yes, go ahead' }).click();
    await saidAnswer(page, new RegExp(`subscription to ${url} deleted`));
    expect((await stack.api.get(`/v1/webhooks/${subscription.id}`)).status).toBe(404);
    expect(problems).toEqual([]);
    await context.close();
  });
});
