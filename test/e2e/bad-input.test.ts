// Bad input through the real stack, where what matters is that nothing changes; what the API
// refuses at its edge alone is checked, faster, in test/router/bad-requests.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { startStack, newQueue, uniqueName, type Reply, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const future = (ms: number) => new Date(Date.now() + ms).toISOString();
const HOUR = 3_600_000;

function expectProblem(reply: Reply, status: number, type: string) {
  expect(reply.status).toBe(status);
  expect(reply.type).toBe('application/problem+json');
  expect(reply.body).toMatchObject({ status, type });
}

async function rowsIn(queue: string): Promise<number> {
  const [row] = await stack.sql<{ n: number }[]>`select count(*)::int as n from callbacks where queue = ${queue}`;
  return row!.n;
}

// Text PostgreSQL cannot store: a NUL, and half of a surrogate pair (JSON can carry both).
const NUL = '\u0000';
const LONE = '\ud800';

// Counted for this file's key only: other test files write to the same database meanwhile.
async function madeByThisFile() {
  const [row] = await stack.sql<{ audit: number; webhooks: number }[]>`
    select (select count(*)::int from audit_log where actor = ${stack.actor}) as audit,
      (select count(*)::int from webhook_subscriptions where created_by = ${stack.actor}) as webhooks`;
  return row!;
}

async function newRecord(queue: string): Promise<string> {
  const made = await stack.api.post('/v1/callbacks', { phone: '+46701234567', queue, channel: 'api', requestedAt: future(24 * HOUR) });
  expect(made.status).toBe(201);
  return made.body.id;
}

function expectNamed(reply: Reply, path: string) {
  expectProblem(reply, 400, 'validation-error');
  expect(reply.body.errors.map((e: any) => e.path)).toContain(path);
}

describe('text that cannot be stored is a 400 naming the field', () => {
  it.each([
    ['NUL', NUL],
    ['a lone surrogate', LONE],
  ])('%s in the bodies of records, and nothing changes', async (_, bad) => {
    const queue = await newQueue(stack.api);
    const id = await newRecord(queue);
    const calls: [string, () => Promise<Reply>, string][] = [
      ['create', () => stack.api.post('/v1/callbacks', { phone: '+46701234567', queue, channel: 'api', comment: `a${bad}` }), 'comment'],
      [
        'create, contact data',
        () => stack.api.post('/v1/callbacks', { phone: '+46701234567', queue, channel: 'api', contactData: { x: bad } }),
        'contactData.x',
      ],
      [
        'create, a contact data key',
        () => stack.api.post('/v1/callbacks', { phone: '+46701234567', queue, channel: 'api', contactData: { [`k${bad}`]: 'v' } }),
        `contactData.k${bad}`,
      ],
      ['change', () => stack.api.patch(`/v1/callbacks/${id}`, { comment: bad }), 'comment'],
      ['copy', () => stack.api.post(`/v1/callbacks/${id}/copy`, { comment: bad }), 'comment'],
      ['close', () => stack.api.post(`/v1/callbacks/${id}/close`, { comment: bad }), 'comment'],
      ['refuse', () => stack.api.post(`/v1/callbacks/${id}/refuse`, { agentId: 'anna', reason: `no${bad}` }), 'reason'],
      [
        'feedback',
        () => stack.api.post(`/v1/callbacks/${id}/feedback`, { agentId: 'anna', outcome: 'completed', comment: bad }),
        'comment',
      ],
      ['bulk', () => stack.api.post('/v1/callbacks/bulk', { action: 'pause', filter: { queue: `${queue}${bad}` } }), 'filter.queue'],
    ];
    for (const [what, call, path] of calls) {
      const reply = await call();
      expect(reply.status, what).toBe(400);
      expectNamed(reply, path);
    }
    expect(await rowsIn(queue)).toBe(1);
    const record = await stack.api.get(`/v1/callbacks/${id}`);
    expect(record.body).toMatchObject({ status: 'Open', comment: null });
  });

  it.each([
    ['NUL', NUL],
    ['a lone surrogate', LONE],
  ])('%s in configuration: nothing is stored, and a retry with good text works', async (_, bad) => {
    const queue = await newQueue(stack.api);
    const area = uniqueName('area');
    const schedule = uniqueName('s');
    const week = { monday: { periods: [{ from: '08:00', to: '12:00' }], minutesPerAppointment: 15 } };
    const before = await madeByThisFile();
    expectNamed(await stack.api.post('/v1/org-areas', { id: area, name: `A${bad}` }), 'name');
    expectNamed(await stack.api.post('/v1/schedules', { id: schedule, name: `S${bad}`, queue, week, capacity: 1 }), 'name');
    expectNamed(
      await stack.api.post('/v1/webhooks', { url: 'https://hooks.example/x', events: ['created'], description: bad }),
      'description',
    );
    expect(await madeByThisFile()).toEqual(before);
    expect((await stack.api.get(`/v1/org-areas/${area}`)).status).toBe(404);
    expect((await stack.api.get(`/v1/schedules/${schedule}`)).status).toBe(404);

    expect((await stack.api.post('/v1/org-areas', { id: area, name: 'A' })).status).toBe(201);
    expect((await stack.api.post('/v1/schedules', { id: schedule, name: 'S', queue, week, capacity: 1 })).status).toBe(201);
    expectNamed(await stack.api.patch(`/v1/schedules/${schedule}`, { name: bad }), 'name');
    expectNamed(await stack.api.patch(`/v1/org-areas/${area}`, { name: bad }), 'name');
    expectNamed(await stack.api.put(`/v1/schedules/${schedule}/exceptions/2030-12-24`, { closed: true, note: `Xmas${bad}` }), 'note');
    expect((await stack.api.get(`/v1/schedules/${schedule}`)).body).toMatchObject({ name: 'S', exceptions: [] });
    expect((await stack.api.get(`/v1/org-areas/${area}`)).body).toMatchObject({ name: 'A' });
  });
});

