// The afterWrapUp parameter: system-wide, so changed only here, among the serial tests (a desk
// finishing a call in another test would go away after it too).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentDesk, ivrRequest, offerOf } from '../support/agent-desks.js';
import type { EventStream } from '../support/event-stream.js';
import { newQueue, recordWhen, startStack, type Stack } from '../support/stack.js';

let stack: Stack;
const streams: EventStream[] = [];
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  for (const s of streams) s.close();
  await stack?.stop();
});

const agent = (queues: string[]) => agentDesk(stack, queues, streams);
const request = (queue: string) => ivrRequest(stack, queue);

it('leaves an agent away ("after call") after the feedback when the afterWrapUp parameter says so', async () => {
  const queue = await newQueue(stack.api, { queue: { offerTimeoutSeconds: 60 } });
  const anna = await agent([queue]);
  await anna.set('available');
  const id = await request(queue);
  await offerOf(anna, id);
  expect((await anna.api.post(`/v1/callbacks/${id}/accept`, {})).status).toBe(200);
  await recordWhen(stack.api, id, (r) => r.stage === 'connected');
  expect((await stack.api.put('/v1/parameters/afterWrapUp', { value: 'away' })).status).toBe(200);
  try {
    expect((await anna.api.post(`/v1/callbacks/${id}/feedback`, { outcome: 'completed' })).status).toBe(200);
    await anna.events.next('presence', (p) => p.state === 'away' && p.reason === 'after call');
  } finally {
    await stack.api.put('/v1/parameters/afterWrapUp', { value: 'available' });
  }
});
