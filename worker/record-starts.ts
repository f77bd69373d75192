// Starting a record's workflow, and the sweep that starts the ones a crash left unstarted.
// The API commits a record first and starts its workflow right after; a record whose start
// never happened (the API died in between, or Temporal was unreachable) still has version 1
// after a grace period, and a worker starts it. Starting twice is harmless: the id is the record's.
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Sql } from '../db/connect.js';
import { forgetExpiredIdempotencyKeys } from '../db/admission.js';
import { forgetAuditBefore } from '../db/audit.js';
import { forgetLastAgents, unstartedRecords } from '../db/records.js';
import { getParameters } from '../db/configuration.js';
import type { CallbackRequest } from '../domain/record.js';
import { CALLBACK_WORKFLOW, callbackWorkflowId, type CallbackWorkflowInput } from '../workflows/callback-contract.js';

/** How every record's workflow is started: one run per record, never a second after it closed. */
export function startOptions(taskQueue: string, request: CallbackRequest) {
  const input: CallbackWorkflowInput = { request };
  return {
    workflowId: callbackWorkflowId(request.id),
    taskQueue,
    args: [input] as [CallbackWorkflowInput],
    workflowIdReusePolicy: 'REJECT_DUPLICATE' as const,
  };
}

export async function startCallbackWorkflow(temporal: Client, taskQueue: string, request: CallbackRequest): Promise<void> {
  try {
    await temporal.workflow.start(CALLBACK_WORKFLOW, startOptions(taskQueue, request));
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/** Starts every record older than `graceMs` that no workflow has written to yet; returns how many. */
export async function startMissedRecords(sql: Sql, temporal: Client, taskQueue: string, graceMs: number): Promise<number> {
  const missed = await unstartedRecords(sql, graceMs, 100);
  for (const request of missed) await startCallbackWorkflow(temporal, taskQueue, request);
  return missed.length;
}

/**
 * Sweeps every `everyMs` for records older than `graceMs`, until stopped. It also forgets expired
 * idempotency keys, audit entries older than `auditRetentionDays`, and the last agent of records
 * closed longer ago than the lastAgentRetentionDays parameter.
 */
export async function forgetLastAgentsPastRetention(sql: Sql): Promise<number> {
  const { lastAgentRetentionDays: days } = await getParameters(sql);
  return days === null ? 0 : forgetLastAgents(sql, new Date(Date.now() - days * 86_400_000));
}

export function sweepMissedRecords(
  sql: Sql,
  temporal: Client,
  taskQueue: string,
  { everyMs, graceMs, auditRetentionDays }: { everyMs: number; graceMs: number; auditRetentionDays: number },
): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running
      .then(() => startMissedRecords(sql, temporal, taskQueue, graceMs))
      .then((n) => n > 0 && console.warn(`[worker] started ${n} record workflow(s) left unstarted`))
      .then(() => forgetExpiredIdempotencyKeys(sql))
      .then(() => forgetAuditBefore(sql, new Date(Date.now() - auditRetentionDays * 86_400_000)))
      .then(() => forgetLastAgentsPastRetention(sql))
      .catch((err) => console.error('[worker] the sweep failed; trying again', err));
  }, everyMs);
  return async () => {
    clearInterval(timer);
    await running;
  };
}
