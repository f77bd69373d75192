// Import from CSV through the real stack: a dry run lists exactly the bad rows and makes nothing;
// the import admits the good rows like requests (fields from the file, a duplicate and a limit
// reported row by row), the same file again makes no new record, and the report CSV says the same;
// queue and area files create configuration; bad files are refused whole with problem+json. The
// admin screen does the same in a real browser.
import { createHash } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../api/csv.js';
import { importList, importReport } from '../../api/imports.schemas.js';
import { adminAt, adminShot, saidAnswer, saidRefusal } from '../support/admin-console.js';
import { launchBrowser } from '../support/browser.js';
import { newQueue, OPEN_ALL_WEEK, startStack, uniqueName, type Stack } from '../support/stack.js';

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

/** Sends `csv` as the file of an import, with the admin key unless another is given. */
async function postCsv(query: string, csv: string, { key = stack.keys.admin, type = 'text/csv' } = {}) {
  const res = await fetch(`${stack.apiUrl}/v1/imports?${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'x-actor': 'tester', 'content-type': type },
    body: csv,
  });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    body: text ? JSON.parse(text) : null,
    location: res.headers.get('location'),
  };
}

async function recordsIn(queue: string): Promise<any[]> {
  const found = await stack.api.get(`/v1/callbacks?queue=${queue}&limit=200`);
  expect(found.status).toBe(200);
  return found.body.items;
}

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
const rowsOf = (report: any, result: string) => report.rows.filter((r: any) => r.result === result).map((r: any) => r.row);

/**
 * A records file: rows 2, 4 and 8 are admitted, 6 duplicates row 2's number, 9 finds the queue's
 * limit (3) reached; 3, 5 and 7 break the API's rules and 10 names no queue.
 */
function recordsCsv(queue: string, tag: string) {
  const later = inHours(48);
  return [
    'phone,queue,priority,customerId,taskType,comment,language,requestedAt,validUntil,contactData.order',
    `+46701${tag}01,${queue},3,C-${tag},invoice,"Said ""call me"", after lunch",sv,,,ORD-1`,
    `not a number,${queue},,,,,,,,`,
    `0701${tag}02,${queue},,,,,,${later},${inHours(72)},`,
    `+46701${tag}03,${queue},high,,,,,,,`,
    `+46701${tag}01,${queue},,,,,,,,`,
    `+46701${tag}04,${queue},,,,,,2030-01-01T10:00,,`,
    `+46701${tag}05,${queue},9,,,,,,,`,
    `+46701${tag}06,${queue},,,,,,,,`,
    `+46701${tag}07,${uniqueName('nosuch')},,,,,,,,`,
  ].join('\r\n');
}

describe('imports through the API', () => {
  it('checks, imports, carries on a second run without making a record twice, and reports as CSV', async () => {
    const queue = await newQueue(stack.api, { area: { duplicatePolicy: 'avoid', maxActiveRecords: 3 } });
    const tag = String(Math.floor(Math.random() * 9000) + 1000);
    const csv = recordsCsv(queue, tag);

    const check = await postCsv('kind=records&dryRun=true', csv);
    expect(check.status, JSON.stringify(check.body)).toBe(200);
    expect(importReport.parse(check.body).dryRun).toBe(true);
    expect(check.body.import).toBeNull();
    expect(rowsOf(check.body, 'invalid')).toEqual([3, 5, 7, 10]);
    expect(check.body.counts.valid).toBe(5);
    const faults = Object.fromEntries(check.body.rows.filter((r: any) => r.errors.length).map((r: any) => [r.row, r.errors]));
    expect(faults[3]).toEqual([{ column: 'phone', message: expect.stringMatching(/not a valid phone number/) }]);
    expect(faults[5]).toEqual([{ column: 'priority', message: 'a whole number' }]);
    expect(faults[7]).toEqual([{ column: 'requestedAt', message: expect.stringMatching(/has no UTC offset/) }]);
    expect(faults[10]).toEqual([{ column: 'queue', message: expect.stringMatching(/^no queue /) }]);
    expect(await recordsIn(queue)).toEqual([]);

    const run = await postCsv('kind=records', csv);
    expect(run.status, JSON.stringify(run.body)).toBe(201);
    const id = importReport.parse(run.body).import!.id;
    expect(run.location).toBe(`/v1/imports/${id}`);
    expect(rowsOf(run.body, 'created')).toEqual([2, 4, 8]);
    expect(rowsOf(run.body, 'duplicate')).toEqual([6]);
    expect(rowsOf(run.body, 'refused')).toEqual([9, 10]);
    expect(rowsOf(run.body, 'invalid')).toEqual([3, 5, 7]);
    const byRow = Object.fromEntries(run.body.rows.map((r: any) => [r.row, r]));
    expect(byRow[9]).toMatchObject({ problem: 'limit-reached', recordId: null });
    expect(byRow[10]).toMatchObject({ problem: 'unknown-queue' });
    expect(byRow[6].recordId).toBe(byRow[2].recordId);

    const made = await recordsIn(queue);
    expect(made.map((r) => r.id).sort()).toEqual([byRow[2].recordId, byRow[4].recordId, byRow[8].recordId].sort());
    const first = (await stack.api.get(`/v1/callbacks/${byRow[2].recordId}`)).body;
    expect(first).toMatchObject({
      phone: `+46701${tag}01`,
      queue,
      channel: 'admin',
      createdBy: stack.actor,
      priority: 3,
      customerId: `C-${tag}`,
      taskType: 'invoice',
      comment: 'Said "call me", after lunch',
      language: 'sv',
      contactData: { order: 'ORD-1' },
      requestedAt: null,
    });
    // The duplicate goes into the record's history through its workflow, a moment later.
    await expect
      .poll(async () => (await stack.api.get(`/v1/callbacks/${byRow[2].recordId}`)).body.history.map((e: any) => e.type), {
        timeout: 15_000,
      })
      .toContain('duplicate-requested');
    const second = (await stack.api.get(`/v1/callbacks/${byRow[4].recordId}`)).body;
    expect(second).toMatchObject({ phone: `+46701${tag}02`, priority: 5, requestedAt: expect.any(String) });
    expect(Date.parse(second.requestedAt)).toBe(Date.parse(csv.split('\r\n')[3]!.split(',')[7]!));

    // A crash between row 4's admission and the keeping of its result: the next run finds its record.
    await stack.sql`delete from import_rows where import_id = ${id} and row = 4`;
    // Room again in the queue: the second run admits row 9, and only it.
    const closed = await stack.api.post(`/v1/callbacks/${byRow[8].recordId}/close`, { comment: 'room for row 9' });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    const again = await postCsv('kind=records', csv);
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.import).toMatchObject({ id, runs: 2 });
    const againByRow = Object.fromEntries(again.body.rows.map((r: any) => [r.row, r]));
    expect(againByRow[4]).toMatchObject({ result: 'created', recordId: byRow[4].recordId, earlier: false });
    for (const row of [2, 6, 8])
      expect(againByRow[row]).toMatchObject({ result: byRow[row].result, recordId: byRow[row].recordId, earlier: true });
    expect(againByRow[9]).toMatchObject({ result: 'created', earlier: false });
    expect((await recordsIn(queue)).length).toBe(4);
    const third = await postCsv('kind=records', csv);
    expect(third.body.import.runs).toBe(3);
    expect((await recordsIn(queue)).length).toBe(4);

    const read = await stack.api.get(`/v1/imports/${id}`);
    expect(read.status).toBe(200);
    importReport.parse(read.body);
    expect(read.body.import.counts).toMatchObject({ created: 4, duplicate: 1, refused: 1, invalid: 3 });
    const report = await stack.api.get(`/v1/imports/${id}/report.csv`);
    expect(report.status).toBe(200);
    expect(report.type).toMatch(/^text\/csv/);
    const [header, ...lines] = parseCsv(report.body)!;
    expect(header).toEqual(['row', 'result', 'recordId', 'name', 'problem', 'message', 'errors']);
    expect(lines.map((l) => [Number(l[0]), l[1], l[2]])).toEqual(read.body.rows.map((r: any) => [r.row, r.result, r.recordId ?? '']));
    expect(lines.find((l) => l[0] === '5')![6]).toBe('priority: a whole number');

    const listed = await stack.api.get('/v1/imports?limit=200');
    importList.parse(listed.body);
    expect(listed.body.items.map((i: any) => i.id)).toContain(id);
    const audit = await stack.api.get(`/v1/audit?action=import&actor=${encodeURIComponent(stack.actor)}`);
    expect(audit.body.items.some((e: any) => e.detail.id === id && e.result === 'ok')).toBe(true);
  });

  it('imports a file exported by the API, its closed records skipped', async () => {
    const from = await newQueue(stack.api);
    const to = await newQueue(stack.api);
    const open = await stack.api.post('/v1/callbacks', { phone: '+46702000001', queue: from, channel: 'api', customerId: 'K1' });
    const gone = await stack.api.post('/v1/callbacks', { phone: '+46702000002', queue: from, channel: 'api' });
    expect((await stack.api.post(`/v1/callbacks/${gone.body.id}/close`, {})).status).toBe(200);
    const exported = await stack.api.get(`/v1/callbacks/export.csv?queue=${from}`);
    expect(exported.status).toBe(200);
    const csv = (exported.body as string).replaceAll(`,${from},`, `,${to},`);

    const run = await postCsv('kind=records', csv);
    expect(run.status, JSON.stringify(run.body)).toBe(201);
    expect(run.body.ignoredColumns).toEqual(expect.arrayContaining(['id', 'status', 'attempts']));
    expect(run.body.counts).toMatchObject({ created: 1, skipped: 1, invalid: 0 });
    const [made] = await recordsIn(to);
    expect(made).toMatchObject({ phone: '+46702000001', customerId: 'K1', channel: 'api' });
    expect(made.id).not.toBe(open.body.id);
  });

  it('creates organisation areas and queues, audited like their POST', async () => {
    const area = uniqueName('area');
    const areas = await postCsv(
      'kind=org-areas',
      `id,name,maxActiveRecords,duplicatePolicy\n${area},Imported area,10,avoid\n${area},Twice,,\n`,
    );
    expect(areas.status, JSON.stringify(areas.body)).toBe(201);
    expect(rowsOf(areas.body, 'created')).toEqual([2]);
    expect(areas.body.rows[1].errors).toEqual([{ column: 'id', message: `${area} is in row 2 already` }]);
    expect((await stack.api.get(`/v1/org-areas/${area}`)).body).toEqual({
      id: area,
      name: 'Imported area',
      maxActiveRecords: 10,
      duplicatePolicy: 'avoid',
    });

    const [q1, q2, q3] = [uniqueName('q'), uniqueName('q'), uniqueName('q')];
    const queues = [
      'name,orgArea,timeZone,openingHours,maxActiveRecords,gateSize,acceptsCallbacks',
      `${q1},${area},Europe/Stockholm,"monday-friday=08:00-12:00,13:00-17:00;saturday=10:00-14:00",50,3,true`,
      `${q2},${area},Europe/Helsinki,"${JSON.stringify(OPEN_ALL_WEEK).replaceAll('"', '""')}",,,false`,
      `${q3},${area},Mars/Olympus,monday=08:00-17:00,,,`,
      `${uniqueName('q')},${uniqueName('nosuch')},Europe/Stockholm,monday=08:00-17:00,,,`,
    ].join('\n');
    const check = await postCsv('kind=queues&dryRun=true', queues);
    expect(check.status, JSON.stringify(check.body)).toBe(200);
    expect(rowsOf(check.body, 'valid')).toEqual([2, 3]);
    expect(check.body.rows[2].errors).toEqual([{ column: 'timeZone', message: expect.stringMatching(/IANA time zone/) }]);
    expect(check.body.rows[3].errors).toEqual([{ column: 'orgArea', message: expect.stringMatching(/^no organisation area /) }]);
    expect((await stack.api.get(`/v1/queues/${q1}`)).status).toBe(404);

    const run = await postCsv('kind=queues', queues);
    expect(run.status, JSON.stringify(run.body)).toBe(201);
    expect(rowsOf(run.body, 'created')).toEqual([2, 3]);
    expect((await stack.api.get(`/v1/queues/${q1}`)).body).toMatchObject({
      orgArea: area,
      maxActiveRecords: 50,
      gateSize: 3,
      acceptsCallbacks: true,
      openingHours: {
        monday: [
          { from: '08:00', to: '12:00' },
          { from: '13:00', to: '17:00' },
        ],
        friday: [
          { from: '08:00', to: '12:00' },
          { from: '13:00', to: '17:00' },
        ],
        saturday: [{ from: '10:00', to: '14:00' }],
      },
    });
    expect((await stack.api.get(`/v1/queues/${q2}`)).body).toMatchObject({
      timeZone: 'Europe/Helsinki',
      acceptsCallbacks: false,
      openingHours: OPEN_ALL_WEEK,
    });
    const audit = await stack.api.get(`/v1/audit?action=queue-create&actor=${encodeURIComponent(stack.actor)}&limit=200`);
    expect(audit.body.items.filter((e: any) => [q1, q2].includes(e.detail.queue?.name)).length).toBe(2);
  });

  it('refuses a wrong kind, a file not CSV, an empty file, a missing column, a file too large and a key not admin, making nothing', async () => {
    const queue = await newQueue(stack.api);
    const good = `phone,queue\n+46703000001,${queue}\n`;

    const refusals: [Awaited<ReturnType<typeof postCsv>>, number, string][] = [
      [await postCsv('kind=agents', good), 400, 'validation-error'],
      [await postCsv('', good), 400, 'validation-error'],
      [await postCsv('kind=records&dryRun=maybe', good), 400, 'validation-error'],
      [await postCsv('kind=records', good, { type: 'application/json' }), 415, 'unsupported-media-type'],
      [await postCsv('kind=records', ''), 422, 'invalid-csv'],
      [await postCsv('kind=records', 'phone,queue\n'), 422, 'invalid-csv'],
      [await postCsv('kind=records', `phone,when\n+46703000001,${queue}\n`), 422, 'invalid-csv'],
      [await postCsv('kind=records', `phone,queue\n"+46703000001,${queue}\n`), 422, 'invalid-csv'],
      [await postCsv('kind=records', `phone,queue\n${`+46703000001,${queue}\n`.repeat(4000)}`), 413, 'payload-too-large'],
      [await postCsv('kind=records', good, { key: stack.keys.integration }), 403, 'forbidden'],
    ];
    for (const [reply, status, type] of refusals) {
      expect(reply.status, JSON.stringify(reply.body)).toBe(status);
      expect(reply.type).toMatch(/^application\/problem\+json/);
      expect(reply.body.type).toBe(type);
    }
    const missing = refusals[6]![0].body;
    expect(missing.title).toMatch(/unknown columns when; missing columns queue/);
    expect(missing.rows).toEqual([{ row: 1, errors: [{ path: '', message: expect.stringMatching(/phone, queue, channel/) }] }]);
    expect(await recordsIn(queue)).toEqual([]);
    const kept = await stack.sql`select id from imports where file_sha256 = ${createHash('sha256').update(good).digest('hex')}`;
    expect(kept).toEqual([]);
  });
});

