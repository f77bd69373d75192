// Workflow code for the queue-gate test only: the gate itself and a stand-in for a record that
// asks for a permit, holds it for a while and gives it back, the way a record workflow must.
import { CancellationScope, condition, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { GateActivities } from '../../activities/gate.js';
import { permitGrantedSignal } from '../../workflows/queue-gate-contract.js';

export { queueGate } from '../../workflows/queue-gate.js';

/** The test's in-memory witness of who holds a permit. */
export interface GateProbe {
  entered(recordId: string): Promise<void>;
  left(recordId: string): Promise<void>;
}

export interface HolderInput {
  queue: string;
  size: number;
  priority?: number;
  rankAt?: string;
  hold: string;
}

// Long enough that time skipped past the holds never times an activity out (a retried
// `entered` would be counted twice).
const { requestPermit, releasePermit, entered, left } = proxyActivities<GateActivities & GateProbe>({
  startToCloseTimeout: '1 day',
});

export async function gateHolder({ queue, size, priority = 5, rankAt, hold }: HolderInput): Promise<void> {
  const recordId = workflowInfo().workflowId;
  let permit = false;
  setHandler(permitGrantedSignal, () => {
    permit = true;
  });
  await requestPermit({ queue, size, waiter: { recordId, priority, rankAt: rankAt ?? new Date(Date.now()).toISOString() } });
  await condition(() => permit);
  try {
    await entered(recordId);
    await sleep(hold);
    await left(recordId);
  } finally {
    await CancellationScope.nonCancellable(() => releasePermit({ queue, recordId }));
  }
}
