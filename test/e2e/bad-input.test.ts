// Every endpoint refuses bad input with a 4xx problem and leaves nothing behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, newQueue, type Reply, type Stack } from '../support/stack.js';

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
