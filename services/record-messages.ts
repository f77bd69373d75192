// Messages from the API to a record's workflow, with the workflow's refusals turned into problems.
import { WorkflowNotFoundError } from '@temporalio/client';
import type { CallbackRecord } from '../domain/record.js';
import { eraseRecord, findRecord } from '../db/records.js';
import {
  acceptUpdate,
  administerUpdate,
  callbackWorkflowId,
  feedbackUpdate,
  refuseUpdate,
  type AdminAction,
  type FeedbackInput,
  type RefuseInput,
} from '../workflows/callback-contract.js';
import type { ServiceDeps } from './deps.js';
import { ProblemError } from './problem.js';
import { toProblem } from './temporal-errors.js';

/**
 * Every message to a record's workflow goes through here, within the API's wait limit: with no
 * worker running the workflow never takes it, and the client answers 503 temporarily-unavailable.
 * Such a message may still be taken once a worker runs again.
 */
export async function sendToRecord<T>({ sql, waits }: ServiceDeps, id: string, call: () => Promise<T>): Promise<T> {
  try {
    return await waits.within(call);
  } catch (err) {
    if (err instanceof ProblemError) throw err;
    throw toProblem(err, (await findRecord(sql, id)) !== null) ?? err;
  }
}

const handleOf = (deps: ServiceDeps, id: string) => deps.temporal.workflow.getHandle(callbackWorkflowId(id));

/** The agent takes the record; the workflow's update validator lets exactly one agent win. */
export function acceptRecord(deps: ServiceDeps, id: string, agentId: string, via?: string): Promise<CallbackRecord> {
  return sendToRecord(deps, id, () => handleOf(deps, id).executeUpdate(acceptUpdate, { args: [{ agentId, ...(via ? { via } : {}) }] }));
}

export function refuseRecord(deps: ServiceDeps, id: string, input: RefuseInput): Promise<CallbackRecord> {
  return sendToRecord(deps, id, () => handleOf(deps, id).executeUpdate(refuseUpdate, { args: [input] }));
}

export function feedbackRecord(deps: ServiceDeps, id: string, input: FeedbackInput): Promise<CallbackRecord> {
  return sendToRecord(deps, id, () => handleOf(deps, id).executeUpdate(feedbackUpdate, { args: [input] }));
}

/** Pause, enable, close or change: answered once the table holds the result. */
export function administerRecord(deps: ServiceDeps, id: string, action: AdminAction): Promise<CallbackRecord> {
  return sendToRecord(deps, id, () => handleOf(deps, id).executeUpdate(administerUpdate, { args: [action] }));
}

/**
 * Deletes a record for good: its workflow closes it as `deleted` and ends, then its data goes from
 * the table and its workflow's history from Temporal. A closed record is erased the same way; a
 * retried delete finishes what a crash interrupted.
 */
export async function deleteRecord(deps: ServiceDeps, id: string, actor: string): Promise<void> {
  const handle = handleOf(deps, id);
  try {
    await administerRecord(deps, id, { action: 'delete', actor });
    await deps.waits.within(() => handle.result());
  } catch (err) {
    const closedAlready = err instanceof ProblemError && err.problem.type === 'record-closed';
    if (!closedAlready) throw err;
  }
  // Temporal first: while the row is there, a retried delete finds the record and finishes. Every
  // run goes, not only the latest: a run that continued as new, or one an operator reset, keeps its
  // own history (encrypted, but readable with the key) until the namespace's retention.
  const runIds = new Set<string>();
  await deps.waits.within(async () => {
    try {
      runIds.add((await handle.describe()).runId);
    } catch (err) {
      // Gone already (retention, or an earlier delete): nothing of the latest run is left to erase.
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
    for await (const run of deps.temporal.workflow.list({ query: `WorkflowId = '${callbackWorkflowId(id)}'` })) runIds.add(run.runId);
  });
  for (const runId of runIds) {
    try {
      // A closed execution is deleted by its run id: without one the server looks for a running one.
      await deps.waits.within(() =>
        deps.temporal.workflowService.deleteWorkflowExecution({
          namespace: deps.temporal.options.namespace,
          workflowExecution: { workflowId: callbackWorkflowId(id), runId },
        }),
      );
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError) && (err as { code?: number }).code !== 5) throw err;
    }
  }
  await eraseRecord(deps.sql, id);
}
