// An agent holds one record at a time in an organisation area: from accepting it until its feedback
// (or its queue's wrap-up limit); an agent in the directory who is offered a record (pushed to them)
// answers that offer before taking another. What the agent holds is
// read from the table, which the record's workflow writes before it answers an accept; accepts by
// one agent run one at a time in this process, so that each check sees the previous accept's result.
import type { CallbackRecord } from '../domain/record.js';
import { getParameters, type Queue } from '../db/configuration.js';
import { findRecord, offeredInQueue, recordHeldBy } from '../db/records.js';
import { findPresence, offeredTo } from '../db/presence.js';
import type { ServiceDeps } from './deps.js';
import { problem, ProblemError } from './problem.js';
import { acceptRecord } from './record-messages.js';

/** Candidates tried per request: enough to get past records other agents win meanwhile. */
const CANDIDATES = 20;

const turns = new Map<string, Promise<unknown>>();

async function oneAtATime<T>(agentId: string, work: () => Promise<T>): Promise<T> {
  const mine = (turns.get(agentId) ?? Promise.resolve()).then(work, work);
  const settled = mine.then(
    () => undefined,
    () => undefined,
  );
  turns.set(agentId, settled);
  try {
    return await mine;
  } finally {
    if (turns.get(agentId) === settled) turns.delete(agentId);
  }
}

/**
 * An agent offered one record (pushed to them) answers that offer before taking another, and a
 * record offered to one agent is theirs until the offer ends. The table is the truth of
 * reservations; the record's workflow learns of one a moment later and refuses the same then.
 */
async function notOfferedAnother(deps: ServiceDeps, agentId: string, id: string): Promise<void> {
  const presence = await findPresence(deps.sql, agentId);
  if (presence?.state === 'offered' && presence.recordId && presence.recordId !== id) {
    throw problem('agent-busy', `agent ${agentId} is offered record ${presence.recordId}: accept or refuse it first`, {
      holding: presence.recordId,
    });
  }
  const reservedFor = await offeredTo(deps.sql, id);
  if (reservedFor !== null && reservedFor !== agentId) {
    throw problem('reserved-for-another-agent', `the record is offered to agent ${reservedFor} now`);
  }
}

const busy = (agentId: string, held: CallbackRecord) =>
  problem('agent-busy', `agent ${agentId} holds record ${held.id} until its feedback is given`, { holding: held.id });

/** The agent accepts this record, unless they hold another one. */
export function acceptForAgent(deps: ServiceDeps, id: string, agentId: string, via?: string): Promise<CallbackRecord> {
  return oneAtATime(agentId, async () => {
    // Without a row, the record's workflow answers (not found, or not offered yet).
    const record = await findRecord(deps.sql, id);
    const held = record && (await recordHeldBy(deps.sql, agentId, record.orgArea));
    if (held && held.id !== id) throw busy(agentId, held);
    await notOfferedAnother(deps, agentId, id);
    return acceptRecord(deps, id, agentId, via);
  });
}

/**
 * The record the agent holds in this queue if they hold one (a retried /next gets it back), else
 * the best record the queue offers them, accepted; null when it offers none.
 */
export function takeNext(
  deps: ServiceDeps,
  { name: queue, orgArea }: Queue,
  agentId: string,
  via?: string,
): Promise<CallbackRecord | null> {
  return oneAtATime(agentId, async () => {
    const held = await recordHeldBy(deps.sql, agentId, orgArea);
    if (held) {
      if (held.queue === queue) return held;
      throw busy(agentId, held);
    }
    // A record pushed to the agent is their next one.
    const presence = await findPresence(deps.sql, agentId);
    if (presence?.state === 'offered' && presence.recordId) return acceptRecord(deps, presence.recordId, agentId, via);
    const { waitingListFirst } = await getParameters(deps.sql);
    for (const id of await offeredInQueue(deps.sql, queue, agentId, { waitingListFirst, limit: CANDIDATES })) {
      try {
        return await acceptRecord(deps, id, agentId, via);
      } catch (err) {
        // Another agent won this one, or it left the queue since the read: try the next.
        if (err instanceof ProblemError && err.problem.status === 409) continue;
        throw err;
      }
    }
    return null;
  });
}
