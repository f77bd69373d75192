// Every treatment branch and threshold, refusals, offer timeouts, waiting lists and the
// administrator's actions, on the record workflow alone on the time-skipping server.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallbackRecord, DialOutcome, TreatableOutcome } from '../../domain/record.js';
import { installRuntime } from '../../worker/runtime.js';
import {
  CALLBACK_WORKFLOW,
  REJECTION,
  acceptUpdate,
  administerUpdate,
  feedbackUpdate,
  refuseUpdate,
  type AdminAction,
  type CallbackWorkflowInput,
  type FeedbackInput,
} from '../../workflows/callback-contract.js';
import { startTimeSkipping } from '../support/time-skipping.js';
import { MINUTE, fakes, recordHistory, request, run, start, untilStage, type Handle } from './record-harness.js';

installRuntime('WARN');

// A server per test: on a busy machine the time-skipping server can skip past a test's next step
// once a previous wait for a result has unlocked it, and a fresh server starts from a clean clock.
let env: TestWorkflowEnvironment;
beforeEach(async () => {
  env = await startTimeSkipping();
});
afterEach(() => env?.teardown());

const accept = (handle: Handle, agentId = 'anna') => handle.executeUpdate(acceptUpdate, { args: [{ agentId }] });
const feedback = (handle: Handle, input: FeedbackInput) => handle.executeUpdate(feedbackUpdate, { args: [input] });
const refuse = (handle: Handle, agentId: string, reason = 'not my language') =>
  handle.executeUpdate(refuseUpdate, { args: [{ agentId, reason }] });
const minutesAfter = (later: string, earlier: string) => (Date.parse(later) - Date.parse(earlier)) / MINUTE;

/** Offered, accepted by anna, dialled: the record where the outcome left it. */
async function oneAttempt(handle: Handle, pred?: (r: CallbackRecord) => boolean): Promise<CallbackRecord> {
  await untilStage(handle, 'offered');
  await accept(handle);
  return untilStage(handle, 'waiting', pred).catch(async () => untilStage(handle, 'closed'));
}

const DIALLED: { outcome: DialOutcome & TreatableOutcome }[] = [
  { outcome: 'busy' },
  { outcome: 'no-answer' },
  { outcome: 'answering-machine' },
  { outcome: 'fax-modem' },
  { outcome: 'invalid-number' },
  { outcome: 'telephony-error' },
];

describe('a dialler outcome follows its treatment', () => {
  it.each(DIALLED)('$outcome: Postpone by 7 minutes, keeping its place in line', async ({ outcome }) => {
    const f = fakes(env, [outcome]);
    f.rules.treatment.onOutcome[outcome] = { action: 'postpone', delayMinutes: 7 };
    const record = await run(env, f.activities, async (tq) => {
      const handle = await start(env, tq, await request(env));
      return oneAttempt(handle);
    });
    expect(record).toMatchObject({ stage: 'waiting', status: 'Open', attempts: 1, latestOutcome: outcome });
    expect(minutesAfter(record.dueAt, record.latestCallAt!)).toBeCloseTo(7, 1);
    expect(record.rankAt).toBe(record.createdAt);
  });

  it.each(DIALLED)('$outcome: Close, with the outcome as the reason', async ({ outcome }) => {
    const f = fakes(env, [outcome]);
    f.rules.treatment.onOutcome[outcome] = { action: 'close' };
    const record = await run(env, f.activities, async (tq) => {
      const handle = await start(env, tq, await request(env));
      await untilStage(handle, 'offered');
      await accept(handle);
      return handle.result();
    });
    expect(record).toMatchObject({ status: 'Closed', closeReason: outcome, attempts: 1 });
  });

  it('Postpone 0 calls again as soon as possible', async () => {
    const f = fakes(env, ['busy', 'answered']);
    f.rules.treatment.onOutcome.busy = { action: 'postpone', delayMinutes: 0 };
    const second = await run(env, f.activities, async (tq) => {
      const handle = await start(env, tq, await request(env));
      await untilStage(handle, 'offered');
      await accept(handle);
      return untilStage(handle, 'offered', (r) => r.attempts === 1);
    });
    expect(second.outcomeCounts).toEqual({ busy: 1 });
    expect(f.events().filter((e) => e.type === 'postponed')[0]!.detail).toMatchObject({ outcome: 'busy', delayMinutes: 0 });
  });
});

