// Routing's side of the activities: a record that passes its gate asks for an agent, and lets go
// of an offer that ran out or that it no longer needs; an agent freed by either (or by a record
// leaving them, see saveRecord) is offered their next record at once.
import type { Client } from '@temporalio/client';
import type { Sql } from '../db/connect.js';
import { endReservation, offerNextRecords, reserveForRecord, type RecordToRoute, type ReserveResult } from '../db/presence.js';
import { signalReserved } from '../workflows/callback-client.js';
import { log } from '../telemetry/log.js';

export function createRoutingActivities({ sql, temporal }: { sql: Sql; temporal: Client }) {
  /** Agents now available get their next record; a failure here leaves them available (records look again). */
  async function offerNext(agentIds: readonly string[]): Promise<void> {
    if (agentIds.length === 0) return;
    try {
      await offerNextRecords(sql, agentIds, (recordId, reservation) => signalReserved(temporal, recordId, reservation));
    } catch (err) {
      log().warn({ err, agentIds }, 'routing the next records to agents now available failed; the records look again');
    }
  }

  return {
    offerNext,

    /** The record's reservation: the one it has, or one made now; `none` (nobody available) or `pull` (no directory agents). */
    async reserveAgent(record: RecordToRoute): Promise<ReserveResult> {
      return reserveForRecord(sql, record);
    },

    /** Ends the agent's offer of the record, if still an offer; an agent available again is offered their next record. */
    async endReservation(input: { recordId: string; agentId: string; unanswered: boolean }): Promise<void> {
      if (await endReservation(sql, input)) await offerNext([input.agentId]);
    },
  };
}
