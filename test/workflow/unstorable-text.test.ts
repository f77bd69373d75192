// Text PostgreSQL refuses that reaches a record's workflow anyway (in its request, past the API)
// must not stall it: the store's refusal is handled, the text replaced with U+FFFD, the record
// saved and on its way. On the time-skipping server, with a store that refuses as PostgreSQL does.
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { findUnstorableText } from '../../domain/text.js';
import { installRuntime } from '../../worker/runtime.js';
import { ACTIVITY_FAILURE, acceptUpdate, feedbackUpdate } from '../../workflows/callback-contract.js';
import { startTimeSkipping } from '../support/time-skipping.js';
import { fakes, recordHistory, request, run, start, untilStage } from './record-harness.js';

installRuntime('WARN');

let env: TestWorkflowEnvironment;
beforeEach(async () => {
  env = await startTimeSkipping();
});
afterEach(() => env?.teardown());

it('saves a record whose request holds a NUL and a lone surrogate with U+FFFD, and calls it', async () => {
  const f = fakes(env, ['answered']);
  const refused: string[] = [];
  const keep = f.activities.saveRecord;
  f.activities.saveRecord = async (input) => {
    const field = findUnstorableText(input);
    if (field !== null) {
      refused.push(field);
      throw ApplicationFailure.create({
        type: ACTIVITY_FAILURE.unstorableRecord,
        message: 'invalid byte sequence (22021)',
        nonRetryable: true,
      });
    }
    return keep(input);
  };
  const result = await run(env, f.activities, async (tq) => {
    const handle = await start(env, tq, await request(env, { comment: 'a\u0000b', contactData: { 'x\ud800': 'y\udc00z' } }));
    await untilStage(handle, 'offered');
    await handle.executeUpdate(acceptUpdate, { args: [{ agentId: 'anna' }] });
    await untilStage(handle, 'connected');
    await handle.executeUpdate(feedbackUpdate, { args: [{ agentId: 'anna', outcome: 'completed' }] });
    const result = await handle.result();
    await recordHistory(env, handle, 'v2-unstorable-text-repaired');
    return result;
  });
  expect(refused).toEqual(['record.comment']);
  expect(result).toMatchObject({ status: 'Closed', closeReason: 'completed', comment: 'a\ufffdb', contactData: { 'x\ufffd': 'y\ufffdz' } });
  expect(f.saves[0]!.record).toMatchObject({ comment: 'a\ufffdb' });
  expect(f.events().map((e) => e.seq)).toEqual(Array.from({ length: result.version }, (_, i) => i + 1));
  expect(f.permits.released).toBe(f.permits.requested);
});
