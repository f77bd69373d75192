// Long waits through the real stack: API, worker and PostgreSQL on Temporal's time-skipping
// test server, so that hours of calling time pass in seconds.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordWhen, startStack, newQueue, type Stack } from '../support/stack.js';
import { startTimeSkipping } from '../support/time-skipping.js';

let env: TestWorkflowEnvironment;
let stack: Stack;

beforeAll(async () => {
  env = await startTimeSkipping();
  stack = await startStack({ temporalAddress: env.address });
});

afterAll(async () => {
  await stack?.stop();
  await env?.teardown();
});

const HOUR = 3_600_000;
/** The test server's clock runs ahead of the wall clock once a test has skipped time. */
const serverTime = async (plusMs: number) => new Date((await env.currentTimeMs()) + plusMs).toISOString();
const MINUTE = 60_000;

describe('on the time-skipping server', () => {
  it('keeps a record due in the future Open until its time, then offers it', async () => {
    const queue = await newQueue(stack.api);
    const requestedAt = await serverTime(2 * HOUR);
    const created = await stack.api.post('/v1/callbacks', { phone: '+46701234567', queue, channel: 'ivr', requestedAt });
    expect(created.status).toBe(201);
    const id = created.body.id;
    await recordWhen(stack.api, id, (r) => r.stage === 'waiting' && r.history.some((e: any) => e.type === 'scheduled'));

    await env.sleep(HOUR);
    const meanwhile = await stack.api.get(`/v1/callbacks/${id}`);
    expect(meanwhile.body.status).toBe('Open');
    expect(await stack.api.post(`/v1/queues/${queue}/next`, { agentId: 'early' })).toMatchObject({ status: 204 });

    await env.sleep(HOUR + MINUTE);
    const offered = await recordWhen(stack.api, id, (r) => r.stage === 'offered');
    expect(offered.status).toBe('Active');
  });

  it('retries a busy number after the treatment delay and closes it after three attempts', async () => {
    const queue = await newQueue(stack.api);
    const created = await stack.api.post('/v1/callbacks', { phone: '+46700000001', queue, channel: 'web' });
    const id = created.body.id;

    for (let attempt = 1; attempt <= 3; attempt++) {
      await recordWhen(stack.api, id, (r) => r.stage === 'offered', 60_000);
      const taken = await stack.api.post(`/v1/queues/${queue}/next`, { agentId: 'anna' });
      expect(taken.status).toBe(200);
      expect(taken.body.id).toBe(id);
      const after = await recordWhen(stack.api, id, (r) => r.attempts === attempt && r.stage !== 'dialling' && r.stage !== 'accepted');
      expect(after.latestOutcome).toBe('busy');
      if (attempt < 3) {
        expect(after.status).toBe('Open');
        const postponed = after.history.filter((e: any) => e.type === 'postponed').at(-1);
        expect(postponed.detail).toMatchObject({ outcome: 'busy', delayMinutes: 5 });
        // Not yet due: nothing to take before the delay has passed.
        expect((await stack.api.post(`/v1/queues/${queue}/next`, { agentId: 'anna' })).status).toBe(204);
        await env.sleep(5 * MINUTE + 1000);
      } else {
        expect(after.status).toBe('Closed');
        expect(after.closeReason).toBe('too-many-attempts');
        expect(after.outcomeCounts).toEqual({ busy: 3 });
      }
    }
  });

  it('closes a record its validUntil passes while it waits', async () => {
    const queue = await newQueue(stack.api);
    const created = await stack.api.post('/v1/callbacks', {
      phone: '+46701234567',
      queue,
      channel: 'admin',
      requestedAt: await serverTime(HOUR),
      validUntil: await serverTime(2 * HOUR),
    });
    const id = created.body.id;
    await env.sleep(HOUR + MINUTE);
    await recordWhen(stack.api, id, (r) => r.stage === 'offered');
    await env.sleep(HOUR);
    const closed = await recordWhen(stack.api, id, (r) => r.status === 'Closed');
    expect(closed.closeReason).toBe('expired');
  });
});
