// The system-wide gauges' reading: records by queue and stage and the webhook outbox from
// PostgreSQL; each busy queue's gate (holders, waiters) from the gate's own state query. A queue
// with no record due, offered or with an agent holds no permit and is not asked.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Sql } from '../db/connect.js';
import { gateSizes, recordsByQueueAndStage, webhookOutboxByState } from '../db/observability.js';
import type { SystemState } from '../telemetry/metrics.js';
import { gateStateQuery, gateWorkflowId } from '../workflows/queue-gate-contract.js';

const GATED_STAGES = new Set(['due', 'offered', 'accepted', 'dialling', 'connected']);
const QUERY_TIMEOUT_MS = 3000;
const PARALLEL_QUERIES = 8;

export async function readSystemState(sql: Sql, temporal: Client): Promise<SystemState> {
  const [records, webhookOutbox] = await Promise.all([recordsByQueueAndStage(sql), webhookOutboxByState(sql)]);
  const busy = [...new Set(records.filter((r) => GATED_STAGES.has(r.stage)).map((r) => r.queue))].sort();
  const sizes = await gateSizes(sql, busy);
  const gates: SystemState['gates'] = [];
  for (let i = 0; i < busy.length; i += PARALLEL_QUERIES) {
    const batch = await Promise.all(busy.slice(i, i + PARALLEL_QUERIES).map((queue) => gateOf(temporal, queue)));
    for (const [j, gate] of batch.entries()) {
      const queue = busy[i + j]!;
      // A gate that did not answer in time is left out this round rather than shown as empty.
      if (gate) gates.push({ queue, size: gate.size ?? sizes.get(queue) ?? 0, holders: gate.holders, waiters: gate.waiters });
    }
  }
  return { records, gates, webhookOutbox };
}

async function gateOf(temporal: Client, queue: string): Promise<{ size?: number; holders: number; waiters: number } | null> {
  try {
    const state = await temporal.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () =>
      temporal.workflow.getHandle(gateWorkflowId(queue)).query(gateStateQuery),
    );
    return { size: state.size, holders: state.holders.length, waiters: state.waiters.length };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return { holders: 0, waiters: 0 };
    return null;
  }
}
