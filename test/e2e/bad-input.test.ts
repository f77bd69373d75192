// Every endpoint refuses bad input with a 4xx problem and leaves nothing behind.
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

describe('POST /v1/callbacks refuses', () => {
  const valid = { phone: '+46701234567', channel: 'ivr' };
  const cases: [string, Record<string, unknown>, string][] = [
    ['a missing phone', { phone: undefined }, 'phone'],
    ['a phone that is no number', { phone: 'call me maybe' }, 'phone'],
    ['a phone too short to be real', { phone: '123' }, 'phone'],
    ['an unknown channel', { channel: 'fax' }, 'channel'],
    ['a priority out of range', { priority: 10 }, 'priority'],
    ['a fractional priority', { priority: 2.5 }, 'priority'],
    ['a requestedAt that is no time', { requestedAt: 'tomorrow' }, 'requestedAt'],
    ['a requestedAt in the past', { requestedAt: future(-60_000) }, 'requestedAt'],
    ['a validUntil in the past', { validUntil: future(-60_000) }, 'validUntil'],
    ['a requestedAt after validUntil', { requestedAt: future(2 * HOUR), validUntil: future(HOUR) }, 'requestedAt'],
    ['a queue name with spaces', { queue: 'my queue' }, 'queue'],
    ['an unknown field', { colour: 'blue' }, ''],
    ['contact data that is not text', { contactData: { n: 1 } }, 'contactData.n'],
    ['a comment over 2000 characters', { comment: 'x'.repeat(2001) }, 'comment'],
    ['a language that is no language tag', { language: 'Swedish please' }, 'language'],
    ['an ani that is no number', { ani: 'unknown' }, 'ani'],
  ];

  it.each(cases)('%s, naming the field, and creates nothing', async (_, change, path) => {
    const queue = await newQueue(stack.api);
    const reply = await stack.api.post('/v1/callbacks', { ...valid, queue, ...change });
    expectProblem(reply, 400, 'validation-error');
    expect(reply.body.errors.map((e: any) => e.path)).toContain(path);
    expect(await rowsIn(queue)).toBe(0);
  });

  it('a body that is not JSON', async () => {
    expectProblem(await stack.api.postRaw('/v1/callbacks', '{"phone": '), 400, 'bad-request');
  });

  it('a body over the size limit', async () => {
    const queue = await newQueue(stack.api);
    const reply = await stack.api.post('/v1/callbacks', { ...valid, queue, contactData: { a: 'x'.repeat(70_000) } });
    expectProblem(reply, 413, 'payload-too-large');
    expect(await rowsIn(queue)).toBe(0);
  });
});