describe('after a connected call', () => {
  it.each(['customer-not-reached', 'agent-client-terminated'] as const)('%s follows its treatment', async (outcome) => {
    const f = fakes(env, ['answered', 'answered']);
    f.rules.treatment.onOutcome[outcome] = { action: 'postpone', delayMinutes: 12 };
    const result = await run(env, f.activities, async (tq) => {
      const handle = await start(env, tq, await request(env));
      await untilStage(handle, 'offered');
      await accept(handle);
      await untilStage(handle, 'connected');
      const after = await feedback(handle, { agentId: 'anna', outcome });
      expect(after).toMatchObject({ stage: 'waiting', latestOutcome: outcome });
      expect(minutesAfter(after.dueAt, after.latestCallAt!)).toBeCloseTo(12, 0);
      f.rules.treatment.onOutcome[outcome] = { action: 'close' };
      await env.sleep(12 * MINUTE);
      await untilStage(handle, 'offered');
      await accept(handle);
      await untilStage(handle, 'connected');
      return feedback(handle, { agentId: 'anna', outcome });
    });
    expect(result).toMatchObject({ status: 'Closed', closeReason: outcome, attempts: 2 });
  });

  it("no feedback within the queue's wrap-up limit is agent-client-terminated: counted, treated, the permit given back", async () => {
    const f = fakes(env, ['answered', 'answered']);
    f.rules.wrapUpTimeoutSeconds = 10 * 60;
    f.rules.treatment.onOutcome['agent-client-terminated'] = { action: 'postpone', delayMinutes: 12 };
    f.rules.treatment.closeAfter['agent-client-terminated'] = 2;
    const result = await run(env, f.activities, async (tq) => {
      const handle = await start(env, tq, await request(env));
      await untilStage(handle, 'offered');
      await accept(handle);
      await untilStage(handle, 'connected');
      await env.sleep(9 * MINUTE);
      expect((await untilStage(handle, 'connected')).agentId).toBe('anna');
      await env.sleep(2 * MINUTE);
      const after = await untilStage(handle, 'waiting');
      expect(after).toMatchObject({
        agentId: null,
        latestOutcome: 'agent-client-terminated',
        outcomeCounts: { 'agent-client-terminated': 1 },
      });
      expect(minutesAfter(after.dueAt, after.latestCallAt!)).toBeCloseTo(22, 0);
      expect(f.permits.released).toBe(f.permits.requested);
      await expect(feedback(handle, { agentId: 'anna', outcome: 'completed' })).rejects.toMatchObject({
        cause: { type: REJECTION.notOnCall },
      });

      await env.sleep(12 * MINUTE);
      await untilStage(handle, 'offered');
      await accept(handle);
      await untilStage(handle, 'connected');
      const result = await handle.result();
      await recordHistory(env, handle, 'v2-wrap-up-timeouts');
      return result;
    });
    expect(result).toMatchObject({ status: 'Closed', closeReason: 'outcome-limit-reached', attempts: 2 });
    const types = f.events().map((e) => e.type);
    expect(types.filter((t) => t === 'wrap-up-timeout')).toHaveLength(2);
    expect(f.events().find((e) => e.type === 'wrap-up-timeout')).toMatchObject({
      actor: 'system',
      detail: { agentId: 'anna', wrapUpTimeoutSeconds: 600, outcome: 'agent-client-terminated' },
    });
    expect(f.permits.released).toBe(f.permits.requested);
  });

  it("reestablish-later takes the customer time, to the agent's own waiting list, until its threshold", async () => {
    const f = fakes(env, ['answered', 'answered']);
    f.rules.treatment.closeAfter['reestablish-later'] = 2;
    f.rules.offerTimeoutSeconds = 10 * 60;
    const result = await run(env, f.activities, async (tq) => {
      const handle = await start(env, tq, await request(env));
      await untilStage(handle, 'offered');
      await accept(handle);
      await untilStage(handle, 'connected');
      const at = new Date((await env.currentTimeMs()) + 60 * MINUTE).toISOString();
      const rescheduled = await feedback(handle, {
        agentId: 'anna',
        outcome: 'reestablish-later',
        requestedAt: at,
        toOwnWaitingList: true,
      });
      expect(rescheduled).toMatchObject({ stage: 'waiting', dueAt: at, rankAt: at, waitingListOf: 'anna' });
      await env.sleep(60 * MINUTE);
      await untilStage(handle, 'offered');
      await expect(accept(handle, 'bob')).rejects.toMatchObject({ cause: { type: REJECTION.offeredToAnother } });
      await accept(handle, 'anna');
      await untilStage(handle, 'connected');
      const later = new Date((await env.currentTimeMs()) + 60 * MINUTE).toISOString();
      return feedback(handle, { agentId: 'anna', outcome: 'reestablish-later', requestedAt: later });
    });
    expect(result).toMatchObject({ status: 'Closed', closeReason: 'outcome-limit-reached' });
    expect(f.events().at(-1)!.detail).toMatchObject({ outcome: 'reestablish-later', threshold: 2 });
  });
});

