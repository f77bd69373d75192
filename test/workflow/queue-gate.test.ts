// The queue gate on the time-skipping server with its real activities: stand-in records
// (test/workflow/gate-test-workflows.ts) ask for permits, hold them and give them back, and an
// in-memory probe counts how many hold one at once.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client, WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, bundleWorkflowCode } from '@temporalio/worker';
import { beforeAll, expect, it } from 'vitest';
import { createGateActivities } from '../../activities/gate.js';
import { resizeGate } from '../../workflows/queue-gate-client.js';
import { temporalExecutable } from '../../dev/temporal-binaries.js';
import { installRuntime } from '../../worker/runtime.js';
import {
  GATE_WORKFLOW,
  acquireSignal,
  gateStateQuery,
  releaseSignal,
  gateWorkflowId,
  type GateInput,
  type GateState,
} from '../../workflows/queue-gate-contract.js';
import type { GateProbe, HolderInput, gateHolder } from './gate-test-workflows.js';

installRuntime('WARN');

let env: TestWorkflowEnvironment;
let workflowBundle: { code: string };
// env.client unlocks time skipping around every result it waits for; this one does not, so that
// `skippingTime` alone decides when time may jump.
let client: Client;

beforeAll(async () => {
  workflowBundle = await bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('./gate-test-workflows.ts', import.meta.url)),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error },
  });
});

/**
 * Each test gets a server of its own: time skipping is global to a server, and a gate left
 * running by one test (its holder check is a timer) would hold up the time of the next.
 */
async function freshServer(): Promise<void> {
  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: temporalExecutable('testServer') } });
  client = new Client({ connection: env.connection });
}

/** Who holds a permit, as the holders themselves report it. */
function probe() {
  const seen = { inside: 0, max: 0, left: 0, order: [] as string[], insideOnEntry: {} as Record<string, number> };
  const activities: GateProbe = {
    async entered(recordId) {
      seen.inside += 1;
      seen.max = Math.max(seen.max, seen.inside);
      seen.order.push(recordId);
      seen.insideOnEntry[recordId] = seen.inside;
    },
    async left() {
      seen.inside -= 1;
      seen.left += 1;
    },
  };
  /** A holder terminated while holding never reports leaving. */
  const vanished = () => {
    seen.inside -= 1;
  };
  return { seen, activities, vanished };
}

interface Ctx {
  taskQueue: string;
  queue: string;
  holder(name: string, input: Partial<HolderInput>): Promise<WorkflowHandle<typeof gateHolder>>;
  state(): Promise<GateState>;
}

