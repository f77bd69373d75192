// A due record waits for its queue to open before it asks the gate for a place, on the record
// workflow alone on the time-skipping server; test/e2e/business-hours.test.ts drives the whole stack.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Activities } from '../../activities/index.js';
import { installRuntime } from '../../worker/runtime.js';
import { startTimeSkipping } from '../support/time-skipping.js';
import { MINUTE, fakes, recordHistory, request, run, start, untilStage } from './record-harness.js';

installRuntime('WARN');

let env: TestWorkflowEnvironment;
beforeEach(async () => {
  env = await startTimeSkipping();
});
afterEach(() => env?.teardown());

const HOUR = 60 * MINUTE;

/** Rules whose queue is closed until `opensAt` (ms), and open from then; `asked` logs the instants due() asked about. */
function closedUntil(f: ReturnType<typeof fakes>, opensAt: number, { appointment = false } = {}) {
  const asked: number[] = [];
  const queueRules: Activities['queueRules'] = async ({ at }) => {
    if (at !== undefined) asked.push(at);
    const open = (at ?? Date.now()) >= opensAt;
    return { ...structuredClone(f.rules), openNow: open, opensAt: open ? null : new Date(opensAt).toISOString(), appointment };
  };
  return { activities: { ...f.activities, queueRules }, asked };
}

it('keeps a record due while its queue is closed, without asking the gate, and offers it at the opening', async () => {
  const f = fakes(env, []);
  const now = await env.currentTimeMs();
  const opening = now + 2 * HOUR + 30 * MINUTE;
  const { activities, asked } = closedUntil(f, opening);
  const offered = await run(env, activities, async (tq) => {
    const handle = await start(env, tq, await request(env));
    await untilStage(handle, 'due');
    await env.sleep(HOUR + 30 * MINUTE);
    expect((await untilStage(handle, 'due')).stage).toBe('due');
    expect(f.permits.requested).toBe(0);
    await env.sleep(HOUR + MINUTE);
    const record = await untilStage(handle, 'offered');
    await recordHistory(env, handle, 'v2-due-until-the-queue-opens');
    return record;
  });
  expect(f.permits.requested).toBe(1);
  expect(Date.parse(f.events().find((e) => e.type === 'offered')!.at)).toBeGreaterThanOrEqual(opening);
  // Read again at least hourly while closed, and at the opening.
  expect(asked.filter((at) => at < opening).length).toBeGreaterThanOrEqual(3);
  expect(asked.at(-1)).toBeGreaterThanOrEqual(opening);
  expect(offered.rankAt).toBe(offered.createdAt);
});

it('offers an appointment at its time whatever the queue hours say', async () => {
  const f = fakes(env, []);
  const { activities } = closedUntil(f, (await env.currentTimeMs()) + 10 * HOUR, { appointment: true });
  await run(env, activities, async (tq) => untilStage(await start(env, tq, await request(env)), 'offered'));
  expect(f.permits.requested).toBe(1);
});
