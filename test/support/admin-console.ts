// The admin console (/admin) in a real browser for the tests of its screens: an administrator
// with a password, a fresh browser context signed in as them, and screenshots.
import { mkdir } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { uniqueName, type Stack } from './stack.js';

export const ADMIN_PASSWORD = 'correct horse battery staple';
const SHOTS = 'test-artifacts/admin';

/** A person with the admin role and a password, made through the API; their id. */
export async function adminPerson(stack: Stack, displayName = 'Ada Admin'): Promise<string> {
  const id = uniqueName('admin');
  const made = await stack.api.post('/v1/people', { id, displayName, role: 'admin', password: ADMIN_PASSWORD });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  return id;
}

export interface AdminBrowser {
  page: Page;
  context: BrowserContext;
  /** Script errors and refused loads (CSP) seen so far: a test expects none. */
  problems: string[];
}

/**
 * `path` in a fresh browser context, in English unless told. Script errors and console errors
 * other than a refused request (which the screens say in words, and the tests assert) are kept
 * in `problems`.
 */
export async function openAdmin(browser: Browser, stack: Stack, path = '/admin', locale = 'en-GB'): Promise<AdminBrowser> {
  const context = await browser.newContext({ locale, timezoneId: 'Europe/Stockholm', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) problems.push(m.text());
  });
  await page.goto(`${stack.apiUrl}${path}`);
  return { page, context, problems };
}

/** Signs in on the form the console shows to someone who is not signed in. */
export async function signInAsAdmin(page: Page, id: string, password = ADMIN_PASSWORD): Promise<void> {
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('User name').fill(id);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText(/^Signed in as /).waitFor();
}

/** `path` opened and signed in as a new administrator. */
export async function adminAt(browser: Browser, stack: Stack, path = '/admin'): Promise<AdminBrowser & { adminId: string }> {
  const adminId = await adminPerson(stack);
  const opened = await openAdmin(browser, stack, path);
  await signInAsAdmin(opened.page, adminId);
  return { ...opened, adminId };
}

/** A screenshot of the whole page under test-artifacts/admin (the README's come from there). */
export async function adminShot(page: Page, name: string): Promise<void> {
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

/** The API's answer the console said in words (its status line), once it says one matching `pattern`. */
export async function saidAnswer(page: Page, pattern: RegExp): Promise<string> {
  const answer = page.locator('#admin-answer');
  await expect.poll(async () => ((await answer.isVisible()) ? await answer.textContent() : ''), { timeout: 15_000 }).toMatch(pattern);
  return (await answer.textContent()) ?? '';
}

/** The API's refusal the console said in words, once it says one matching `pattern`. */
export async function saidRefusal(page: Page, pattern: RegExp): Promise<string> {
  const problem = page.locator('#admin-problem');
  await expect.poll(async () => ((await problem.isVisible()) ? await problem.textContent() : ''), { timeout: 15_000 }).toMatch(pattern);
  return (await problem.textContent()) ?? '';
}
