// A burst of records due at once through a queue whose gate admits 5: through the API, the
// worker, the Temporal dev server and PostgreSQL, never more than 5 in the queue, all finished.
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { temporalDataConverterOf } from '../../config/index.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { callbackWorkflowId, recordQuery } from '../../workflows/callback-contract.js';
import { gateStateQuery, gateWorkflowId } from '../../workflows/queue-gate-contract.js';
import { eventually, newQueue, startStack, type Stack } from '../support/stack.js';

let stack: Stack;
let connection: Connection;
beforeAll(async () => {
  stack = await startStack();
  connection = await Connection.connect({ address: stack.config.TEMPORAL_ADDRESS! });
});
afterAll(async () => {
  await connection?.close();
  await stack?.stop();
});

const BURST = 500;
const GATE = 5;

const PAST_GATE = new Set(['offered', 'accepted', 'dialling', 'connected']);

async function countByStage(queue: string): Promise<Record<string, number>> {
  const rows = await stack.sql<{ stage: string; n: number }[]>`
    select stage, count(*)::int as n from callbacks where queue = ${queue} group by stage`;
  return Object.fromEntries(rows.map((r) => [r.stage, r.n]));
}

/**
 * The records past the gate. The table is a copy, written after each step: a record that let go of
 * its permit may still show its call's stage there while the record after it is already offered.
 * When the table shows more than the gate admits, the records themselves say where they are.
 */
async function pastTheGate(client: Client, queue: string): Promise<number> {
  const rows = await stack.sql<{ id: string }[]>`
    select id from callbacks where queue = ${queue} and stage in ('offered', 'accepted', 'dialling', 'connected')`;
  if (rows.length <= GATE) return rows.length;
  const stages = await Promise.all(rows.map(({ id }) => client.workflow.getHandle(callbackWorkflowId(id)).query(recordQuery)));
  return stages.filter((r) => r.queue === queue && PAST_GATE.has(r.stage)).length;
}

// A sample of the gate's holders; none when the query timed out (a worker too busy to answer it in
// time, on a loaded machine): the sample is an observation, and the test needs the gate seen full once.
async function gateHolders(gate: WorkflowHandle): Promise<number | undefined> {
  try {
    return (await gate.query(gateStateQuery)).holders.length;
  } catch (err) {
    if (String((err as Error).cause).includes('DEADLINE_EXCEEDED')) return undefined;
    throw err;
  }
}

it(`lets ${BURST} records due at once through a gate of ${GATE}, never more than ${GATE} in the queue`, { timeout: 900_000 }, async () => {
  const queue = await newQueue(stack.api, { queue: { gateSize: GATE } });
  // Every number invalid: each record leaves the queue after one dial.
  for (let i = 0; i < BURST; i += 50) {
    const replies = await Promise.all(
      Array.from({ length: Math.min(50, BURST - i) }, () =>
        stack.api.post('/v1/callbacks', { phone: '+46700000004', queue, channel: 'api' }),
      ),
    );
    expect(replies.every((r) => r.status === 201)).toBe(true);
  }

  const client = new Client({ connection, dataConverter: temporalDataConverterOf(stack.config) });
  const gate = client.workflow.getHandle(gateWorkflowId(queue));
  let maxInQueue = 0;
  let maxHolders = 0;
  // An agent still holding a record gets it back from /next: count records, and check each went to one agent.
  const takenBy = new Map<string, string>();
  for (;;) {
    const stages = await countByStage(queue);
    maxInQueue = Math.max(maxInQueue, await pastTheGate(client, queue));
    maxHolders = Math.max(maxHolders, (await gateHolders(gate)) ?? 0);
    if ((stages.closed ?? 0) === BURST) break;
    const agents = await Promise.all(
      Array.from({ length: GATE }, (_, i) => stack.api.post(`/v1/queues/${queue}/next`, { agentId: `agent-${i}` })),
    );
    agents.forEach((r, i) => {
      if (r.status !== 200) return;
      expect(takenBy.get(r.body.id) ?? `agent-${i}`).toBe(`agent-${i}`);
      takenBy.set(r.body.id, `agent-${i}`);
    });
    if (agents.every((r) => r.status === 204)) await new Promise((r) => setTimeout(r, 50));
  }

  expect(takenBy.size).toBe(BURST);
  expect(maxInQueue).toBeLessThanOrEqual(GATE);
  expect(maxHolders).toBe(GATE);
  const state = await eventually(async () => {
    const s = await gate.query(gateStateQuery);
    return s.holders.length === 0 ? s : undefined;
  });
  expect(state).toMatchObject({ size: GATE, holders: [], waiters: [] });
});
