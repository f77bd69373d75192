// Requests the API refuses at its edge, each with a problem that names what is wrong, before the
// database or Temporal sees them: in the test process, with nothing behind the API.
import { beforeEach, describe, expect, it } from 'vitest';
import { routerApp, type Answer } from '../support/router-app.js';

const api = routerApp();
beforeEach(() => {
  api.calls.length = 0;
});

const future = (ms: number) => new Date(Date.now() + ms).toISOString();
const HOUR = 3_600_000;
const id = '00000000-0000-4000-8000-000000000000';

function expectProblem(answer: Answer, status: number, type: string) {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(answer.type).toBe('application/problem+json');
  expect(answer.body).toMatchObject({ status, type });
}

/** A 400 naming `path`, for a request that reached neither the database nor Temporal. */
function expectNamed(answer: Answer, path: string) {
  expectProblem(answer, 400, 'validation-error');
  expect(answer.body.errors.map((e: { path: string }) => e.path)).toContain(path);
  expect(api.calls).toEqual([]);
}

describe('POST /v1/callbacks refuses', () => {
  const valid = { phone: '+46701234567', queue: 'support', channel: 'ivr' };
  it.each([
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
    ['a NUL in a comment', { comment: 'a\u0000' }, 'comment'],
    ['half of a surrogate pair in contact data', { contactData: { x: '\ud800' } }, 'contactData.x'],
  ] as const)('%s, naming the field, and creates nothing', async (_, change, path) => {
    expectNamed(await api.request('POST', '/v1/callbacks', { json: { ...valid, ...change } }), path);
  });

  it('a time without its UTC offset, saying so', async () => {
    const answer = await api.request('POST', '/v1/callbacks', { json: { ...valid, requestedAt: '2026-12-24T10:00:00' } });
    expectNamed(answer, 'requestedAt');
    expect(answer.body.errors).toEqual([{ path: 'requestedAt', message: expect.stringContaining('no UTC offset') }]);
  });

  it('an empty body, naming the missing fields', async () => {
    const answer = await api.request('POST', '/v1/callbacks', { raw: '' });
    expectProblem(answer, 400, 'validation-error');
    expect(answer.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['phone', 'queue', 'channel']));
  });

  it('a body that is not JSON, and one over the size limit', async () => {
    expectProblem(await api.request('POST', '/v1/callbacks', { raw: '{"phone": ' }), 400, 'bad-request');
    const big = await api.request('POST', '/v1/callbacks', { json: { ...valid, contactData: { a: 'x'.repeat(70_000) } } });
    expectProblem(big, 413, 'payload-too-large');
    expect(big.headers.get('connection')).toBe('close');
    expect(api.calls).toEqual([]);
  });

  it('a malformed Idempotency-Key, naming the header', async () => {
    expectNamed(
      await api.request('POST', '/v1/callbacks', { json: valid, headers: { 'idempotency-key': 'x'.repeat(300) } }),
      'Idempotency-Key',
    );
  });

  it('what a web key may not choose for the customer', async () => {
    for (const change of [{ priority: 1 }, { waitingListOf: 'anna' }, { createdBy: 'me' }, { channel: 'ivr' }]) {
      const answer = await api.request('POST', '/v1/callbacks', { as: 'web', json: { ...valid, channel: 'web', ...change } });
      expectProblem(answer, 403, 'forbidden');
    }
    expect(api.calls).toEqual([]);
  });
});

