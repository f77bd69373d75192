// A change of queue is an admission into the new queue: the same checks as a new record (the
// queue known and taking callbacks, the area's and the queue's limits), made by the same functions
// under the same area lock. The record's row changes only when its workflow saves the move, after
// that transaction, so a reservation holds the new place, and admission counts it, meanwhile.
import { releaseMoveReservation, renewMoveReservation, reserveMove, MOVE_RESERVATION_SECONDS } from '../db/admission.js';
import { findRecord } from '../db/records.js';
import type { CallbackRecord } from '../domain/record.js';
import type { AdminAction } from '../workflows/callback-contract.js';
import { lockPlace, requireRoom } from './admission.js';
import type { ServiceDeps } from './deps.js';
import { ProblemError } from './problem.js';
import { administerRecord } from './record-messages.js';
import { log } from '../telemetry/log.js';

type Change = Extract<AdminAction, { action: 'change' }>;

const RENEW_EVERY_MS = (MOVE_RESERVATION_SECONDS * 1000) / 3;

/**
 * Sends the change to the record's workflow; a new queue is admitted first. The database's
 * transaction ends before the workflow is asked: its save activity writes the same tables, and the
 * embedded database has a single connection that it would wait for.
 */
export async function changeRecord(deps: ServiceDeps, id: string, change: Change): Promise<CallbackRecord> {
  const target = change.changes.queue;
  if (!target) return administerRecord(deps, id, change);
  const { sql } = deps;
  const held = await sql.begin(async (tx) => {
    const record = await findRecord(tx, id);
    // Nothing enters a queue: the workflow answers for an unknown or closed record, or one staying where it is.
    if (!record || record.status === 'Closed' || record.queue === target.name) return null;
    const place = await lockPlace(tx, target.name);
    await requireRoom(tx, place, id);
    const queue = { name: place.queue.name, orgArea: place.area.id };
    return { queue, reservation: await reserveMove(tx, { recordId: id, queue: queue.name, orgArea: queue.orgArea }) };
  });
  if (!held) return administerRecord(deps, id, change);

  // The workflow may take long to answer (a worker restarting): the place stays held while we wait.
  const renewal = setInterval(() => {
    renewMoveReservation(sql, held.reservation).catch((err) =>
      log().error({ recordId: id, err }, 'could not renew the move of the record'),
    );
  }, RENEW_EVERY_MS);
  // Once the workflow has answered, the answer stands: a reservation that cannot be given up
  // holds its place only until it expires, and is no reason to answer otherwise.
  const release = () =>
    releaseMoveReservation(sql, held.reservation).catch((err) =>
      log().error({ recordId: id, err }, 'the move of the record holds its place until its reservation expires'),
    );
  try {
    const record = await administerRecord(deps, id, { ...change, changes: { ...change.changes, queue: held.queue } });
    await release();
    return record;
  } catch (err) {
    // A refusal (4xx) is final and frees the place. Any other failure (Temporal unreachable, too
    // slow) leaves the outcome unknown: the update may still reach the workflow, so the place stays
    // held until the reservation expires.
    if (err instanceof ProblemError && err.problem.status < 500) await release();
    throw err;
  } finally {
    clearInterval(renewal);
  }
}
