// What the telephony tests share: a free port for the API (the provider must know our public
// address before the API starts), a queue with its telephony settings, and a record taken to its dial.
import { expect } from 'vitest';
import { newQueue, recordWhen, type Stack } from '../support/stack.js';
export { freePort } from '../../worker/metrics-server.js';

export const CALLER_ID = '+46850000000';

export async function telephonyQueue(stack: Stack, agentDevice: string): Promise<string> {
  const queue = await newQueue(stack.api);
  const put = await stack.api.put(`/v1/telephony/queues/${queue}`, {
    agentDevice,
    callerId: CALLER_ID,
    maxRingSeconds: 20,
    maxCallSeconds: 600,
  });
  expect(put.status).toBe(200);
  return queue;
}

export const dialledEvents = (record: any) => record.history.filter((e: any) => e.type === 'dialled');

/** A callback for `phone`, accepted by `agentId`, until its first dial has an outcome. */
export async function acceptAndDial(stack: Stack, queue: string, phone: string, agentId: string, timeoutMs = 60_000) {
  const created = await stack.api.post('/v1/callbacks', { phone, queue, channel: 'agent' });
  expect(created.status).toBe(201);
  const id: string = created.body.id;
  await recordWhen(stack.api, id, (r) => r.stage === 'offered', timeoutMs);
  expect((await stack.api.post(`/v1/callbacks/${id}/accept`, { agentId })).status).toBe(200);
  const record = await recordWhen(stack.api, id, (r) => dialledEvents(r).length > 0 && r.stage !== 'dialling', timeoutMs);
  return { id, record };
}
