// The API's documentation: /openapi.json describes every route, field and problem type, from the
// same schemas the routes validate with, and /docs shows it in a browser.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBLEM_TYPES } from '../../services/problem-types.js';
import { launchBrowser } from '../support/browser.js';
import { declaredRoutes } from '../support/routes.js';
import { undescribedFields } from '../support/openapi-walk.js';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
let doc: any;
beforeAll(async () => {
  stack = await startStack({ withoutWorker: true });
  const res = await fetch(`${stack.apiUrl}/openapi.json`);
  expect(res.status).toBe(200);
  doc = await res.json();
});
afterAll(async () => {
  await stack?.stop();
});

describe('/openapi.json', () => {
  it('is an OpenAPI 3.1 document, public, with the key schemes', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.security).toEqual([{ bearer: [] }, { apiKey: [] }]);
  });

  it('describes every route under /v1, with its roles, parameters and answers', () => {
    const routes = declaredRoutes().filter((r) => r.path.startsWith('/v1/'));
    expect(routes.length).toBeGreaterThan(40);
    for (const r of routes) {
      const op = doc.paths[r.path.replace(/:(\w+)/g, '{$1}')]?.[r.method.toLowerCase()];
      expect(op, `${r.method} ${r.path}`).toBeDefined();
      expect(op.summary).toBeTruthy();
      expect(op['x-roles'].length).toBeGreaterThan(0);
      for (const name of r.path.match(/:(\w+)/g) ?? []) {
        expect(
          op.parameters.some((p: any) => p.in === 'path' && p.name === name.slice(1)),
          `${r.path} ${name}`,
        ).toBe(true);
      }
      expect(
        Object.keys(op.responses).some((s) => s.startsWith('2')),
        `${r.method} ${r.path}`,
      ).toBe(true);
      expect(op.responses['401'].description).toContain('unauthenticated');
    }
    const ids = Object.values<any>(doc.paths).flatMap((ops) => Object.values<any>(ops).map((op) => op.operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('describes every field of every request and answer', () => {
    expect(undescribedFields(doc)).toEqual([]);
    const create = doc.paths['/v1/callbacks'].post;
    expect(create.requestBody.content['application/json'].schema.properties.phone.description).toMatch(/E\.164/);
    expect(create.requestBody.content['application/json'].schema.required).toEqual(['phone', 'queue', 'channel']);
    expect(doc.paths['/v1/callbacks/{id}'].get.responses['200'].content['application/json'].schema.properties.history).toBeDefined();
  });

  // problem() takes its status from the catalogue, so the code cannot answer a type missing from it.
  it('lists every problem type of the catalogue, with its status', () => {
    for (const [type, [status]] of Object.entries(PROBLEM_TYPES)) expect(doc['x-problem-types'][type], type).toMatchObject({ status });
    expect(Object.keys(doc['x-problem-types']).sort()).toEqual(Object.keys(PROBLEM_TYPES).sort());
    expect(doc.components.schemas.Problem.properties.type.enum).toContain('record-in-call');
  });
});

describe('/docs', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows every operation in a browser, from local assets only, and calls the API with a key', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('requestfailed', (r) => problems.push(`${r.url()} failed`));
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));

    await page.goto(`${stack.apiUrl}/docs`);
    await page.getByText('Request a callback').first().waitFor();
    // Swagger UI shows the webhooks (requests we make: the telephony gateway's call request) as operations too.
    const operations = [...Object.values<any>(doc.paths), ...Object.values<any>(doc.webhooks ?? {})].reduce(
      (n, ops) => n + Object.keys(ops).length,
      0,
    );
    await expect.poll(() => page.locator('.opblock').count()).toBe(operations);
    expect(requests.every((url) => url.startsWith(stack.apiUrl))).toBe(true);

    // Authorize with an agent key, then try "List queues" from the page.
    await page
      .getByRole('button', { name: /authorize/i })
      .first()
      .click();
    const dialog = page.locator('.dialog-ux');
    await dialog.locator('.auth-container input').first().fill(stack.keys.agent);
    await dialog.locator('.auth-container').first().getByRole('button', { name: 'Apply credentials' }).click();
    await dialog.locator('.close-modal').click();
    const list = page.locator('#operations-queues-getQueues');
    await list.locator('.opblock-summary').click();
    await list.getByRole('button', { name: /try it out/i }).click();
    await list.getByRole('button', { name: /execute/i }).click();
    await expect.poll(() => list.locator('.live-responses-table tbody .response-col_status').first().textContent()).toContain('200');
    expect(problems).toEqual([]);
    await page.close();
  });
});