describe('the other endpoints refuse', () => {
  const id = '00000000-0000-4000-8000-000000000000';
  it.each([
    ['GET a record by a malformed id', () => stack.api.get('/v1/callbacks/not-a-uuid'), 400],
    ['a list with an unknown status', () => stack.api.get('/v1/callbacks?status=Sleeping'), 400],
    ['a list with a limit over 200', () => stack.api.get('/v1/callbacks?limit=500'), 400],
    ['a list with a forged cursor', () => stack.api.get('/v1/callbacks?cursor=bm90LWEtY3Vyc29y'), 400],
    ['a list with an unknown parameter', () => stack.api.get('/v1/callbacks?colour=blue'), 400],
    ['a list by a phone that is no number', () => stack.api.get('/v1/callbacks?phone=abc'), 400],
    ['accept without an agent', () => stack.api.post(`/v1/callbacks/${id}/accept`, {}), 400],
    ['accept with a malformed agent id', () => stack.api.post(`/v1/callbacks/${id}/accept`, { agentId: 'a b' }), 400],
    ['accept on a malformed record id', () => stack.api.post('/v1/callbacks/xyz/accept', { agentId: 'anna' }), 400],
    ['feedback with an unknown outcome', () => stack.api.post(`/v1/callbacks/${id}/feedback`, { agentId: 'anna', outcome: 'great' }), 400],
    [
      're-establish later without a new time',
      () => stack.api.post(`/v1/callbacks/${id}/feedback`, { agentId: 'anna', outcome: 'reestablish-later' }),
      400,
    ],
    ['next without an agent', () => stack.api.post('/v1/queues/support/next', {}), 400],
    ['next on a malformed queue name', () => stack.api.post('/v1/queues/%20x/next', { agentId: 'anna' }), 400],
    ['an unknown path', () => stack.api.get('/v1/nothing-here'), 404],
  ] as const)('%s', async (_, call, status) => {
    const reply = await call();
    expect(reply.status).toBe(status);
    expect(reply.type).toBe('application/problem+json');
    expect(reply.body.status).toBe(status);
  });
});

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
      ['create, contact data', () => stack.api.post('/v1/callbacks', { phone: '+46701234567', queue, channel: 'api', contactData: { x: bad } }), 'contactData.x'],
      ['create, a contact data key', () => stack.api.post('/v1/callbacks', { phone: '+46701234567', queue, channel: 'api', contactData: { [`k${bad}`]: 'v' } }), `contactData.k${bad}`],
      ['change', () => stack.api.patch(`/v1/callbacks/${id}`, { comment: bad }), 'comment'],
      ['copy', () => stack.api.post(`/v1/callbacks/${id}/copy`, { comment: bad }), 'comment'],
      ['close', () => stack.api.post(`/v1/callbacks/${id}/close`, { comment: bad }), 'comment'],
      ['refuse', () => stack.api.post(`/v1/callbacks/${id}/refuse`, { agentId: 'anna', reason: `no${bad}` }), 'reason'],
      ['feedback', () => stack.api.post(`/v1/callbacks/${id}/feedback`, { agentId: 'anna', outcome: 'completed', comment: bad }), 'comment'],
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
    expectNamed(await stack.api.post('/v1/webhooks', { url: 'https://hooks.example/x', events: ['created'], description: bad }), 'description');
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

  it.each([
    ['search', '/v1/callbacks?queue=', 'queue'],
    ['search', '/v1/callbacks?customerId=', 'customerId'],
    ['search', '/v1/callbacks?taskType=', 'taskType'],
    ['search', '/v1/callbacks?waitingListOf=', 'waitingListOf'],
    ['export', '/v1/callbacks/export.csv?queue=', 'queue'],
    ['export', '/v1/callbacks/export.csv?customerId=', 'customerId'],
    ['audit', '/v1/audit?actor=', 'actor'],
    ['audit', '/v1/audit?action=', 'action'],
    ['audit', '/v1/audit?recordId=', 'recordId'],
  ])('a NUL in the %s query parameter %s', async (_, path, name) => {
    expectNamed(await stack.api.get(`${path}a%00b`), name);
  });

  it.each([
    ['a record', '/v1/callbacks/%00'],
    ['a record by a lone surrogate', '/v1/callbacks/%ED%A0%80'],
    ['a queue', '/v1/queues/%00'],
    ['a schedule', '/v1/schedules/a%00'],
    ['no route at all', '/v1/nothing%00'],
  ])('a NUL in the path of %s is a 4xx', async (_, path) => {
    const reply = await stack.api.get(path);
    expect(reply.status).toBeGreaterThanOrEqual(400);
    expect(reply.status).toBeLessThan(500);
    expect(reply.type).toBe('application/problem+json');
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

  it('a copy without a content type is a 415, and makes no record', async () => {
    const queue = await newQueue(stack.api);
    const id = await newRecord(queue);
    const copy = await fetch(`${stack.apiUrl}/v1/callbacks/${id}/copy`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.keys.admin}`, 'x-actor': 'tester' },
      body: '{"comment":"again"}',
    });
    expect(copy.status).toBe(415);
    expect(await rowsIn(queue)).toBe(1);
  });

  it('takes application/json with a charset and +json types', async () => {
    const queue = await newQueue(stack.api);
    for (const type of ['application/json; charset=utf-8', 'application/merge-patch+json']) {
      const reply = await stack.api.patch(`/v1/queues/${queue}`, { maxActiveRecords: 7 }, { 'content-type': type });
      expect(reply.status, type).toBe(200);
    }
  });

  it('an empty body where one is required is a 400 naming the missing fields', async () => {
    const reply = await stack.api.postRaw('/v1/callbacks', '');
    expectProblem(reply, 400, 'validation-error');
    expect(reply.body.errors.map((e: any) => e.path)).toEqual(expect.arrayContaining(['phone', 'queue', 'channel']));
  });

  it('no body where none is needed is still fine', async () => {
    const queue = await newQueue(stack.api);
    const id = await newRecord(queue);
    expect((await stack.api.post(`/v1/callbacks/${id}/close`)).status).toBe(200);
  });

  it('a __proto__ key anywhere is a 400 naming its path, and the queue keeps its hours', async () => {
    const queue = await newQueue(stack.api);
    const hours = (await stack.api.get(`/v1/queues/${queue}`)).body.openingHours;
    const proto = await stack.api.postRaw(`/v1/org-areas`, '{"id":"x","name":"x","__proto__":{"maxActiveRecords":1}}');
    expectNamed(proto, '__proto__');
    const closed = await fetch(`${stack.apiUrl}/v1/queues/${queue}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${stack.keys.admin}`, 'x-actor': 'tester', 'content-type': 'application/json' },
      body: '{"openingHours":{"__proto__":{}}}',
    });
    expect(closed.status).toBe(400);
    expect(await closed.json()).toMatchObject({ type: 'validation-error', errors: [{ path: 'openingHours.__proto__' }] });
    expect((await stack.api.get(`/v1/queues/${queue}`)).body.openingHours).toEqual(hours);
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

  it('a time without its UTC offset is refused saying so', async () => {
    const queue = await newQueue(stack.api);
    const reply = await stack.api.post('/v1/callbacks', { phone: '+46701234567', queue, channel: 'api', requestedAt: '2026-12-24T10:00:00' });
    expectProblem(reply, 400, 'validation-error');
    expect(reply.body.errors).toEqual([{ path: 'requestedAt', message: expect.stringContaining('no UTC offset') }]);
  });

  it.each(['0x10', '1e1', ' 5', '5.0', '-1'])('a limit of %j is not a number', async (limit) => {
    for (const path of ['/v1/callbacks', '/v1/audit', '/v1/queues/support/callbacks']) {
      expectNamed(await stack.api.get(`${path}?limit=${encodeURIComponent(limit)}`), 'limit');
    }
  });

  it('a key without Bearer is told what the header should look like', async () => {
    const reply = await stack.api.get('/v1/queues', { authorization: stack.keys.admin });
    expectProblem(reply, 401, 'unauthenticated');
    expect(reply.body.title).toContain('Bearer <key>');
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
