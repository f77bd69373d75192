// The record workflow alone on the time-skipping server, its activities replaced: the default
// treatment, expiry, saves that fail and are retried, and who may accept and give feedback.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { installRuntime } from '../../worker/runtime.js';
import { REJECTION, acceptUpdate, feedbackUpdate } from '../../workflows/callback-contract.js';
import { startTimeSkipping } from '../support/time-skipping.js';
import * as h from './record-harness.js';

installRuntime('WARN');

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startTimeSkipping();
});
afterAll(() => env?.teardown());

const MINUTE = h.MINUTE;
const fakes = (...args: Parameters<typeof h.fakes> extends [unknown, ...infer R] ? R : never) => h.fakes(env, ...args);
const run = <T>(activities: Parameters<typeof h.run>[1], body: (taskQueue: string) => Promise<T>) => h.run(env, activities, body);
const start = (taskQueue: string, req: Parameters<typeof h.start>[2]) => h.start(env, taskQueue, req);
const request = (overrides?: Parameters<typeof h.request>[1]) => h.request(env, overrides);
const recordHistory = (handle: h.Handle, name: string) => h.recordHistory(env, handle, name);
const untilStage = h.untilStage;

it('closes after three answering machines, 30 minutes apart, with a gapless history', async () => {
  const { activities, saves, permits } = fakes(['answering-machine', 'answering-machine', 'answering-machine']);
  const result = await run(activities, async (taskQueue) => {
    const handle = await start(taskQueue, await request());
    for (let attempt = 1; attempt <= 3; attempt++) {
      await untilStage(handle, 'offered');
      await handle.executeUpdate(acceptUpdate, { args: [{ agentId: 'anna' }] });
      if (attempt < 3) {
        const waiting = await untilStage(handle, 'waiting');
        const delay = Date.parse(waiting.dueAt) - Date.parse(waiting.latestCallAt!);
        expect(delay).toBeGreaterThanOrEqual(30 * MINUTE);
        expect(delay).toBeLessThan(31 * MINUTE);
        await env.sleep(30 * MINUTE);
      }
    }
    const result = await handle.result();
    await recordHistory(handle, 'v2-three-answering-machines');
    return result;
  });
  expect(result).toMatchObject({ status: 'Closed', closeReason: 'too-many-attempts', attempts: 3 });
  expect(result.outcomeCounts).toEqual({ 'answering-machine': 3 });
  expect(permits).toEqual({ requested: 3, released: 3 });
  const seqs = saves.flatMap((s) => s.events.map((e) => e.seq));
  expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
  expect(saves.at(-1)!.record.version).toBe(seqs.length);
});

it('closes a record no agent takes before validUntil as expired', async () => {
  const { activities } = fakes([]);
  const now = await env.currentTimeMs();
  const result = await run(activities, async (taskQueue) => {
    const handle = await start(taskQueue, await request({ validUntil: new Date(now + 2 * 60 * MINUTE).toISOString() }));
    await untilStage(handle, 'offered');
    await env.sleep(2 * 60 * MINUTE);
    const result = await handle.result();
    await recordHistory(handle, 'v2-expired-while-offered');
    return result;
  });
  expect(result).toMatchObject({ status: 'Closed', closeReason: 'expired', attempts: 0 });
});

it('keeps going when saving fails for a while, and saves every event once, in order', async () => {
  const { activities, saves } = fakes(['answered'], { failSaves: 2 });
  const result = await run(activities, async (taskQueue) => {
    const handle = await start(taskQueue, await request());
    await untilStage(handle, 'offered');
    await handle.executeUpdate(acceptUpdate, { args: [{ agentId: 'anna' }] });
    await untilStage(handle, 'connected');
    await handle.executeUpdate(feedbackUpdate, { args: [{ agentId: 'anna', outcome: 'completed' }] });
    const result = await handle.result();
    await recordHistory(handle, 'v2-completed-after-failing-saves');
    return result;
  });
  expect(result.closeReason).toBe('completed');
  const types = saves.flatMap((s) => s.events.map((e) => e.type));
  expect(types).toEqual(['requested', 'scheduled', 'due', 'offered', 'accepted', 'dialling', 'dialled', 'feedback', 'closed']);
});

it('refuses a second agent and feedback from anyone but the agent on the call', async () => {
  const { activities } = fakes(['answered']);
  await run(activities, async (taskQueue) => {
    const handle = await start(taskQueue, await request());
    await untilStage(handle, 'offered');
    await handle.executeUpdate(acceptUpdate, { args: [{ agentId: 'anna' }] });
    await expect(handle.executeUpdate(acceptUpdate, { args: [{ agentId: 'bob' }] })).rejects.toMatchObject({
      cause: { type: REJECTION.takenByAnother },
    });
    await untilStage(handle, 'connected');
    await expect(handle.executeUpdate(feedbackUpdate, { args: [{ agentId: 'bob', outcome: 'completed' }] })).rejects.toMatchObject({
      cause: { type: REJECTION.notOnCall },
    });
    await handle.executeUpdate(feedbackUpdate, { args: [{ agentId: 'anna', outcome: 'completed' }] });
    expect((await handle.result()).closeReason).toBe('completed');
  });
});