describe('a body must be JSON, declared so', () => {
  it('a queue change sent as text/plain is a 415, and nothing changes', async () => {
    const queue = await newQueue(stack.api);
    const before = await madeByThisFile();
    const plain = await fetch(`${stack.apiUrl}/v1/queues/${queue}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${stack.keys.admin}`, 'x-actor': 'tester', 'content-type': 'text/plain' },
      body: '{"acceptsCallbacks":false}',
    });
    expect(plain.status).toBe(415);
    expect(await plain.json()).toMatchObject({ status: 415, type: 'unsupported-media-type' });
    expect((await stack.api.get(`/v1/queues/${queue}`)).body).toMatchObject({ acceptsCallbacks: true });
    expect(await madeByThisFile()).toEqual(before);
  });

  it('takes application/json with a charset and +json types', async () => {
    const queue = await newQueue(stack.api);
    for (const type of ['application/json; charset=utf-8', 'application/merge-patch+json']) {
      const reply = await stack.api.patch(`/v1/queues/${queue}`, { maxActiveRecords: 7 }, { 'content-type': type });
      expect(reply.status, type).toBe(200);
    }
  });

  it('no body where none is needed is still fine', async () => {
    const queue = await newQueue(stack.api);
    const id = await newRecord(queue);
    expect((await stack.api.post(`/v1/callbacks/${id}/close`)).status).toBe(200);
  });
});

describe('the edge answers clearly', () => {
  it('a 413 leaves a keep-alive client able to send its next request', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const send = (method: string, path: string, body?: string) =>
      new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
        const req = http.request(`${stack.apiUrl}${path}`, {
          agent,
          method,
          headers: { authorization: `Bearer ${stack.keys.admin}`, 'content-type': 'application/json' },
        });
        req.on('response', (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection }));
        });
        req.on('error', reject);
        req.end(body);
      });
    try {
      const big = await send('POST', '/v1/callbacks', JSON.stringify({ comment: 'x'.repeat(200_000) }));
      expect(big.status).toBe(413);
      expect((await send('GET', '/v1/queues')).status).toBe(200);
    } finally {
      agent.destroy();
    }
  });

  it('documents priority 1 as offered first, as it is', async () => {
    const doc = (await stack.api.get('/openapi.json')).body;
    const priority = doc.paths['/v1/callbacks'].post.requestBody.content['application/json'].schema.properties.priority;
    expect(priority.description).toMatch(/1 \(most urgent\)/);
  });
});

describe('a configuration change commits with its audit entry, or not at all', () => {
  // Stands in for any failure of the audit write (it was jsonb refusing a lone surrogate): the
  // database refuses entries of one actor, whom no other test uses.
  const failing = 'audit-write-fails';
  beforeAll(async () => {
    // DDL takes no parameters; the name is a constant of this file.
    await stack.sql.unsafe(`alter table audit_log drop constraint if exists test_audit_fails`);
    await stack.sql.unsafe(`alter table audit_log add constraint test_audit_fails check (actor not like '%/${failing}')`);
  });
  afterAll(async () => {
    await stack.sql`alter table audit_log drop constraint if exists test_audit_fails`;
  });

  it('a change whose entry cannot be written answers 500 and leaves nothing behind', async () => {
    const queue = await newQueue(stack.api);
    const area = uniqueName('area');
    const schedule = uniqueName('s');
    const week = { monday: { periods: [{ from: '08:00', to: '12:00' }], minutesPerAppointment: 15 } };
    expect((await stack.api.post('/v1/schedules', { id: schedule, name: 'S', queue, week, capacity: 1 })).status).toBe(201);
    const as = { 'x-actor': failing };
    const attempts = await Promise.all([
      stack.api.post('/v1/org-areas', { id: area, name: 'A' }, as),
      stack.api.post('/v1/schedules', { id: `${schedule}-2`, name: 'S', queue, week, capacity: 1 }, as),
      stack.api.patch(`/v1/schedules/${schedule}`, { name: 'changed' }, as),
      stack.api.put(`/v1/schedules/${schedule}/exceptions/2030-12-24`, { closed: true }, as),
    ]);
    expect(attempts.map((r) => r.status)).toEqual([500, 500, 500, 500]);
    expect((await stack.api.get(`/v1/org-areas/${area}`)).status).toBe(404);
    expect((await stack.api.get(`/v1/schedules/${schedule}-2`)).status).toBe(404);
    expect((await stack.api.get(`/v1/schedules/${schedule}`)).body).toMatchObject({ name: 'S', exceptions: [] });
    // and a retry by someone whose entries can be written goes through, as new
    expect((await stack.api.post('/v1/org-areas', { id: area, name: 'A' })).status).toBe(201);
  });
});

describe('found by the fuzz pass', () => {
  it('keys of one name made at once: one is made, the others are told it exists', async () => {
    const name = uniqueName('twin');
    const replies = await Promise.all(Array.from({ length: 4 }, () => stack.api.post('/v1/api-keys', { name, role: 'agent' })));
    expect(replies.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    expect(replies.filter((r) => r.status === 409).map((r) => r.body.type)).toEqual(['already-exists', 'already-exists', 'already-exists']);
  });
});
