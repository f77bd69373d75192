// Limits hold on every path into a queue: a record moved there (one change, many at once, in
// bulk) is admitted like a new one, exactly under concurrency, and a record closing at the end of
// its call still takes its place. Through the API, the worker, Temporal and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newQueue, OPEN_ALL_WEEK, recordWhen, startStack, uniqueName, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const later = () => new Date(Date.now() + 3_600_000).toISOString();

async function create(queue: string) {
  const created = await stack.api.post('/v1/callbacks', { phone: '070-123 45 67', queue, channel: 'ivr', requestedAt: later() });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}

const createMany = (queue: string, n: number) => Promise.all(Array.from({ length: n }, () => create(queue)));

/** Records holding a place in the queue (or area), as the table has them. */
async function holding(scope: { queue: string } | { orgArea: string }): Promise<number> {
  const where = 'queue' in scope ? stack.sql`queue = ${scope.queue}` : stack.sql`org_area = ${scope.orgArea}`;
  const [row] = await stack.sql<{ n: number }[]>`
    select count(*)::int as n from callbacks where status in ('Open', 'Paused', 'Active', 'Closing') and ${where}`;
  return row!.n;
}

/** Runs `work` while sampling `count`; returns its result and the highest count seen. */
async function watching<T>(count: () => Promise<number>, work: () => Promise<T>): Promise<{ result: T; highest: number }> {
  let highest = 0;
  let done = false;
  const sampler = (async () => {
    while (!done) {
      highest = Math.max(highest, await count());
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const result = await work();
  done = true;
  await sampler;
  highest = Math.max(highest, await count());
  return { result, highest };
}

const orgAreaOf = async (queue: string): Promise<string> => (await stack.api.get(`/v1/queues/${queue}`)).body.orgArea;

async function siblingOf(queue: string, extra: Record<string, unknown> = {}) {
  const name = uniqueName('q');
  const reply = await stack.api.post('/v1/queues', {
    name,
    orgArea: await orgAreaOf(queue),
    timeZone: 'UTC',
    openingHours: OPEN_ALL_WEEK,
    ...extra,
  });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return name;
}

describe('moving records into a queue', () => {
  it('50 moves at once into a queue with 10 free places: exactly 10 move, 40 are refused', async () => {
    const source = await newQueue(stack.api);
    const target = await newQueue(stack.api, { queue: { maxActiveRecords: 12 } });
    await createMany(target, 2);
    const records = await createMany(source, 50);

    const { result: replies, highest } = await watching(
      () => holding({ queue: target }),
      () => Promise.all(records.map((r) => stack.api.patch(`/v1/callbacks/${r.id}`, { queue: target }))),
    );
    const moved = replies.filter((r) => r.status === 200);
    const refused = replies.filter((r) => r.status === 409);
    expect(moved).toHaveLength(10);
    expect(refused).toHaveLength(40);
    for (const r of refused) expect(r.body).toMatchObject({ type: 'limit-reached', scope: 'queue', queue: target, limit: 12 });
    expect(highest).toBeLessThanOrEqual(12);
    expect(await holding({ queue: target })).toBe(12);
    expect(await holding({ queue: source })).toBe(40);

    // The refused stay where they were, untouched.
    const refusedId = records[replies.indexOf(refused[0]!)]!.id;
    const stayed = (await stack.api.get(`/v1/callbacks/${refusedId}`)).body;
    expect(stayed.queue).toBe(source);
    expect(stayed.history.map((e: any) => e.type)).not.toContain('changed');

    // The places the moves held are given back: a place freed in the queue is a place to move into.
    expect((await stack.api.post('/v1/callbacks', { phone: '070-123 45 67', queue: target, channel: 'ivr' })).body.type).toBe(
      'limit-reached',
    );
    expect((await stack.api.post(`/v1/callbacks/${moved[0]!.body.id}/close`, {})).status).toBe(200);
    const last = await stack.api.patch(`/v1/callbacks/${refusedId}`, { queue: target });
    expect(last.status, JSON.stringify(last.body)).toBe(200);
    expect(await holding({ queue: target })).toBe(12);
  });

  it('holds to the area limit across its queues, and a move inside a full area counts the record once', async () => {
    const first = await newQueue(stack.api, { area: { maxActiveRecords: 6 } });
    const second = await siblingOf(first);
    const orgArea = await orgAreaOf(first);
    await createMany(first, 2);
    const outside = await createMany(await newQueue(stack.api), 20);

    const { result: replies, highest } = await watching(
      () => holding({ orgArea }),
      () => Promise.all(outside.map((r, i) => stack.api.patch(`/v1/callbacks/${r.id}`, { queue: i % 2 ? first : second }))),
    );
    expect(replies.filter((r) => r.status === 200)).toHaveLength(4);
    const refused = replies.filter((r) => r.status === 409);
    expect(refused).toHaveLength(16);
    for (const r of refused) expect(r.body).toMatchObject({ type: 'limit-reached', scope: 'org-area', orgArea, limit: 6 });
    expect(highest).toBeLessThanOrEqual(6);
    expect(await holding({ orgArea })).toBe(6);

    const inFirst = await stack.api.get(`/v1/callbacks?queue=${first}&limit=1`);
    const across = await stack.api.patch(`/v1/callbacks/${inFirst.body.items[0].id}`, { queue: second });
    expect(across.status, JSON.stringify(across.body)).toBe(200);
    expect(across.body.queue).toBe(second);
    expect(await holding({ orgArea })).toBe(6);
  });

  it('refuses a move into a queue that takes no callbacks now, or that does not exist', async () => {
    const source = await newQueue(stack.api);
    const closed = await newQueue(stack.api, { queue: { acceptsCallbacks: false } });
    const record = await create(source);
    const refused = await stack.api.patch(`/v1/callbacks/${record.id}`, { queue: closed, priority: 1 });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ type: 'queue-not-accepting-callbacks', queue: closed });
    const unknown = await stack.api.patch(`/v1/callbacks/${record.id}`, { queue: uniqueName('nope') });
    expect(unknown.status).toBe(422);
    expect(unknown.body.type).toBe('unknown-queue');
    const stored = (await stack.api.get(`/v1/callbacks/${record.id}`)).body;
    expect(stored).toMatchObject({ queue: source, priority: 5 });
    expect(await holding({ queue: closed })).toBe(0);
  });

  it('in bulk, moves as many as there are places, and names each record refused', async () => {
    const source = await newQueue(stack.api);
    const target = await newQueue(stack.api, { queue: { maxActiveRecords: 2 } });
    await createMany(source, 5);
    const bulk = await stack.api.post('/v1/callbacks/bulk', { action: 'change', filter: { queue: source }, changes: { queue: target } });
    expect(bulk.status, JSON.stringify(bulk.body)).toBe(200);
    expect(bulk.body).toMatchObject({ matched: 5, succeeded: 2, failed: 3 });
    const failed = bulk.body.results.filter((r: any) => !r.ok);
    for (const r of failed) expect(r.problem).toMatchObject({ type: 'limit-reached', scope: 'queue', queue: target, limit: 2 });
    expect(await holding({ queue: target })).toBe(2);
    for (const r of failed) expect((await stack.api.get(`/v1/callbacks/${r.id}`)).body.queue).toBe(source);
  });
});

describe('a record closing at the end of its call', () => {
  it('still takes its place: no new record and no move fills it', async () => {
    const target = await newQueue(stack.api, { queue: { maxActiveRecords: 1 } });
    const created = await stack.api.post('/v1/callbacks', { phone: '070-123 45 67', queue: target, channel: 'ivr' });
    expect(created.status).toBe(201);
    const { id } = created.body;
    await recordWhen(stack.api, id, (r) => r.stage === 'offered');
    expect((await stack.api.post(`/v1/callbacks/${id}/accept`, { agentId: uniqueName('agent') })).status).toBe(200);
    await recordWhen(stack.api, id, (r) => r.stage === 'connected');
    expect((await stack.api.post(`/v1/callbacks/${id}/close`, {})).body).toMatchObject({ status: 'Closing' });

    const another = await stack.api.post('/v1/callbacks', { phone: '070-765 43 21', queue: target, channel: 'ivr' });
    expect(another.status).toBe(409);
    expect(another.body).toMatchObject({ type: 'limit-reached', scope: 'queue', queue: target, limit: 1 });
    const elsewhere = await create(await newQueue(stack.api));
    const move = await stack.api.patch(`/v1/callbacks/${elsewhere.id}`, { queue: target });
    expect(move.status).toBe(409);
    expect(move.body.type).toBe('limit-reached');
  });
});