describe('the Import screen', () => {
  it('checks a file, imports it after asking, lists past imports, and makes nothing twice when the file comes again', async () => {
    const queue = await newQueue(stack.api, { area: { duplicatePolicy: 'avoid', maxActiveRecords: 3 } });
    const tag = String(Math.floor(Math.random() * 9000) + 1000);
    const file = { name: `ace-${tag}.csv`, mimeType: 'text/csv', buffer: Buffer.from(recordsCsv(queue, tag)) };
    const { page, context, problems, adminId } = await adminAt(browser, stack, '/admin/import');
    await page.getByRole('heading', { name: 'Import a file' }).waitFor();

    await page.getByRole('button', { name: 'Check' }).click();
    await saidRefusal(page, /Choose a CSV file first/);

    await page.getByLabel('CSV file').setInputFiles({ ...file, name: 'wrong.csv', buffer: Buffer.from(`phone,when\n+46701000000,x\n`) });
    await page.getByRole('button', { name: 'Check' }).click();
    await saidRefusal(page, /Refused \(422 invalid-csv\): the header is refused: unknown columns when; missing columns queue/);

    await page.getByLabel('What the file holds').selectOption({ label: 'Callback records' });
    await page.getByLabel('CSV file').setInputFiles(file);
    await page.getByRole('button', { name: 'Check' }).click();
    await saidAnswer(page, new RegExp(`Done \\(200\\): checked ${file.name}: 5 rows would be imported, 4 have faults`));
    const bad = page.getByRole('table', { name: 'Rows that would not be imported' });
    await expect.poll(() => bad.locator('tbody tr th, tbody tr td:first-child').allTextContents()).toEqual(['3', '5', '7', '10']);
    expect(await bad.locator('tbody tr').nth(1).textContent()).toContain('priority: a whole number');
    expect(await page.locator('#import-summary').textContent()).toBe(`${file.name}: 5 of 9 rows would be imported; 4 have faults.`);
    await adminShot(page, 'import-check');
    expect(await recordsIn(queue)).toEqual([]);

    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('dialog').getByText(`Import ${file.name} as Callback records?`).waitFor();
    await page.getByRole('button', { name: 'Yes, go ahead' }).click();
    await saidAnswer(page, new RegExp(`Done \\(201\\): imported ${file.name}: 3 created, 1 duplicates, 2 refused, 3 invalid`));
    expect(await page.locator('#import-summary').textContent()).toBe(
      `${file.name}: 9 rows — 3 created, 1 duplicates, 0 existed, 2 refused, 3 invalid, 0 skipped.`,
    );
    const rows = page.getByRole('table', { name: 'Each row and its result' }).locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(9);
    expect(await rows.nth(7).textContent()).toMatch(/^9Refused.*limit-reached/);
    const made = await recordsIn(queue);
    expect(made.length).toBe(3);
    expect(made.every((r) => r.channel === 'admin')).toBe(true);

    const href = await page.getByRole('link', { name: 'Download the report (CSV)' }).getAttribute('href');
    const report = await page.request.get(`${stack.apiUrl}${href}`);
    expect(report.status()).toBe(200);
    const [, ...lines] = parseCsv(await report.text())!;
    expect(lines.map((l) => `${l[0]} ${l[1]}`)).toEqual([
      '2 created',
      '3 invalid',
      '4 created',
      '5 invalid',
      '6 duplicate',
      '7 invalid',
      '8 created',
      '9 refused',
      '10 refused',
    ]);
    expect(
      lines
        .filter((l) => l[1] === 'created')
        .map((l) => l[2])
        .sort(),
    ).toEqual(made.map((r) => r.id).sort());

    const row2 = lines.find((l) => l[0] === '2')![2]!;
    expect(await rows.nth(0).getByRole('link', { name: row2 }).getAttribute('href')).toBe(`/admin/records/${row2}`);

    const past = page.getByRole('table', { name: 'Imports, newest first' });
    const ours = past.locator('tbody tr', { hasText: `person:${adminId}` });
    await expect
      .poll(() => ours.locator('td').allTextContents())
      .toEqual([expect.any(String), 'Callback records', `person:${adminId}`, '9', '3', '1', '2', '3', '1', 'ShowCSV']);
    await adminShot(page, 'import');

    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('button', { name: 'Yes, go ahead' }).click();
    await saidAnswer(page, new RegExp(`Done \\(200\\): imported ${file.name}: 3 created, 1 duplicates, 2 refused, 3 invalid`));
    await expect
      .poll(() => page.locator('#import-again').textContent())
      .toBe('This file was imported before: 4 rows were done already and were not tried again.');
    expect((await recordsIn(queue)).length).toBe(3);

    await page.locator('#import-summary').evaluate((p) => (p.textContent = ''));
    await ours.getByRole('button', { name: /^Show the Callback records import of / }).click();
    await saidAnswer(page, /Done \(200\): the Callback records import of /);
    await expect
      .poll(() => page.locator('#import-summary').textContent())
      .toMatch(/: 9 rows — 3 created, 1 duplicates, 0 existed, 2 refused, 3 invalid, 0 skipped\.$/);

    const area = uniqueName('area');
    expect((await stack.api.post('/v1/org-areas', { id: area, name: area })).status).toBe(201);
    const newQueueName = uniqueName('q');
    await page.getByLabel('What the file holds').selectOption({ label: 'Queues' });
    await page.getByLabel('CSV file').setInputFiles({
      name: 'queues.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`name,orgArea,timeZone,openingHours\n${newQueueName},${area},Europe/Stockholm,monday-friday=08:00-17:00\n`),
    });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('dialog').getByText('Import queues.csv as Queues?').waitFor();
    await page.getByRole('button', { name: 'Yes, go ahead' }).click();
    await saidAnswer(page, /Done \(201\): imported queues\.csv: 1 created/);
    expect((await stack.api.get(`/v1/queues/${newQueueName}`)).body).toMatchObject({ orgArea: area, timeZone: 'Europe/Stockholm' });

    await page.getByRole('link', { name: 'På svenska' }).click();
    await page.getByRole('heading', { name: 'Importera en fil' }).waitFor();
    await page.getByRole('table', { name: 'Importer, senaste först' }).waitFor();
    expect(await page.getByLabel('Vad filen innehåller').locator('option').allTextContents()).toEqual([
      'Återuppringningar',
      'Organisationsområden',
      'Köer',
    ]);

    expect(problems).toEqual([]);
    await context.close();
  });
});
