// The queue gate's side of the activities: record workflows cannot signal-with-start another
// workflow, so asking a gate (and starting it on first use) is an activity; so is the gate's
// check that its holders still run.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { acquireSignal, gateWorkflowId, releaseSignal, type Waiter } from '../workflows/queue-gate-contract.js';
import { signalGate } from '../workflows/queue-gate-client.js';

interface GateDeps {
  temporal: Client;
  taskQueue: string;
}

export function createGateActivities({ temporal, taskQueue }: GateDeps) {
  return {
    /** Joins the queue's line; `size` only matters when this starts the gate. */
    async requestPermit({ queue, size, waiter }: { queue: string; size: number; waiter: Waiter }): Promise<void> {
      await signalGate(temporal, taskQueue, { queue, size }, acquireSignal, waiter);
    },

    async releasePermit({ queue, recordId, ticket }: { queue: string; recordId: string; ticket?: number }): Promise<void> {
      try {
        await temporal.workflow.getHandle(gateWorkflowId(queue)).signal(releaseSignal, { recordId, ticket });
      } catch (err) {
        // No gate, no permit to give back.
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
    },

    /** Which of these workflow ids have a running execution (a reset record's new run counts). */
    async runningWorkflows(ids: string[]): Promise<string[]> {
      const described = await Promise.all(
        ids.map(async (id) => {
          try {
            return (await temporal.workflow.getHandle(id).describe()).status.name === 'RUNNING' ? id : null;
          } catch (err) {
            if (err instanceof WorkflowNotFoundError) return null;
            throw err;
          }
        }),
      );
      return described.filter((id): id is string => id !== null);
    },
  };
}

export type GateActivities = ReturnType<typeof createGateActivities>;
