// The record workflow alone on the time-skipping server, its dial replaced: a dial whose agent was
// not reached is no attempt, the record is offered again, and the next dial has a call id of its own.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { installRuntime } from '../../worker/runtime.js';
import { acceptUpdate, feedbackUpdate } from '../../workflows/callback-contract.js';
import { startTimeSkipping } from '../support/time-skipping.js';
import * as h from '../workflow/record-harness.js';

installRuntime('WARN');

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startTimeSkipping();
});
afterAll(() => env?.teardown());

it('offers the record again after agent-not-reached, without counting an attempt', async () => {
  const { activities, saves, dials } = h.fakes(env, [
    { outcome: 'agent-not-reached', detail: { agentLeg: 'no-answer' } },
    { outcome: 'agent-not-reached', detail: { agentLeg: 'busy' } },
    { outcome: 'answered', detail: { answeredBy: 'human' } },
  ]);
  const result = await h.run(env, activities, async (taskQueue) => {
    const handle = await h.start(env, taskQueue, await h.request(env));
    for (const agentId of ['anna', 'bob', 'carl']) {
      await h.untilStage(handle, 'offered');
      await handle.executeUpdate(acceptUpdate, { args: [{ agentId }] });
    }
    await h.untilStage(handle, 'connected');
    await handle.executeUpdate(feedbackUpdate, { args: [{ agentId: 'carl', outcome: 'completed' }] });
    return handle.result();
  });
  expect(result).toMatchObject({
    closeReason: 'completed',
    attempts: 1,
    outcomeCounts: { 'agent-not-reached': 2, answered: 1, completed: 1 },
  });
  const id = result.id;
  expect(dials).toEqual([`${id}:1`, `${id}:1.1`, `${id}:1.2`]);
  const dialled = saves.flatMap((s) => s.events).filter((e) => e.type === 'dialled');
  expect(dialled.map((e) => e.detail)).toEqual([
    { attempt: 1, outcome: 'agent-not-reached', agentId: 'anna', counted: false, agentLeg: 'no-answer' },
    { attempt: 1, outcome: 'agent-not-reached', agentId: 'bob', counted: false, agentLeg: 'busy' },
    { attempt: 1, outcome: 'answered', answeredBy: 'human' },
  ]);
});