describe('thresholds', () => {
  it('closes at the Nth occurrence of one outcome, not before', async () => {
    const f = fakes(env, ['busy', 'no-answer', 'busy']);
    f.rules.treatment.closeAfter.busy = 2;
    f.rules.treatment.maxAttempts = null;
    const result = await run(env, f.activities, async (tq) => {
      const handle = await start(env, tq, await request(env));
      for (let i = 0; i < 2; i++) {
        await oneAttempt(handle, (r) => r.attempts === i + 1);
        await env.sleep(15 * MINUTE);
      }
      await untilStage(handle, 'offered');
      await accept(handle);
      return handle.result();
    });
    expect(result).toMatchObject({ closeReason: 'outcome-limit-reached', attempts: 3, outcomeCounts: { busy: 2, 'no-answer': 1 } });
  });

  it('closes after N attempts in total, whatever their outcomes', async () => {
    const f = fakes(env, ['busy', 'no-answer']);
    f.rules.treatment.maxAttempts = 2;
    const result = await run(env, f.activities, async (tq) => {
      const handle = await start(env, tq, await request(env));
      await oneAttempt(handle);
      await env.sleep(5 * MINUTE);
      await untilStage(handle, 'offered');
      await accept(handle);
      return handle.result();
    });
    expect(result).toMatchObject({ closeReason: 'too-many-attempts', attempts: 2 });
  });

  it('with no limit of attempts goes on past the default three', async () => {
    const outcomes: DialOutcome[] = ['busy', 'busy', 'busy', 'busy', 'answered'];
    const f = fakes(env, [...outcomes]);
    f.rules.treatment.maxAttempts = null;
    const result = await run(env, f.activities, async (tq) => {
      const handle = await start(env, tq, await request(env));
      for (let i = 1; i <= 4; i++) {
        await oneAttempt(handle, (r) => r.attempts === i);
        await env.sleep(5 * MINUTE);
      }
      await untilStage(handle, 'offered');
      await accept(handle);
      await untilStage(handle, 'connected');
      return feedback(handle, { agentId: 'anna', outcome: 'completed' });
    });
    expect(result).toMatchObject({ closeReason: 'completed', attempts: 5 });
  });

  it('a changed treatment applies to a running record at its next decision', async () => {
    const f = fakes(env, ['busy', 'busy']);
    const result = await run(env, f.activities, async (tq) => {
      const handle = await start(env, tq, await request(env));
      const first = await oneAttempt(handle);
      expect(first.stage).toBe('waiting');
      f.rules.treatment.onOutcome.busy = { action: 'close' };
      await env.sleep(5 * MINUTE);
      await untilStage(handle, 'offered');
      await accept(handle);
      const result = await handle.result();
      await recordHistory(env, handle, 'v2-treatment-changed-while-running');
      return result;
    });
    expect(result).toMatchObject({ closeReason: 'busy', attempts: 2 });
  });
});