/** Runs `body` with a worker for one fresh queue, on a server of its own. */
async function withGate<T>(activities: GateProbe, body: (ctx: Ctx) => Promise<T>): Promise<T> {
  await freshServer();
  const taskQueue = `gate-test-${randomUUID()}`;
  const queue = `queue-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle,
    activities: { ...createGateActivities({ temporal: env.client, taskQueue }), ...activities },
  });
  const gate = client.workflow.getHandle(gateWorkflowId(queue));
  const ctx: Ctx = {
    taskQueue,
    queue,
    holder: (name, input) =>
      client.workflow.start<typeof gateHolder>('gateHolder', {
        taskQueue,
        workflowId: `${queue}:${name}`,
        args: [{ queue, size: 1, hold: '1 minute', ...input }],
      }),
    state: () => gate.query(gateStateQuery),
  };
  try {
    return await worker.runUntil(() => body(ctx));
  } finally {
    await env.teardown();
  }
}

/**
 * Terminates a workflow once it has no workflow or activity task in flight: the time-skipping
 * server keeps time locked for a task that a termination cut short, which would stop time
 * skipping for the rest of the file.
 */
async function terminateQuietly(handle: WorkflowHandle): Promise<void> {
  const E = temporal.api.enums.v1.EventType;
  const workflowTask = [E.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, E.EVENT_TYPE_WORKFLOW_TASK_STARTED, E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED];
  const opened = [E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, E.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED];
  const closed = [
    E.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
    E.EVENT_TYPE_ACTIVITY_TASK_FAILED,
    E.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT,
    E.EVENT_TYPE_ACTIVITY_TASK_CANCELED,
    E.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_SIGNALED,
    E.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED,
  ];
  const idle = async () => {
    const types = ((await handle.fetchHistory()).events ?? []).map((e) => e.eventType!);
    const count = (of: typeof types) => types.filter((t) => of.includes(t)).length;
    return types.filter((t) => workflowTask.includes(t)).at(-1) === E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED && count(opened) === count(closed);
  };
  try {
    await eventually(`${handle.workflowId} idle`, idle, (yes) => yes);
  } catch (err) {
    // A workflow that never ran has nothing to cut short.
    if (!(err instanceof WorkflowNotFoundError)) throw err;
    return;
  }
  await handle.terminate('test over');
}

/** Starts the gate itself, for the options a record's request cannot set. */
async function startGate(ctx: Ctx, input: Omit<GateInput, 'queue'>) {
  return client.workflow.start(GATE_WORKFLOW, {
    taskQueue: ctx.taskQueue,
    workflowId: gateWorkflowId(ctx.queue),
    args: [{ queue: ctx.queue, ...input } satisfies GateInput],
  });
}

/** Lets the server skip ahead through timers while `fn` waits. */
async function skippingTime<T>(fn: () => Promise<T>): Promise<T> {
  await env.connection.testService!.unlockTimeSkipping({});
  try {
    return await fn();
  } finally {
    await env.connection.testService!.lockTimeSkipping({});
  }
}

const allDone = (handles: WorkflowHandle[]) => skippingTime(() => Promise.all(handles.map((h) => h.result())));

async function eventually<T>(what: string, read: () => T | Promise<T>, ok: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const value = await read();
    if (ok(value)) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`never saw ${what}`);
}

const ids = (entries: { recordId: string }[]) => entries.map((e) => e.recordId);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

it('lets a burst of 500 records due at once through a gate of 5, never more than 5 at a time', async () => {
  const { seen, activities } = probe();
  await withGate(activities, async (ctx) => {
    // Started before the burst: the time-skipping server, unlike Temporal's, lets concurrent
    // signal-with-starts of one new workflow race (the loser's activity is retried).
    await startGate(ctx, { size: 5 });
    const holders = await Promise.all(range(500).map((i) => ctx.holder(`h${i}`, { size: 5 })));
    await allDone(holders);
    expect(await ctx.state()).toMatchObject({ size: 5, holders: [], waiters: [] });
  });
  expect(seen.max).toBe(5);
  expect(seen.left).toBe(500);
  expect(new Set(seen.order).size).toBe(500);
}, 180_000);

it('serves waiters by priority, then place in line, then arrival', async () => {
  const { seen, activities } = probe();
  await withGate(activities, async (ctx) => {
    const first = await ctx.holder('first', { hold: '1 hour' });
    await eventually(
      'the first holder enter',
      () => seen.order,
      (o) => o.length === 1,
    );
    const at = (minute: number) => `2026-01-01T10:${String(minute).padStart(2, '0')}:00Z`;
    const arrivals: [string, number, string][] = [
      ['normal-late', 5, at(30)],
      ['least-earliest', 9, at(0)],
      ['urgent-late', 2, at(40)],
      ['normal-early', 5, at(10)],
      ['urgent-early', 2, at(20)],
      ['normal-early-again', 5, at(10)],
    ];
    const waiting = [first];
    for (const [name, priority, rankAt] of arrivals) {
      waiting.push(await ctx.holder(name, { priority, rankAt }));
      // One at a time, so that the order they asked in is the order the gate saw.
      await eventually(`${name} waiting`, ctx.state, (s) => s.waiters.length === waiting.length - 1);
    }
    const expected = ['urgent-early', 'urgent-late', 'normal-early', 'normal-early-again', 'normal-late', 'least-earliest'];
    const state = await ctx.state();
    expect(ids(state.holders)).toEqual([first.workflowId]);
    expect(ids(state.waiters)).toEqual(expected.map((n) => `${ctx.queue}:${n}`));
    await allDone(waiting);
    expect(seen.order).toEqual([first.workflowId, ...expected.map((n) => `${ctx.queue}:${n}`)]);
  });
  expect(seen.max).toBe(1);
});

it('keeps every holder and waiter across continue-as-new', async () => {
  const { seen, activities } = probe();
  await withGate(activities, async (ctx) => {
    const gate = await startGate(ctx, { size: 5, continueAsNewAfterEvents: 200 });
    const holders = await Promise.all(range(150).map((i) => ctx.holder(`h${i}`, { size: 5 })));
    await allDone(holders);
    const now = await gate.describe();
    expect(now.status.name).toBe('RUNNING');
    expect(now.runId).not.toBe(gate.firstExecutionRunId);
    expect(await ctx.state()).toMatchObject({ size: 5, holders: [], waiters: [] });
  });
  expect(seen.max).toBe(5);
  expect(seen.left).toBe(150);
  expect(new Set(seen.order).size).toBe(150);
}, 120_000);

it('reclaims the permit of a terminated holder and skips a terminated waiter', async () => {
  const { seen, activities, vanished } = probe();
  await withGate(activities, async (ctx) => {
    await startGate(ctx, { size: 1, holderCheckInterval: '10 seconds' });
    const vanishing = await ctx.holder('vanishing', { hold: '1 day' });
    await eventually(
      'the holder enter',
      () => seen.order,
      (o) => o.length === 1,
    );
    const next = await ctx.holder('next', { priority: 5 });
    const gone = await ctx.holder('gone-while-waiting', { priority: 1 });
    await eventually('two waiting', ctx.state, (s) => s.waiters.length === 2);
    await terminateQuietly(gone);
    await terminateQuietly(vanishing);
    vanished();

    // Nobody gave the permit back: it stays taken until the holders are checked.
    await new Promise((r) => setTimeout(r, 500));
    expect(ids((await ctx.state()).holders)).toEqual([vanishing.workflowId]);
    await env.sleep('10 seconds');
    await eventually(
      'the waiter enter',
      () => seen.order,
      (o) => o.length === 2,
    );
    expect(seen.order).toEqual([vanishing.workflowId, next.workflowId]);
    await eventually('the holders reclaimed', ctx.state, (s) => s.holders.length === 1 && s.waiters.length === 0);
    expect(ids((await ctx.state()).holders)).toEqual([next.workflowId]);
    await allDone([next]);
  });
  expect(seen.max).toBe(1);
});

it('applies a new size at once and shows holders and waiters', async () => {
  const { seen, activities } = probe();
  await withGate(activities, async (ctx) => {
    const first = await ctx.holder('a', { hold: '1 hour' });
    await eventually(
      'the first holder enter',
      () => seen.order,
      (o) => o.length === 1,
    );
    const waiting = [first];
    for (const name of ['b', 'c', 'd']) {
      waiting.push(await ctx.holder(name, {}));
      await eventually(`${name} waiting`, ctx.state, (s) => s.waiters.length === waiting.length - 1);
    }
    const before = await ctx.state();
    expect(before).toMatchObject({ queue: ctx.queue, size: 1 });
    expect(ids(before.holders)).toEqual([`${ctx.queue}:a`]);
    expect(ids(before.waiters)).toEqual(['b', 'c', 'd'].map((n) => `${ctx.queue}:${n}`));
    expect(before.waiters.every((w) => w.priority === 5 && !Number.isNaN(Date.parse(w.since)))).toBe(true);

    // Growing grants at once: no time passes.
    await resizeGate(client, ctx.taskQueue, ctx.queue, 3);
    await eventually(
      'b and c enter',
      () => seen.order.length,
      (n) => n === 3,
    );
    const grown = await ctx.state();
    expect(grown.size).toBe(3);
    expect(ids(grown.holders)).toEqual(['a', 'b', 'c'].map((n) => `${ctx.queue}:${n}`));
    expect(ids(grown.waiters)).toEqual([`${ctx.queue}:d`]);

    // Shrinking lets the three finish and admits d only once fewer than one hold a permit.
    await resizeGate(client, ctx.taskQueue, ctx.queue, 1);
    await eventually('the new size', ctx.state, (s) => s.size === 1);
    await allDone(waiting);
  });
  expect(seen.max).toBe(3);
  expect(seen.order.at(-1)).toMatch(/:d$/);
  expect(Object.values(seen.insideOnEntry).at(-1)).toBe(1);
});

it('never lets a late release of an earlier request take away a newer one', async () => {
  const { activities } = probe();
  await withGate(activities, async (ctx) => {
    // Size 0 admits nobody: the requests stay waiters, so the test sees exactly what each signal did.
    const gate = await startGate(ctx, { size: 0 });
    const waiter = (s: GateState) => s.waiters.map(({ recordId, priority, ticket }) => ({ recordId, priority, ticket }));
    await gate.signal(acquireSignal, { recordId: 'r', priority: 5, rankAt: '2026-01-01T10:00:00Z', ticket: 3 });
    await gate.signal(releaseSignal, { recordId: 'r', ticket: 2 });
    expect(waiter(await eventually('the first request', ctx.state, (s) => s.waiters.length === 1))).toEqual([
      { recordId: 'r', priority: 5, ticket: 3 },
    ]);
    // The record asks again (its priority changed): one place in line, with the new priority and ticket.
    await gate.signal(acquireSignal, { recordId: 'r', priority: 1, rankAt: '2026-01-01T10:00:00Z', ticket: 7 });
    await gate.signal(releaseSignal, { recordId: 'r', ticket: 3 });
    expect(waiter(await eventually('the new request', ctx.state, (s) => s.waiters[0]?.ticket === 7))).toEqual([
      { recordId: 'r', priority: 1, ticket: 7 },
    ]);
    await gate.signal(releaseSignal, { recordId: 'r', ticket: 7 });
    await eventually('the request released', ctx.state, (s) => s.waiters.length === 0);
    await terminateQuietly(gate);
  });
});
