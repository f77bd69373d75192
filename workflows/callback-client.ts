// Starting a record's workflow, for the API (a new record, a duplicate's signal-with-start) and the
// worker's sweep of records a crash left unstarted. Beside the contract, so that neither imports the other.
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { CallbackRequest } from '../domain/record.js';
import { CALLBACK_WORKFLOW, callbackWorkflowId, type CallbackWorkflowInput } from './callback-contract.js';

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

/** Starting twice is harmless: the workflow id is the record's. */
export async function startCallbackWorkflow(temporal: Client, taskQueue: string, request: CallbackRequest): Promise<void> {
  try {
    await temporal.workflow.start(CALLBACK_WORKFLOW, startOptions(taskQueue, request));
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}