describe('refusals and offers nobody takes', () => {
  it('a refused record stays in the queue, in its place, for the other agents', async () => {
    const f = fakes(env, ['answered']);
    const record = await run(env, f.activities, async (tq) => {
      const handle = await start(env, tq, await request(env));
      await untilStage(handle, 'offered');
      const after = await refuse(handle, 'anna', 'speaks only Finnish');
      expect(after).toMatchObject({ stage: 'offered', refusedBy: ['anna'], outcomeCounts: { refused: 1 } });
      await expect(refuse(handle, 'anna')).rejects.toMatchObject({ cause: { type: REJECTION.alreadyRefused } });
      await expect(accept(handle, 'anna')).rejects.toMatchObject({ cause: { type: REJECTION.alreadyRefused } });
      await accept(handle, 'bob');
      await untilStage(handle, 'connected');
      const result = await feedback(handle, { agentId: 'bob', outcome: 'completed' });
      await recordHistory(env, handle, 'v2-refused-then-completed');
      return result;
    });
    expect(record).toMatchObject({ closeReason: 'completed', latestAgent: 'bob', attempts: 1 });
    expect(record.rankAt).toBe(record.createdAt);
    const refused = f.events().find((e) => e.type === 'refused')!;
    expect(refused).toMatchObject({ actor: 'agent:anna', detail: { reason: 'speaks only Finnish' } });
  });

  it('refused: Postpone by N sends it back to waiting; Close closes it as refused', async () => {
    const f = fakes(env, []);
    f.rules.treatment.onOutcome.refused = { action: 'postpone', delayMinutes: 10 };
    const record = await run(env, f.activities, async (tq) => {
      const handle = await start(env, tq, await request(env));
      await untilStage(handle, 'offered');
      const waiting = await refuse(handle, 'anna');
      expect(waiting.stage).toBe('waiting');
      expect(minutesAfter(waiting.dueAt, new Date(await env.currentTimeMs()).toISOString())).toBeCloseTo(10, 0);
      f.rules.treatment.onOutcome.refused = { action: 'close' };
      await env.sleep(10 * MINUTE);
      await untilStage(handle, 'offered');
      await refuse(handle, 'anna');
      return handle.result();
    });
    expect(record).toMatchObject({ closeReason: 'refused', attempts: 0, outcomeCounts: { refused: 2 } });
    expect(f.permits.released).toBeGreaterThanOrEqual(2);
  });

  it('an offer nobody takes within the offer timeout is lost during routing, and its threshold closes it', async () => {
    const f = fakes(env, []);
    f.rules.offerTimeoutSeconds = 120;
    f.rules.treatment.closeAfter['lost-during-routing'] = 3;
    const record = await run(env, f.activities, async (tq) => {
      const handle = await start(env, tq, await request(env));
      await untilStage(handle, 'offered');
      await env.sleep(2 * MINUTE + 1000);
      const still = await untilStage(handle, 'offered', (r) => r.outcomeCounts['lost-during-routing'] === 1);
      expect(still.status).toBe('Active');
      await env.sleep(4 * MINUTE + 2000);
      return handle.result();
    });
    expect(record).toMatchObject({ closeReason: 'outcome-limit-reached', outcomeCounts: { 'lost-during-routing': 3 } });
    expect(f.events().filter((e) => e.type === 'offer-timeout')).toHaveLength(3);
  });

  it('an offer renewed again and again continues as new, keeping its place in the queue', async () => {
    const f = fakes(env, ['answered']);
    f.rules.offerTimeoutSeconds = 60;
    const record = await run(env, f.activities, async (tq) => {
      const req = await request(env);
      const input: CallbackWorkflowInput = { request: req, continueAsNewAfterEvents: 60 };
      const handle = await env.client.workflow.start(CALLBACK_WORKFLOW, { workflowId: req.id, taskQueue: tq, args: [input] });
      await untilStage(handle, 'offered');
      await env.sleep(15 * MINUTE);
      const still = await untilStage(handle, 'offered', (r) => (r.outcomeCounts['lost-during-routing'] ?? 0) >= 10);
      expect(still.status).toBe('Active');
      expect((await handle.describe()).runId).not.toBe(handle.firstExecutionRunId);
      expect(f.permits).toEqual({ requested: 1, released: 0 }); // the permit went with it
      await accept(handle, 'anna');
      await untilStage(handle, 'connected');
      return feedback(handle, { agentId: 'anna', outcome: 'completed' });
    });
    expect(record).toMatchObject({ closeReason: 'completed', attempts: 1 });
    expect(f.permits).toEqual({ requested: 1, released: 1 });
    const seqs = f.events().map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
  });

  it('a waiting-list offer its agent refuses goes to the whole queue at once', async () => {
    const f = fakes(env, ['answered']);
    const record = await run(env, f.activities, async (tq) => {
      const handle = await start(env, tq, await request(env, { waitingListOf: 'anna' }));
      await untilStage(handle, 'offered');
      expect(await refuse(handle, 'anna', 'on leave tomorrow')).toMatchObject({ stage: 'offered', waitingListOf: null });
      await accept(handle, 'bob');
      await untilStage(handle, 'connected');
      return feedback(handle, { agentId: 'bob', outcome: 'completed' });
    });
    expect(record).toMatchObject({ closeReason: 'completed', latestAgent: 'bob' });
    expect(f.events().find((e) => e.type === 'refused')!.detail).toMatchObject({ to: 'queue' });
  });

  it('a waiting-list offer nobody takes in time goes to the whole queue', async () => {
    const f = fakes(env, ['answered']);
    f.rules.offerTimeoutSeconds = 300;
    const record = await run(env, f.activities, async (tq) => {
      const handle = await start(env, tq, await request(env, { waitingListOf: 'anna' }));
      await untilStage(handle, 'offered');
      await expect(accept(handle, 'bob')).rejects.toMatchObject({ cause: { type: REJECTION.offeredToAnother } });
      await env.sleep(5 * MINUTE + 1000);
      await untilStage(handle, 'offered', (r) => r.waitingListOf === null);
      await accept(handle, 'bob');
      await untilStage(handle, 'connected');
      return feedback(handle, { agentId: 'bob', outcome: 'completed' });
    });
    expect(record).toMatchObject({ closeReason: 'completed', latestAgent: 'bob' });
    expect(record.outcomeCounts['lost-during-routing']).toBeUndefined();
    expect(f.events().find((e) => e.type === 'offer-timeout')!.detail).toMatchObject({ waitingListOf: 'anna', to: 'queue' });
  });
});