describe('the other endpoints refuse', () => {
  it.each([
    ['GET a record by a malformed id', 'GET', '/v1/callbacks/not-a-uuid', undefined, 'id'],
    ['a list with an unknown status', 'GET', '/v1/callbacks?status=Sleeping', undefined, 'status'],
    ['a list with a limit over 200', 'GET', '/v1/callbacks?limit=500', undefined, 'limit'],
    ['a list with a forged cursor', 'GET', '/v1/callbacks?cursor=bm90LWEtY3Vyc29y', undefined, 'cursor'],
    ['a list with an unknown parameter', 'GET', '/v1/callbacks?colour=blue', undefined, ''],
    ['a list by a phone that is no number', 'GET', '/v1/callbacks?phone=abc', undefined, 'phone'],
    ['accept without an agent', 'POST', `/v1/callbacks/${id}/accept`, {}, 'agentId'],
    ['accept with a malformed agent id', 'POST', `/v1/callbacks/${id}/accept`, { agentId: 'a b' }, 'agentId'],
    ['accept on a malformed record id', 'POST', '/v1/callbacks/xyz/accept', { agentId: 'anna' }, 'id'],
    ['feedback with an unknown outcome', 'POST', `/v1/callbacks/${id}/feedback`, { agentId: 'anna', outcome: 'great' }, 'outcome'],
    [
      're-establish later without a new time',
      'POST',
      `/v1/callbacks/${id}/feedback`,
      { agentId: 'anna', outcome: 'reestablish-later' },
      'requestedAt',
    ],
    [
      'a waiting list for an outcome other than re-establish later',
      'POST',
      `/v1/callbacks/${id}/feedback`,
      { agentId: 'anna', outcome: 'completed', toOwnWaitingList: true },
      'toOwnWaitingList',
    ],
    ['next without an agent', 'POST', '/v1/queues/support/next', {}, 'agentId'],
    ['next on a malformed queue name', 'POST', '/v1/queues/%20x/next', { agentId: 'anna' }, 'queue'],
    ['a bulk action that is none', 'POST', '/v1/callbacks/bulk', { action: 'explode', filter: { queue: 'support' } }, 'action'],
    ['a schedule exception with a note that is no text', 'PUT', '/v1/schedules/s/exceptions/2030-12-24', { closed: true, note: 1 }, ''],
    ['a queue holiday on a date that is none', 'PUT', '/v1/queues/support/holidays/2030-13-01', { closed: true }, 'date'],
    ['a move without its new time', 'POST', '/v1/self-service/callback/move', {}, ''],
    [
      'a queue change with a __proto__ key',
      'PATCH',
      '/v1/queues/support',
      { openingHours: JSON.parse('{"__proto__":{}}') },
      'openingHours.__proto__',
    ],
  ] as const)('%s', async (_, method, path, json, field) => {
    const answer = await api.request(method, path, { json, as: path.includes('self-service') ? 'web' : 'admin' });
    expectProblem(answer, 400, 'validation-error');
    if (field) expect(answer.body.errors.map((e: { path: string }) => e.path)).toContain(field);
    expect(api.calls).toEqual([]);
  });

  it('a __proto__ key in a body sent as text', async () => {
    expectNamed(
      await api.request('POST', '/v1/org-areas', { raw: '{"id":"x","name":"x","__proto__":{"maxActiveRecords":1}}' }),
      '__proto__',
    );
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
    expectNamed(await api.request('GET', `${path}a%00b`), name);
  });

  it.each([
    ['a record', '/v1/callbacks/%00'],
    ['a record by a lone surrogate', '/v1/callbacks/%ED%A0%80'],
    ['a queue', '/v1/queues/%00'],
    ['a schedule', '/v1/schedules/a%00'],
    ['no route at all', '/v1/nothing%00'],
  ])('a NUL in the path of %s', async (_, path) => {
    const answer = await api.request('GET', path);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.type).toBe('application/problem+json');
    expect(api.calls).toEqual([]);
  });

  it.each(['0x10', '1e1', ' 5', '5.0', '-1'])('a limit of %j, which is not a number', async (limit) => {
    for (const path of ['/v1/callbacks', '/v1/audit', '/v1/queues/support/callbacks']) {
      expectNamed(await api.request('GET', `${path}?limit=${encodeURIComponent(limit)}`), 'limit');
    }
  });
});

describe('a body must be JSON, declared so', () => {
  it('a copy without a content type is a 415', async () => {
    const answer = await api.request('POST', `/v1/callbacks/${id}/copy`, { raw: '{"comment":"again"}', headers: { 'content-type': '' } });
    expectProblem(answer, 415, 'unsupported-media-type');
    expect(api.calls).toEqual([]);
  });

  it('takes application/json with a charset, and +json types', async () => {
    for (const contentType of ['application/json; charset=utf-8', 'application/merge-patch+json']) {
      const answer = await api.request('PATCH', '/v1/queues/support', { raw: '{"maxActiveRecords":7}', contentType });
      // Past the body's checks: the queue is looked for, and the empty database has none.
      expectProblem(answer, 404, 'not-found');
    }
  });
});

describe('a key', () => {
  it('without Bearer is told what the header should look like', async () => {
    const answer = await api.request('GET', '/v1/queues', { as: null, headers: { authorization: 'test-key-admin' } });
    expectProblem(answer, 401, 'unauthenticated');
    expect(answer.body.title).toContain('Bearer <key>');
  });

  it('is taken as Authorization: Bearer, in any case, or as X-API-Key', async () => {
    expect((await api.request('GET', '/v1/queues', { as: null, headers: { 'x-api-key': 'test-key-agent' } })).status).toBe(200);
    expect((await api.request('GET', '/v1/queues', { as: null, headers: { authorization: 'bearer test-key-agent' } })).status).toBe(200);
  });
});
