// Starting a record's workflow and signalling it from outside, for the services (a new record, a
// duplicate request, a reservation for an agent) and the worker's sweep of records a crash left unstarted.
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Reservation } from '../domain/presence.js';
import type { CallbackRequest } from '../domain/record.js';
import {
  CALLBACK_WORKFLOW,
  callbackWorkflowId,
  duplicateRequestedSignal,
  reservedSignal,
  type CallbackWorkflowInput,
  type DuplicateRequest,
} from './callback-contract.js';

/** How every record's workflow is started: one run per record, never a second after it closed. */
function startOptions(taskQueue: string, request: CallbackRequest) {
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

/**
 * Tells the record's workflow that the customer asked again, starting it if its start is still to
 * come (the record is committed before its workflow starts). Throws WorkflowExecutionAlreadyStartedError
 * when the workflow has closed: the record is no longer active.
 */
export async function signalDuplicateRequest(
  temporal: Client,
  taskQueue: string,
  request: CallbackRequest,
  duplicate: DuplicateRequest,
): Promise<void> {
  await temporal.workflow.signalWithStart(CALLBACK_WORKFLOW, {
    ...startOptions(taskQueue, request),
    signal: duplicateRequestedSignal,
    signalArgs: [duplicate],
  });
}

/** Tells an offered record it is reserved for an agent; false when its workflow has ended. */
export async function signalReserved(temporal: Client, recordId: string, reservation: Reservation): Promise<boolean> {
  try {
    await temporal.workflow.getHandle(callbackWorkflowId(recordId)).signal(reservedSignal, reservation);
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}