describe('the record lifecycle under administration', () => {
  const admin = (handle: Handle, action: AdminAction) => handle.executeUpdate(administerUpdate, { args: [action] });

  it('paused does nothing until enabled, and keeps its place in line', async () => {
    const f = fakes(env, ['answered']);
    const record = await run(env, f.activities, async (tq) => {
      const handle = await start(env, tq, await request(env));
      await untilStage(handle, 'offered');
      const paused = await admin(handle, { action: 'pause', actor: 'ada' });
      expect(paused).toMatchObject({ stage: 'paused', status: 'Paused' });
      await expect(admin(handle, { action: 'pause', actor: 'ada' })).rejects.toMatchObject({ cause: { type: REJECTION.alreadyPaused } });
      await env.sleep(60 * MINUTE);
      expect((await untilStage(handle, 'paused')).status).toBe('Paused');
      await admin(handle, { action: 'enable', actor: 'ada' });
      await untilStage(handle, 'offered');
      await accept(handle);
      await untilStage(handle, 'connected');
      const result = await feedback(handle, { agentId: 'anna', outcome: 'completed' });
      await recordHistory(env, handle, 'v2-paused-and-enabled');
      return result;
    });
    expect(record.closeReason).toBe('completed');
    expect(record.rankAt).toBe(record.createdAt);
    expect(f.permits).toEqual({ requested: 2, released: 2 });
  });

  it('validUntil closes a paused record: End contact - Automatic', async () => {
    const f = fakes(env, []);
    const validUntil = new Date((await env.currentTimeMs()) + 3 * 60 * MINUTE).toISOString();
    const record = await run(env, f.activities, async (tq) => {
      const handle = await start(env, tq, await request(env, { validUntil }));
      await untilStage(handle, 'offered');
      await admin(handle, { action: 'pause', actor: 'ada' });
      await env.sleep(3 * 60 * MINUTE + 1000);
      return handle.result();
    });
    expect(record).toMatchObject({ closeReason: 'expired', latestOutcome: 'expired' });
  });

  it('closed during a call it is Closing, and closes when the call ends', async () => {
    const f = fakes(env, ['answered']);
    const record = await run(env, f.activities, async (tq) => {
      const handle = await start(env, tq, await request(env));
      await untilStage(handle, 'offered');
      await accept(handle);
      await untilStage(handle, 'connected');
      await expect(admin(handle, { action: 'change', actor: 'ada', changes: { phone: '+46701111111' } })).rejects.toMatchObject({
        cause: { type: REJECTION.inCall },
      });
      await expect(admin(handle, { action: 'pause', actor: 'ada' })).rejects.toMatchObject({ cause: { type: REJECTION.inCall } });
      const closing = await admin(handle, { action: 'close', actor: 'ada' });
      expect(closing).toMatchObject({ status: 'Closing', stage: 'connected' });
      await expect(admin(handle, { action: 'close', actor: 'ada' })).rejects.toMatchObject({ cause: { type: REJECTION.alreadyClosing } });
      return feedback(handle, { agentId: 'anna', outcome: 'customer-not-reached' });
    });
    expect(record).toMatchObject({ status: 'Closed', closeReason: 'closed-by-administrator' });
    expect(f.events().at(-1)).toMatchObject({ type: 'closed', actor: 'admin:ada' });
  });

  it('a change of time, priority and queue moves the record and keeps the history', async () => {
    const f = fakes(env, []);
    const record = await run(env, f.activities, async (tq) => {
      const handle = await start(env, tq, await request(env));
      await untilStage(handle, 'offered');
      const at = new Date((await env.currentTimeMs()) + 2 * 60 * MINUTE).toISOString();
      const changed = await admin(handle, {
        action: 'change',
        actor: 'ada',
        changes: { requestedAt: at, priority: 2, queue: { name: 'sales', orgArea: 'north' }, comment: 'call about the invoice' },
      });
      expect(changed).toMatchObject({ stage: 'waiting', dueAt: at, rankAt: at, priority: 2, queue: 'sales', orgArea: 'north' });
      await expect(
        admin(handle, { action: 'change', actor: 'ada', changes: { validUntil: new Date(Date.parse(at) - MINUTE).toISOString() } }),
      ).rejects.toMatchObject({ cause: { type: REJECTION.invalidTime } });
      await env.sleep(2 * 60 * MINUTE);
      const again = await untilStage(handle, 'offered');
      await admin(handle, { action: 'close', actor: 'ada' });
      return again;
    });
    expect(record.queue).toBe('sales');
    expect(f.events().find((e) => e.type === 'changed')!.detail).toMatchObject({
      before: { priority: 5 },
      after: { priority: 2, queue: 'sales' },
    });
    expect(f.permits.requested).toBe(2);
  });
});
