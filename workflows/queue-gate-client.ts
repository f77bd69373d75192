// Asking a queue's gate from outside a workflow: the API changes its size when a queue's limit changes.
import type { Client } from '@temporalio/client';
import { GATE_WORKFLOW, gateWorkflowId, resizeSignal, type GateInput } from './queue-gate-contract.js';

/** Changes a queue's gate size at once, starting the gate if it does not run yet. */
export async function resizeGate(temporal: Client, taskQueue: string, queue: string, size: number): Promise<void> {
  const input: GateInput = { queue, size };
  await temporal.workflow.signalWithStart(GATE_WORKFLOW, {
    workflowId: gateWorkflowId(queue),
    taskQueue,
    args: [input],
    signal: resizeSignal,
    signalArgs: [{ size }],
  });
}
