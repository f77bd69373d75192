// The problems a route answers when what a request names does not exist: in the test process,
// against a database that holds nothing and a Temporal in which no record's workflow runs.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { routerApp, type Answer } from '../support/router-app.js';

const api = routerApp();
const id = randomUUID();

function expectProblem(answer: Answer, status: number, type: string) {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(answer.type).toBe('application/problem+json');
  expect(answer.body).toMatchObject({ status, type });
}

describe('an unknown record is a 404 for every action on it', () => {
  it.each([
    ['read', 'GET', `/v1/callbacks/${id}`, undefined],
    ['accept', 'POST', `/v1/callbacks/${id}/accept`, { agentId: 'anna' }],
    ['refuse', 'POST', `/v1/callbacks/${id}/refuse`, { agentId: 'anna', reason: 'not mine' }],
    ['feedback', 'POST', `/v1/callbacks/${id}/feedback`, { agentId: 'anna', outcome: 'completed' }],
    ['change', 'PATCH', `/v1/callbacks/${id}`, { comment: 'later' }],
    ['pause', 'POST', `/v1/callbacks/${id}/pause`, undefined],
    ['enable', 'POST', `/v1/callbacks/${id}/enable`, undefined],
    ['close', 'POST', `/v1/callbacks/${id}/close`, undefined],
    ['copy', 'POST', `/v1/callbacks/${id}/copy`, {}],
    ['delete', 'DELETE', `/v1/callbacks/${id}`, undefined],
  ] as const)('%s', async (_, method, path, json) => {
    const answer = await api.request(method, path, { json });
    expectProblem(answer, 404, 'not-found');
    expect(answer.body.instance).toBe(path);
  });
});

describe('unknown configuration is a 404', () => {
  it.each([
    ['a queue', 'GET', '/v1/queues/no-such-queue', undefined],
    ["a queue's status", 'GET', '/v1/queues/no-such-queue/status', undefined],
    ["a queue's records", 'GET', '/v1/queues/no-such-queue/callbacks', undefined],
    ['the next record of a queue', 'POST', '/v1/queues/no-such-queue/next', { agentId: 'anna' }],
    ['a queue change', 'PATCH', '/v1/queues/no-such-queue', { gateSize: 2 }],
    ['an organisation area', 'GET', '/v1/org-areas/no-such-area', undefined],
    ['a schedule', 'GET', '/v1/schedules/no-such-schedule', undefined],
    ["a schedule's free slots", 'GET', '/v1/schedules/no-such-schedule/availability', undefined],
    [
      'a booking',
      'POST',
      '/v1/schedules/no-such-schedule/bookings',
      { slotStart: '2030-12-24T10:00:00Z', channel: 'ivr', phone: '+46701234567' },
    ],
    ['an API key', 'GET', '/v1/api-keys/0123456789abcdef', undefined],
    ['the revocation of an API key', 'DELETE', '/v1/api-keys/0123456789abcdef', undefined],
    ['a webhook subscription', 'GET', `/v1/webhooks/${randomUUID()}`, undefined],
    ["an area's treatment", 'GET', '/v1/treatments/org-areas/no-such-area', undefined],
    ['a path no route has', 'GET', '/v1/nothing-here', undefined],
  ] as const)('%s', async (_, method, path, json) => {
    expectProblem(await api.request(method, path, { json }), 404, 'not-found');
  });
});

describe('a request that names what does not exist', () => {
  it('for an unknown queue is a 422 naming the queue', async () => {
    const answer = await api.request('POST', '/v1/callbacks', { json: { phone: '+46701234567', queue: 'no-such-queue', channel: 'ivr' } });
    expectProblem(answer, 422, 'unknown-queue');
    expect(answer.body.errors).toEqual([{ path: 'queue', message: 'unknown queue' }]);
  });

  it('for a queue in an unknown area is a 422', async () => {
    const queue = { name: 'q1', orgArea: 'no-such-area', timeZone: 'Europe/Stockholm', openingHours: {} };
    expectProblem(await api.request('POST', '/v1/queues', { json: queue }), 422, 'unknown-org-area');
  });
});

describe("the customer's own callback", () => {
  it('needs a callback token that is not forged', async () => {
    expectProblem(await api.request('GET', '/v1/self-service/callback', { as: 'web' }), 401, 'invalid-callback-token');
    const forged = `${id}.9999999999.${'A'.repeat(43)}`;
    expectProblem(
      await api.request('GET', '/v1/self-service/callback', { as: 'web', headers: { 'callback-token': forged } }),
      401,
      'invalid-callback-token',
    );
  });

  it('is a 404 once the record it names is gone', async () => {
    const token = await api.tokens.sign(id, null);
    for (const [method, path] of [
      ['GET', '/v1/self-service/callback'],
      ['POST', '/v1/self-service/callback/cancel'],
    ] as const) {
      const answer = await api.request(method, path, { as: 'web', headers: { 'callback-token': token } });
      expectProblem(answer, 404, 'not-found');
    }
  });
});
