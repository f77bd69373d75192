// The callback records screens (/admin and /admin/records/:id) in a real browser, through the real
// stack: find a record by its phone, change it and see the change in its fields and history, pause
// and enable it, a bulk pause with its preview, the CSV export of a search, sorting and the back
// button, and the search form with the keyboard alone. Also the search API's orders and count,
// which the screens use.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminAt, adminShot, saidAnswer, saidRefusal } from '../support/admin-console.js';
import { launchBrowser } from '../support/browser.js';
import { newQueue, recordWhen, startStack, uniqueName, type Stack } from '../support/stack.js';

const TEMPORAL_UI = 'http://temporal-ui.test:8233';

let stack: Stack;
let browser: Browser;
beforeAll(async () => {
  stack = await startStack({ env: { TEMPORAL_UI_URL: TEMPORAL_UI } });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const HOUR = 3_600_000;
const inHours = (h: number) => new Date(Date.now() + h * HOUR).toISOString();

/** A number no other test uses (the simulated dialler answers it: it does not end in 0001-0006). */
const uniquePhone = () => `+4673${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}9`;

/** A record waiting for its time (two hours ahead, so that nothing calls it meanwhile), once its workflow has written it. */
async function waitingRecord(queue: string, extra: Record<string, unknown> = {}) {
  const created = await stack.api.post('/v1/callbacks', {
    phone: uniquePhone(),
    queue,
    channel: 'admin',
    requestedAt: inHours(2),
    ...extra,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return recordWhen(stack.api, created.body.id, (r) => r.version >= 2 && r.stage === 'waiting');
}

/** The rows of the results table, as text (cells joined by |). */
const resultRows = (page: Page) =>
  page
    .locator('#results tbody tr')
    .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent?.trim()).join('|')));

/** The field of the record's page, as shown. */
const field = (page: Page, name: string) => page.locator(`#record-fields dd[data-field="${name}"]`).textContent();

describe('the search API for the screens', () => {
  it('orders by priority and due time, pages each order with its own cursor, and counts what it finds', async () => {
    const queue = await newQueue(stack.api);
    const made = [];
    for (const [priority, hours] of [
      [3, 5],
      [1, 3],
      [2, 4],
      [1, 2],
      [9, 1],
    ] as const) {
      made.push(await waitingRecord(queue, { priority, requestedAt: inHours(hours) }));
    }

    const pages = async (sort: string) => {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const reply: any = await stack.api.get(
          `/v1/callbacks?queue=${queue}&sort=${encodeURIComponent(sort)}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(reply.status, JSON.stringify(reply.body)).toBe(200);
        ids.push(...reply.body.items.map((r: any) => r.id));
        cursor = reply.body.nextCursor;
      } while (cursor);
      return ids;
    };
    const byCreation = made.map((r) => r.id);
    const byPriority = [...made].sort((a, b) => a.priority - b.priority || a.createdAt.localeCompare(b.createdAt)).map((r) => r.id);
    const byDue = [...made].sort((a, b) => a.dueAt.localeCompare(b.dueAt)).map((r) => r.id);
    expect(await pages('priority')).toEqual(byPriority);
    expect(await pages('-priority')).toEqual([...byPriority].reverse());
    expect(await pages('dueAt')).toEqual(byDue);
    expect(await pages('-dueAt')).toEqual([...byDue].reverse());
    expect(await pages('createdAt')).toEqual(byCreation);
    expect(await pages('-createdAt')).toEqual([...byCreation].reverse());

    // Without a sort: newest first, with the cursor existing clients have always had ([createdAt, id]).
    const first = await stack.api.get(`/v1/callbacks?queue=${queue}&limit=2`);
    expect(first.body.items.map((r: any) => r.id)).toEqual([byCreation[4], byCreation[3]]);
    expect(JSON.parse(Buffer.from(first.body.nextCursor, 'base64url').toString())).toEqual([made[3]!.createdAt, made[3]!.id]);

    // A cursor is a position in its own order only.
    const byPriorityPage = await stack.api.get(`/v1/callbacks?queue=${queue}&sort=priority&limit=2`);
    const wrong = await stack.api.get(`/v1/callbacks?queue=${queue}&sort=dueAt&cursor=${byPriorityPage.body.nextCursor}`);
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors[0].path).toBe('cursor');
    const oldWithSort = await stack.api.get(`/v1/callbacks?queue=${queue}&sort=priority&cursor=${first.body.nextCursor}`);
    expect(oldWithSort.status).toBe(400);
    const badSort = await stack.api.get(`/v1/callbacks?queue=${queue}&sort=phone`);
    expect(badSort.status).toBe(400);
    expect(badSort.body.errors[0].path).toBe('sort');

    const counter = uniqueName('counter');
    expect((await stack.api.get(`/v1/callbacks/count?queue=${queue}`, { 'x-actor': counter })).body).toEqual({ count: 5, more: false });
    // Who counted what is in the audit log, like a search.
    const audit = await stack.api.get(`/v1/audit?actor=${counter}&action=count`);
    expect(audit.body.items).toEqual([expect.objectContaining({ action: 'count', filter: { queue }, detail: { count: 5, more: false } })]);
    expect((await stack.api.get(`/v1/callbacks/count?queue=${queue}&priority=1`)).status).toBe(400);
    expect((await stack.api.get(`/v1/callbacks/count?queue=${queue}&status=Paused`)).body).toEqual({ count: 0, more: false });
    expect((await stack.api.get(`/v1/callbacks/count?phone=not-a-number`)).status).toBe(400);
    expect((await stack.as('agent').get(`/v1/callbacks/count?queue=${queue}`)).status).toBe(403);
  });
});

describe('the records screens', () => {
  it('finds a record by its phone, changes it, pauses and enables it, and shows each in its fields and history', async () => {
    const queue = await newQueue(stack.api);
    const record = await waitingRecord(queue, { taskType: 'invoice question', customerId: 'C-1001' });
    const { page, context, problems, adminId } = await adminAt(browser, stack, '/admin');

    // A number the API cannot read: its refusal, in words, and no results.
    await page.getByLabel('Phone number').fill('call me');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await saidRefusal(page, /^Refused \(400 validation-error\).*phone/);
    expect(await page.locator('#results tbody tr').count()).toBe(0);

    await page.getByLabel('Phone number').fill(record.phone);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await saidAnswer(page, /search, records found: 1$/);
    expect(new URL(page.url()).searchParams.get('phone')).toBe(record.phone);
    await expect.poll(() => resultRows(page)).toEqual([expect.stringContaining(`${record.phone}|Open (waiting)|${queue}|`)]);
    expect(await page.locator('#results-summary').textContent()).toBe('Showing 1 of 1 matching records.');
    await adminShot(page, 'admin-records-search');

    await page.getByRole('link', { name: new RegExp(`^Open the record of \\${record.phone}`) }).click();
    await page.getByRole('heading', { name: `Record ${record.phone}` }).waitFor();
    expect(await field(page, 'id')).toBe(record.id);
    expect(await field(page, 'taskType')).toBe('invoice question');
    expect(await field(page, 'customerId')).toBe('C-1001');
    expect(await field(page, 'priority')).toBe('5');
    expect(await page.locator('#record-history li[data-type="requested"]').count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Open this record in the Temporal Web UI' }).getAttribute('href')).toBe(
      `${TEMPORAL_UI}/namespaces/${stack.config.TEMPORAL_NAMESPACE}/workflows/${record.id}`,
    );
    // Waiting: enabling is not offered, and the page says why.
    expect(await page.getByRole('button', { name: 'Enable' }).isDisabled()).toBe(true);
    expect(await page.locator('#why-enable').textContent()).toMatch(/not paused/);

    await page.getByLabel('Priority').selectOption('2');
    await page.getByLabel('Comment', { exact: true }).fill('wants a call after lunch');
    await page.getByRole('button', { name: 'Save the changes' }).click();
    await saidAnswer(page, /the record is changed \(Priority, Comment\)/);
    await expect.poll(() => field(page, 'priority')).toBe('2');
    expect(await field(page, 'comment')).toBe('wants a call after lunch');
    const changed = page.locator('#record-history li[data-type="changed"]');
    expect(await changed.textContent()).toContain('Priority: 5 → 2');
    expect(await changed.textContent()).toContain('Comment: — → wants a call after lunch');
    expect(await changed.textContent()).toContain(adminId);
    const afterChange = await stack.api.get(`/v1/callbacks/${record.id}`);
    expect(afterChange.body).toMatchObject({ priority: 2, comment: 'wants a call after lunch' });
    expect(afterChange.body.history.at(-1)).toMatchObject({ type: 'changed', detail: { before: { priority: 5 }, after: { priority: 2 } } });

    await page.getByRole('button', { name: 'Pause' }).click();
    await saidAnswer(page, /the record is paused/);
    await expect.poll(() => field(page, 'status')).toBe('Paused');
    expect((await stack.api.get(`/v1/callbacks/${record.id}`)).body.status).toBe('Paused');
    expect(await page.getByRole('button', { name: 'Pause' }).isDisabled()).toBe(true);
    expect(await page.locator('#record-history li[data-type="paused"]').textContent()).toContain(adminId);
    await adminShot(page, 'admin-records-record');

    await page.getByRole('button', { name: 'Enable' }).click();
    await saidAnswer(page, /the record is enabled/);
    await expect.poll(() => field(page, 'status')).toBe('Open');
    expect((await stack.api.get(`/v1/callbacks/${record.id}`)).body.status).toBe('Open');
    expect(await page.locator('#record-history li[data-type="enabled"]').count()).toBe(1);

    // Back to the search it came from: the same criteria, from the URL.
    await page.goBack();
    await page.getByLabel('Phone number').waitFor();
    await expect.poll(() => page.getByLabel('Phone number').inputValue()).toBe(record.phone);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('copies a record, closes it with a comment and deletes the copy, each after asking where it cannot be undone', async () => {
    const queue = await newQueue(stack.api);
    const record = await waitingRecord(queue);
    const { page, context, problems, adminId } = await adminAt(browser, stack, `/admin/records/${record.id}`);
    await page.getByRole('heading', { name: `Record ${record.phone}` }).waitFor();

    await page.getByRole('button', { name: 'Copy into a new record' }).click();
    const said = await saidAnswer(page, /a copy was made: record [0-9a-f-]{36}/);
    const copyId = /record ([0-9a-f-]{36})/.exec(said)![1]!;
    expect((await stack.api.get(`/v1/callbacks/${copyId}`)).body).toMatchObject({
      copiedFrom: record.id,
      phone: record.phone,
      channel: 'admin',
    });

    await page.getByLabel('Comment for closing').fill('customer called in');
    await page.getByRole('button', { name: 'Close the record…' }).click();
    await page
      .getByRole('dialog')
      .getByText(/Close the record of/)
      .waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect((await stack.api.get(`/v1/callbacks/${record.id}`)).body.status).toBe('Open');

    await page.getByRole('button', { name: 'Close the record…' }).click();
    await page.getByRole('button', { name: 'Yes, go ahead' }).click();
    await saidAnswer(page, /the record is Closed/);
    await expect.poll(() => field(page, 'closeReason')).toBe('closed-by-administrator');
    expect(await page.locator('#record-history li[data-type="closed"]').textContent()).toContain('comment: customer called in');
    expect(await page.locator('#record-history li[data-type="closed"]').textContent()).toContain(adminId);
    expect(await page.getByRole('button', { name: 'Pause' }).isDisabled()).toBe(true);
    expect(await page.locator('#why-pause').textContent()).toMatch(/closed/);

    await page.getByRole('link', { name: 'Open the copy' }).click();
    await page.getByRole('heading', { name: `Record ${record.phone}` }).waitFor();
    await expect.poll(() => field(page, 'id')).toBe(copyId);
    await expect.poll(() => field(page, 'copiedFrom')).toBe(record.id);
    await page.getByRole('button', { name: 'Delete for good…' }).click();
    await page
      .getByRole('dialog')
      .getByText(/cannot be undone/)
      .waitFor();
    await page.getByRole('button', { name: 'Yes, go ahead' }).click();
    await saidAnswer(page, /Done \(204\): the record is deleted/);
    await page.getByText('This record has been deleted: its data is erased.').waitFor();
    expect((await stack.api.get(`/v1/callbacks/${copyId}`)).status).toBe(404);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('pauses every record of a search in bulk after a preview of how many', async () => {
    const queue = await newQueue(stack.api);
    const records = await Promise.all([1, 2, 3].map(() => waitingRecord(queue)));
    const { page, context, problems } = await adminAt(browser, stack, `/admin?queue=${queue}`);
    await saidAnswer(page, /search, records found: 3$/);
    expect(await page.getByLabel('Queue', { exact: true }).inputValue()).toBe(queue);

    await page.getByRole('button', { name: 'Act on these records…' }).click();
    await page.getByLabel('Action').selectOption('pause');
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => page.locator('#bulk-count').textContent()).toBe('Pause: 3 records match this search now.');
    await adminShot(page, 'admin-records-bulk-preview');

    await page.getByRole('button', { name: 'Pause these 3 records' }).click();
    await page.getByRole('dialog').getByText('Pause: 3 records.').waitFor();
    await page.getByRole('button', { name: 'Yes, go ahead' }).click();
    await saidAnswer(page, /Pause: 3 records, 3 succeeded, 0 failed/);
    for (const r of records) expect((await recordWhen(stack.api, r.id, (x) => x.status === 'Paused')).status).toBe('Paused');
    await expect
      .poll(() => resultRows(page))
      .toEqual([
        expect.stringContaining('Paused (paused)'),
        expect.stringContaining('Paused (paused)'),
        expect.stringContaining('Paused (paused)'),
      ]);

    // Pausing them again: each record refuses, and the screen lists why.
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByRole('button', { name: 'Pause these 3 records' }).click();
    await page.getByRole('button', { name: 'Yes, go ahead' }).click();
    await saidAnswer(page, /Pause: 3 records, 0 succeeded, 3 failed/);
    const failures = page.locator('#bulk-result table');
    await expect.poll(() => failures.locator('tbody tr').count()).toBe(3);
    expect(await failures.locator('tbody').textContent()).toContain('409 already-paused');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('exports the search as CSV, sorts it by priority, pages it, and the back button returns to the earlier order', async () => {
    const queue = await newQueue(stack.api);
    const records = [];
    for (const priority of [3, 1, 2]) records.push(await waitingRecord(queue, { priority }));
    const { page, context, problems } = await adminAt(browser, stack, `/admin?queue=${queue}`);
    await saidAnswer(page, /search, records found: 3$/);

    const href = await page.getByRole('link', { name: 'Export these records (CSV)' }).getAttribute('href');
    expect(href).toBe(`/v1/callbacks/export.csv?queue=${queue}`);
    const csv = await page.request.get(`${stack.apiUrl}${href}`);
    expect(csv.status()).toBe(200);
    const lines = (await csv.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines).toHaveLength(4);
    for (const r of records) expect(lines.some((l) => l.startsWith(`${r.id},Open,waiting,,${r.phone},${queue},`))).toBe(true);

    // Newest first (the default), then by priority from the column's header.
    const phonesShown = async () => (await resultRows(page)).map((row) => row.split('|')[0]);
    expect(await phonesShown()).toEqual([records[2]!.phone, records[1]!.phone, records[0]!.phone]);
    await page.getByRole('button', { name: 'Priority' }).click();
    await expect.poll(phonesShown).toEqual([records[1]!.phone, records[2]!.phone, records[0]!.phone]);
    expect(new URL(page.url()).searchParams.get('sort')).toBe('priority');
    expect(await page.locator('th[aria-sort="ascending"]').textContent()).toContain('Priority');
    await page.goBack();
    await expect.poll(phonesShown).toEqual([records[2]!.phone, records[1]!.phone, records[0]!.phone]);
    expect(await page.getByLabel('Order').inputValue()).toBe('-createdAt');

    // A page at a time: the next one comes with the API's cursor, in the same order.
    await page.goto(`${stack.apiUrl}/admin?queue=${queue}&sort=priority&limit=2`);
    await saidAnswer(page, /search, records found: 3$/);
    await expect.poll(phonesShown).toEqual([records[1]!.phone, records[2]!.phone]);
    expect(await page.locator('#results-summary').textContent()).toBe('Showing 2 of 3 matching records.');
    await page.getByRole('button', { name: 'Show more' }).click();
    await saidAnswer(page, /next page: 3 of 3 records shown/);
    await expect.poll(phonesShown).toEqual([records[1]!.phone, records[2]!.phone, records[0]!.phone]);
    expect(await page.getByRole('button', { name: 'Show more' }).isHidden()).toBe(true);
    expect(await page.getByLabel('Records a page').inputValue()).toBe('2');

    // In Swedish, the same search from its bookmark.
    await page.goto(`${stack.apiUrl}/admin?queue=${queue}&lang=sv`);
    await saidAnswer(page, /sökning, hittade ärenden: 3$/);
    await expect.poll(() => page.locator('#results-summary').textContent()).toBe('Visar 3 av 3 matchande ärenden.');
    expect(await page.getByRole('link', { name: 'Exportera ärendena (CSV)' }).count()).toBe(1);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('takes a search from the keyboard alone and opens a result with it', async () => {
    const queue = await newQueue(stack.api);
    const record = await waitingRecord(queue);
    const { page, context, problems } = await adminAt(browser, stack, '/admin');
    await saidAnswer(page, /search, records found: \d+$/);

    const isFocused = async (selector: string) => (await page.locator(`${selector}:focus`).count()) === 1;
    const tabTo = async (done: () => Promise<boolean>, what: string) => {
      for (let i = 0; i < 80; i++) {
        if (await done()) return;
        await page.keyboard.press('Tab');
      }
      throw new Error(`Tab never reached ${what}`);
    };
    await tabTo(() => isFocused('#search-phone'), 'the phone field');
    await page.keyboard.type(record.phone);
    await page.keyboard.press('Enter');
    await saidAnswer(page, /search, records found: 1$/);
    expect(new URL(page.url()).searchParams.get('phone')).toBe(record.phone);

    await tabTo(() => isFocused(`#results a[href="/admin/records/${record.id}"]`), "the result's link");
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: `Record ${record.phone}` }).waitFor();
    expect(await field(page, 'id')).toBe(record.id);
    expect(problems).toEqual([]);
    await context.close();
  });
});
