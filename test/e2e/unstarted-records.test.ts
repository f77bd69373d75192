// A record committed whose workflow never started (the API died between the two, or Temporal
// was unreachable) is started by a worker's sweep: no request is forgotten.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { insertRecord } from '../../db/records.js';
import { initialRecord, requestedEvent } from '../../domain/record-lifecycle.js';
import { callbackRequest } from '../support/fixtures.js';
import { newQueue, recordWhen, startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ sweepMs: 500 });
});
afterAll(async () => {
  await stack?.stop();
});

it('starts the workflow of a committed record that has none', async () => {
  const queue = await newQueue(stack.api);
  const { body: q } = await stack.api.get(`/v1/queues/${queue}`);
  const request = callbackRequest({ queue, orgArea: q.orgArea, createdAt: new Date(Date.now() - 60_000).toISOString() });
  await insertRecord(stack.sql, initialRecord(request), requestedEvent(request));

  const offered = await recordWhen(stack.api, request.id, (r) => r.stage === 'offered');
  expect(offered.history.map((e: any) => e.type)).toEqual(['requested', 'scheduled', 'due', 'offered']);
  const taken = await stack.api.post(`/v1/queues/${queue}/next`, { agentId: 'anna' });
  expect(taken.body.id).toBe(request.id);
});
