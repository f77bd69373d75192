// The presence sweep: agents whose desk stopped listening go offline, and offers that nobody tracks
// any more (their record's workflow ended, or a process died between reserving and telling the
// record) are given back a grace period after they ran out; those agents are routed again.
import type { Client } from '@temporalio/client';
import type { Sql } from '../db/connect.js';
import { offerNextRecords, sweepLapsedReservations, sweepSilentAgents } from '../db/presence.js';
import { signalReserved } from '../workflows/callback-client.js';
import { every } from './every.js';
import { log } from '../telemetry/log.js';

/** Past its end, the record's workflow has this long to end an offer itself. */
const LAPSE_GRACE_SECONDS = 30;

export async function sweepPresence(sql: Sql, temporal: Client): Promise<{ offline: string[]; freed: string[] }> {
  const offline = await sweepSilentAgents(sql);
  const freed = await sweepLapsedReservations(sql, LAPSE_GRACE_SECONDS);
  if (freed.length) await offerNextRecords(sql, freed, (recordId, reservation) => signalReserved(temporal, recordId, reservation));
  return { offline, freed };
}

export function sweepPresenceEvery(sql: Sql, temporal: Client, everyMs: number): () => Promise<void> {
  return every(everyMs, 'the presence sweep', async () => {
    const { offline, freed } = await sweepPresence(sql, temporal);
    if (offline.length) log().info({ agents: offline }, 'agents whose desk stopped listening went offline');
    if (freed.length) log().warn({ agents: freed }, 'offers nobody tracked were given back');
  });
}
