// The queue gate with real record workflows on the time-skipping server: the order in which
// waiting records reach the queue. Only the database and the dialler are replaced.
// (queue-gate.test.ts tests the gate alone with stand-in holders; test/e2e/gate-burst.test.ts a
// burst of records through the whole system.)
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createGateActivities } from '../../activities/gate.js';
import type { Activities } from '../../activities/index.js';
import type { CallbackRequest, Stage } from '../../domain/record.js';
import { DEFAULT_TREATMENT } from '../../domain/treatment.js';
import { installRuntime } from '../../worker/runtime.js';
import { CALLBACK_WORKFLOW, acceptUpdate, type CallbackWorkflowInput } from '../../workflows/callback-contract.js';
import { GATE_WORKFLOW, gateStateQuery, gateWorkflowId, type GateInput } from '../../workflows/queue-gate-contract.js';
import { callbackRequest } from '../support/fixtures.js';
import { startTimeSkipping } from '../support/time-skipping.js';
import { OPEN } from './record-harness.js';

installRuntime('WARN');

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startTimeSkipping();
});
afterAll(() => env?.teardown());

/** Fakes for the record's database and dialler (every number invalid: one dial closes it); the gate's activities are real. */
function harness(taskQueue: string) {
  const stages = new Map<string, Stage>();
  const gate = createGateActivities({ temporal: env.client, taskQueue });
  const activities: Activities = {
    async saveRecord({ record }) {
      stages.set(record.id, record.stage);
    },
    async dial() {
      return 'invalid-number';
    },
    async placeCall() {
      return { outcome: 'invalid-number' };
    },
    requestPermit: ({ queue, waiter }) => gate.requestPermit({ queue, size: 1, waiter }),
    queueRules: async () => ({ treatment: DEFAULT_TREATMENT, offerTimeoutSeconds: 3600, wrapUpTimeoutSeconds: 3600, ...OPEN }),
    releasePermit: gate.releasePermit,
    runningWorkflows: gate.runningWorkflows,
    reserveAgent: async () => ({ kind: 'pull' as const }),
    endReservation: async () => {},
  };
  return { activities, stages };
}

async function withWorker<T>(body: (taskQueue: string, h: ReturnType<typeof harness>) => Promise<T>): Promise<T> {
  const taskQueue = `gate-${randomUUID()}`;
  const h = harness(taskQueue);
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    activities: h.activities,
  });
  return worker.runUntil(body(taskQueue, h));
}

function startGate(taskQueue: string, input: GateInput) {
  return env.client.workflow.start(GATE_WORKFLOW, { workflowId: gateWorkflowId(input.queue), taskQueue, args: [input] });
}

function startRecord(taskQueue: string, request: CallbackRequest) {
  const input: CallbackWorkflowInput = { request };
  return env.client.workflow.start(CALLBACK_WORKFLOW, { workflowId: request.id, taskQueue, args: [input] });
}

async function until(check: () => boolean | Promise<boolean>, what: string, tries = 1200) {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const offered = (stages: Map<string, Stage>) => [...stages].filter(([, s]) => s === 'offered').map(([id]) => id);

it('lets waiting records into the queue by priority, then by place in line', async () => {
  await withWorker(async (taskQueue, { stages }) => {
    const queue = `order-${randomUUID().slice(0, 8)}`;
    await startGate(taskQueue, { queue, size: 1 });
    const first = await startRecord(taskQueue, callbackRequest({ queue }));
    await until(() => stages.get(first.workflowId) === 'offered', 'the first record to be offered');

    const t = Date.now();
    const at = (minutesAgo: number) => new Date(t - minutesAgo * 60_000).toISOString();
    const late = callbackRequest({ queue, priority: 5, createdAt: at(10) });
    const urgent = callbackRequest({ queue, priority: 1, createdAt: at(1) });
    const early = callbackRequest({ queue, priority: 5, createdAt: at(30) });
    for (const r of [late, urgent, early]) await startRecord(taskQueue, r);
    const gate = env.client.workflow.getHandle(gateWorkflowId(queue));
    await until(async () => (await gate.query(gateStateQuery)).waiters.length === 3, 'three waiters');

    const order: string[] = [];
    let current = first.workflowId;
    for (let i = 0; i < 4; i++) {
      await until(() => stages.get(current) === 'offered', `${current} to be offered`);
      if (i > 0) order.push(current);
      await env.client.workflow.getHandle(current).executeUpdate(acceptUpdate, { args: [{ agentId: 'anna' }] });
      await until(() => stages.get(current) === 'closed', `${current} to close`);
      if (i < 3) {
        await until(() => offered(stages).length === 1, 'the next record to be offered');
        current = offered(stages)[0]!;
      }
    }
    expect(order).toEqual([urgent.id, early.id, late.id]);
  });
});

it('gives the permit back when a record in the queue is cancelled, so the next one is offered', async () => {
  await withWorker(async (taskQueue, { stages }) => {
    const queue = `cancel-${randomUUID().slice(0, 8)}`;
    await startGate(taskQueue, { queue, size: 1 });
    const holder = await startRecord(taskQueue, callbackRequest({ queue }));
    await until(() => stages.get(holder.workflowId) === 'offered', 'the first record to be offered');
    const waiter = await startRecord(taskQueue, callbackRequest({ queue }));
    const gate = env.client.workflow.getHandle(gateWorkflowId(queue));
    await until(async () => (await gate.query(gateStateQuery)).waiters.length === 1, 'a waiter');

    await holder.cancel();
    await expect(holder.result()).rejects.toThrow();
    await until(() => stages.get(waiter.workflowId) === 'offered', 'the waiter to be offered');
    expect((await gate.query(gateStateQuery)).holders.map((h) => h.recordId)).toEqual([waiter.workflowId]);
    expect(stages.get(holder.workflowId)).toBe('closed');
  });
});
