// The record workflow alone on the time-skipping server, its activities replaced by fakes: a
// store that keeps every save, a dialler that plays a script, a gate with room for everyone and
// queue rules a test can change while records run.
import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import type { Activities, QueueRules } from '../../activities/index.js';
import type { CallbackRecord, CallbackRequest, DialOutcome, DialResult, HistoryEvent, Stage } from '../../domain/record.js';
import { DEFAULT_TREATMENT } from '../../domain/treatment.js';
import { temporalExecutable } from '../../dev/temporal-binaries.js';
import { CALLBACK_WORKFLOW, recordQuery, type CallbackWorkflowInput } from '../../workflows/callback-contract.js';
import { permitGrantedSignal } from '../../workflows/queue-gate-contract.js';
import { callbackRequest } from '../support/fixtures.js';

export const MINUTE = 60_000;

export type Rules = QueueRules;

/** Business hours that never hold a record back. */
export const OPEN = { openNow: true, opensAt: null, appointment: false } as const;

export function fakes(
  env: TestWorkflowEnvironment,
  outcomes: (DialOutcome | DialResult)[],
  { failSaves = 0, rules }: { failSaves?: number; rules?: Rules } = {},
) {
  const saves: { record: CallbackRecord; events: HistoryEvent[] }[] = [];
  const permits = { requested: 0, released: 0 };
  /** The call ids of the dials made, in order. */
  const dials: string[] = [];
  /** Read at every decision: a test changes it to change the treatment of running records. */
  const current: Rules = rules ?? {
    treatment: structuredClone(DEFAULT_TREATMENT),
    offerTimeoutSeconds: 24 * 3600,
    wrapUpTimeoutSeconds: 24 * 3600,
    ...OPEN,
  };
  let failures = failSaves;
  const activities: Activities = {
    async saveRecord(input) {
      if (failures-- > 0) throw new Error('database unavailable');
      saves.push(input);
    },
    async dial() {
      const next = outcomes.shift();
      // Not retried: a test that dials too often fails at once instead of spinning on retries.
      if (!next) throw ApplicationFailure.nonRetryable('dialled more often than the test expected');
      return typeof next === 'string' ? next : (next.outcome as DialOutcome);
    },
    async placeCall(request) {
      dials.push(request.callId);
      const next = outcomes.shift();
      if (!next) throw ApplicationFailure.nonRetryable('dialled more often than the test expected');
      return typeof next === 'string' ? { outcome: next } : next;
    },
    async requestPermit({ queue, waiter }) {
      permits.requested += 1;
      await env.client.workflow.getHandle(waiter.recordId).signal(permitGrantedSignal, { queue });
    },
    async queueRules() {
      return structuredClone(current);
    },
    async releasePermit() {
      permits.released += 1;
    },
    async runningWorkflows(ids) {
      return ids;
    },
    // No agent directory: agents take records themselves (the routing tests run through the real stack).
    async reserveAgent() {
      return { kind: 'pull' as const };
    },
    async endReservation() {},
  };
  const events = () => saves.flatMap((s) => s.events);
  return { activities, saves, permits, rules: current, events, dials };
}

export async function run<T>(env: TestWorkflowEnvironment, activities: Activities, body: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `wf-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    activities,
  });
  return worker.runUntil(body(taskQueue));
}

export async function request(env: TestWorkflowEnvironment, overrides: Partial<CallbackRequest> = {}): Promise<CallbackRequest> {
  return callbackRequest({ channel: 'ivr', createdBy: 'ivr', createdAt: new Date(await env.currentTimeMs()).toISOString(), ...overrides });
}

export function start(env: TestWorkflowEnvironment, taskQueue: string, req: CallbackRequest) {
  const input: CallbackWorkflowInput = { request: req };
  return env.client.workflow.start(CALLBACK_WORKFLOW, { workflowId: req.id, taskQueue, args: [input] });
}

export type Handle = Awaited<ReturnType<typeof start>>;

export async function untilStage(handle: Handle, stage: Stage, pred: (r: CallbackRecord) => boolean = () => true): Promise<CallbackRecord> {
  for (let i = 0; i < 600; i++) {
    const record = await handle.query(recordQuery);
    if (record.stage === stage && pred(record)) return record;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`record never reached ${stage}`);
}

/** With RECORD_HISTORIES=1, keeps the run's history for the replay test (test/workflow/replay.test.ts). */
export async function recordHistory(env: TestWorkflowEnvironment, handle: Handle, name: string): Promise<void> {
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
