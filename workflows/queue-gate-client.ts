// Asking a queue's gate from outside a workflow: the API changes its size when a queue's limit
// changes, and a record's activity asks it for a permit.
import type { Client, SignalDefinition } from '@temporalio/client';
import { GATE_WORKFLOW, gateWorkflowId, resizeSignal, type GateInput } from './queue-gate-contract.js';

/** Signals a queue's gate, starting it first (with the input's size) if it does not run yet. */
export async function signalGate<Arg>(
  temporal: Client,
  taskQueue: string,
  input: GateInput,
  signal: SignalDefinition<[Arg]>,
  arg: Arg,
): Promise<void> {
  await temporal.workflow.signalWithStart(GATE_WORKFLOW, {
    workflowId: gateWorkflowId(input.queue),
    taskQueue,
    args: [input],
    signal,
    signalArgs: [arg],
  });
}

/** Changes a queue's gate size at once, starting the gate if it does not run yet. */
export async function resizeGate(temporal: Client, taskQueue: string, queue: string, size: number): Promise<void> {
  await signalGate(temporal, taskQueue, { queue, size }, resizeSignal, { size });
}
