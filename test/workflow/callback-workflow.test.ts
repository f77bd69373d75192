// The record workflow alone on the time-skipping server, its activities replaced: treatment
// branches, expiry, and saves that fail and are retried.
import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Activities } from '../../activities/index.js';
import type { CallbackRecord, CallbackRequest, DialOutcome, HistoryEvent } from '../../domain/record.js';
import { callbackRequest } from '../support/fixtures.js';
import { installRuntime } from '../../worker/runtime.js';
import {
  CALLBACK_WORKFLOW,
  REJECTION,
  acceptUpdate,
  feedbackUpdate,
  recordQuery,
  type CallbackWorkflowInput,
} from '../../workflows/callback-contract.js';
import { permitGrantedSignal } from '../../workflows/queue-gate-contract.js';
import { temporalExecutable } from '../../dev/temporal-binaries.js';
import { startTimeSkipping } from '../support/time-skipping.js';

installRuntime('WARN');

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startTimeSkipping();
});
afterAll(() => env?.teardown());

const MINUTE = 60_000;

/** Fake activities: a store that keeps every save, and a dialler that plays a script of outcomes. */
function fakes(outcomes: DialOutcome[], { failSaves = 0 } = {}) {
  const saves: { record: CallbackRecord; events: HistoryEvent[] }[] = [];
  const permits = { requested: 0, released: 0 };
  let failures = failSaves;
  const activities: Activities = {
    async saveRecord(input) {
      if (failures-- > 0) throw new Error('database unavailable');
      saves.push(input);
    },
    async dial() {
      const next = outcomes.shift();
      if (!next) throw new Error('dialled more often than the test expected');
      return next;
    },
    // A gate with room for everyone: every request is granted at once.
    async requestPermit({ queue, waiter }) {
      permits.requested += 1;
      await env.client.workflow.getHandle(waiter.recordId).signal(permitGrantedSignal, { queue });
    },
    async releasePermit() {
      permits.released += 1;
    },
    async runningWorkflows(ids) {
      return ids;
    },
  };
  return { activities, saves, permits };
}

async function run<T>(activities: Activities, body: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `wf-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    activities,
  });
  return worker.runUntil(body(taskQueue));
}

async function request(overrides: Partial<CallbackRequest> = {}): Promise<CallbackRequest> {
  return callbackRequest({ channel: 'ivr', createdBy: 'ivr', createdAt: new Date(await env.currentTimeMs()).toISOString(), ...overrides });
}

function start(taskQueue: string, req: CallbackRequest) {
  const input: CallbackWorkflowInput = { request: req };
  return env.client.workflow.start(CALLBACK_WORKFLOW, { workflowId: req.id, taskQueue, args: [input] });
}

type Handle = Awaited<ReturnType<typeof start>>;

/** With RECORD_HISTORIES=1, keeps the run's history for the replay test (test/workflow/replay.test.ts). */
async function recordHistory(handle: Handle, name: string): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return;
  // The Temporal CLI writes the JSON form that replay reads back.
  const cli = temporalExecutable('cli');
  if (cli.type !== 'existing-path') throw new Error('recording histories needs the Temporal CLI in .tools/');
  const { stdout } = await promisify(execFile)(
    cli.path,
    ['workflow', 'show', '--workflow-id', handle.workflowId, '--address', env.address, '--output', 'json'],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  await writeFile(new URL(`./histories/${name}.json`, import.meta.url), stdout);
}

async function untilStage(handle: Handle, stage: CallbackRecord['stage']): Promise<CallbackRecord> {
  for (let i = 0; i < 200; i++) {
    const record = await handle.query(recordQuery);
    if (record.stage === stage) return record;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`record never reached ${stage}`);
}

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
    await recordHistory(handle, 'three-answering-machines');
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
    await recordHistory(handle, 'expired-while-offered');
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
    await recordHistory(handle, 'completed-after-failing-saves');
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
    await expect(
      handle.executeUpdate(feedbackUpdate, { args: [{ agentId: 'bob', outcome: 'completed' }] }),
    ).rejects.toMatchObject({ cause: { type: REJECTION.notOnCall } });
    await handle.executeUpdate(feedbackUpdate, { args: [{ agentId: 'anna', outcome: 'completed' }] });
    expect((await handle.result()).closeReason).toBe('completed');
  });
});
