// Reading the audit log over HTTP: filters, time ranges, paging and bad input. Every test writes
// its entries under an actor of its own: the database is shared with tests running alongside.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeAudit, type AuditEntry } from '../../db/audit.js';
import { startStack, uniqueName, type Reply, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ withoutWorker: true });
});
afterAll(async () => {
  await stack?.stop();
});

const audit = (query: Record<string, string>, headers?: Record<string, string>) =>
  stack.api.get(`/v1/audit?${new URLSearchParams(query)}`, headers);

/** Writes each entry in a transaction of its own, so that each has its own time, oldest first. */
async function writeInTurn(entries: AuditEntry[]) {
  for (const entry of entries) {
    await writeAudit(stack.sql, entry);
    await new Promise((r) => setTimeout(r, 2));
  }
}

function expectProblem(reply: Reply, status: number, type: string, path?: string) {
  expect(reply.status).toBe(status);
  expect(reply.type).toBe('application/problem+json');
  expect(reply.body).toMatchObject({ status, type });
  if (path !== undefined) expect(reply.body.errors.map((e: any) => e.path)).toContain(path);
}

describe('GET /v1/audit', () => {
  it('lists an actor’s entries newest first, and filters by action and by record', async () => {
    const actor = uniqueName('auditor');
    const [one, two] = [randomUUID(), randomUUID()];
    await writeInTurn([
      { actor, action: 'search', filter: { queue: 'support', status: 'Open' }, detail: { found: 3 }, result: 'ok' },
      { actor, action: 'pause', recordId: one, detail: { reason: 'customer asked' }, result: 'ok' },
      { actor, action: 'close', recordId: one, result: 'not-acceptable-now' },
      { actor, action: 'pause', recordId: two, result: 'ok' },
    ]);

    const all = await audit({ actor });
    expect(all.status).toBe(200);
    expect(all.body.nextCursor).toBeNull();
    expect(all.body.items.map((e: any) => [e.action, e.recordId])).toEqual([
      ['pause', two],
      ['close', one],
      ['pause', one],
      ['search', null],
    ]);
    expect(all.body.items[3]).toEqual({
      id: expect.stringMatching(/^\d+$/),
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
      actor,
      action: 'search',
      recordId: null,
      filter: { queue: 'support', status: 'Open' },
      detail: { found: 3 },
      result: 'ok',
    });
    expect(all.body.items[1]).toMatchObject({ filter: null, detail: {}, result: 'not-acceptable-now' });

    const pauses = await audit({ actor, action: 'pause' });
    expect(pauses.body.items.map((e: any) => e.recordId)).toEqual([two, one]);
    const ofOne = await audit({ recordId: one });
    expect(ofOne.body.items.map((e: any) => e.action)).toEqual(['close', 'pause']);
    expect((await audit({ actor, action: 'delete' })).body.items).toEqual([]);
  });

  it('keeps to a time range: from inclusive, to exclusive, to the microsecond', async () => {
    const actor = uniqueName('auditor');
    await writeInTurn(['first', 'second', 'third'].map((step) => ({ actor, action: 'search', detail: { step }, result: 'ok' })));
    const { items } = (await audit({ actor })).body;
    const [third, second, first] = items.map((e: any) => e.at) as string[];
    const steps = async (query: Record<string, string>) => (await audit({ actor, ...query })).body.items.map((e: any) => e.detail.step);

    expect(await steps({ from: second!, to: third! })).toEqual(['second']);
    expect(await steps({ from: second! })).toEqual(['third', 'second']);
    expect(await steps({ to: second! })).toEqual(['first']);
    expect(await steps({ from: first!, to: first! })).toEqual([]);
    // Any offset names the same instant.
    const before = new Date(Date.parse(first!) - 1000);
    const inStockholmSummer = new Date(before.getTime() + 2 * 3_600_000).toISOString().replace('Z', '+02:00');
    expect(await steps({ from: inStockholmSummer })).toEqual(['third', 'second', 'first']);
    expect(await steps({ to: inStockholmSummer })).toEqual([]);

    // Entries a few microseconds apart, as the database keeps them.
    const close = uniqueName('auditor');
    await stack.sql`
      insert into audit_log (at, actor, action, result) values
        ('2001-02-03T04:05:06.123100Z', ${close}, 'a', 'ok'),
        ('2001-02-03T04:05:06.123900Z', ${close}, 'b', 'ok')`;
    const actions = async (query: Record<string, string>) => (await audit({ actor: close, ...query })).body.items.map((e: any) => e.action);
    expect(await actions({})).toEqual(['b', 'a']);
    expect((await audit({ actor: close })).body.items[0].at).toBe('2001-02-03T04:05:06.123900Z');
    expect(await actions({ from: '2001-02-03T04:05:06.123500Z' })).toEqual(['b']);
    expect(await actions({ to: '2001-02-03T06:05:06.123500+02:00' })).toEqual(['a']);
    expect(await actions({ limit: '1', cursor: (await audit({ actor: close, limit: '1' })).body.nextCursor })).toEqual(['a']);
  });

  it('pages with its cursor without skipping or repeating, also through entries of the same instant', async () => {
    const actor = uniqueName('auditor');
    const entry = (n: number): AuditEntry => ({ actor, action: 'bulk-pause', recordId: randomUUID(), detail: { n }, result: 'ok' });
    // One insert: seven entries of one transaction share their time, and only their ids order them.
    await writeAudit(
      stack.sql,
      Array.from({ length: 7 }, (_, n) => entry(n)),
    );
    await writeInTurn([7, 8, 9].map(entry));

    const everything = (await audit({ actor, limit: '200' })).body.items.map((e: any) => e.id);
    expect(everything).toHaveLength(10);

    const seen: string[] = [];
    const pageSizes: number[] = [];
    let cursor: string | null = null;
    do {
      const page: Reply = await audit({ actor, limit: '3', ...(cursor ? { cursor } : {}) });
      expect(page.status).toBe(200);
      pageSizes.push(page.body.items.length);
      seen.push(...page.body.items.map((e: any) => e.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(pageSizes).toEqual([3, 3, 3, 1]);
    expect(seen).toEqual(everything);

    const first = await audit({ actor, limit: '5' });
    const last = await audit({ actor, limit: '5', cursor: first.body.nextCursor });
    expect(last.body.items).toHaveLength(5);
    expect(last.body.nextCursor).toBeNull();
  });

  it('is not itself logged', async () => {
    const actor = uniqueName('reader');
    expect((await audit({ actor: 'nobody-at-all' }, { 'x-actor': actor })).status).toBe(200);
    expect((await audit({ actor })).body.items).toEqual([]);
  });
});

describe('GET /v1/audit refuses', () => {
  const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it.each([
    ['a cursor it never gave', { cursor: 'not-a-cursor' }, 'cursor'],
    ['a cursor of the wrong shape', { cursor: cursorOf({ at: '2025-01-01T00:00:00Z', id: '1' }) }, 'cursor'],
    ['a cursor with no instant in it', { cursor: cursorOf(['yesterday', '1']) }, 'cursor'],
    ['a cursor with an id out of range', { cursor: cursorOf(['2025-01-01T00:00:00Z', '9'.repeat(30)]) }, 'cursor'],
    ['a from that is no instant', { from: 'yesterday' }, 'from'],
    ['a to without an offset', { to: '2025-01-01T00:00:00' }, 'to'],
    ['a from after to', { from: '2025-01-02T00:00:00Z', to: '2025-01-01T00:00:00Z' }, 'from'],
    ['a limit of 0', { limit: '0' }, 'limit'],
    ['a limit over 200', { limit: '201' }, 'limit'],
    ['an unknown query key', { user: 'someone' }, ''],
    ['an empty actor', { actor: '' }, 'actor'],
  ])('%s', async (_, query, path) => {
    expectProblem(await audit(query), 400, 'validation-error', path);
  });
});
