// Turns a valid request into a record, or refuses it with a reason the IVR or web page can act
// on: service disabled, unknown or closed queue, limit reached; or answers with the record the
// customer already has. Everything is decided in one transaction that holds the area's row, so
// limits and duplicate checks hold exactly under concurrent requests; the record's workflow
// starts once that transaction has committed. With an Idempotency-Key, the route's response is
// made in that transaction too and kept as its bytes: a retry gets exactly the first answer.
import { createHash } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type postgres from 'postgres';
import { findOrgArea, findQueue, getParameters, type OrgArea, type Queue } from '../db/configuration.js';
import { claimIdempotencyKey, countActive, findActiveDuplicate, storeIdempotentResponse, type StoredResponse } from '../db/admission.js';
import { findRecord, insertRecord } from '../db/records.js';
import type { CallbackRecord, CallbackRequest } from '../domain/record.js';
import { initialRecord, requestedEvent, requestOf } from '../domain/record-lifecycle.js';
import { signalDuplicateRequest, startCallbackWorkflow } from '../workflows/callback-client.js';
import type { ServiceDeps } from './deps.js';
import { problem, ProblemError } from './problem.js';
import { log } from '../telemetry/log.js';

/** The request as the client sent it, before ids and times are given, for idempotency. */
export function requestHash(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}

/**
 * Runs in the admission's transaction right after the record's insert, once every other check has
 * passed: a booking takes its slot's place here (services/bookings.ts), so that the record and its place
 * are one decision. Throwing refuses the request and nothing is kept.
 */
export type AfterInsert = (tx: postgres.TransactionSql, record: CallbackRecord) => Promise<void>;

export interface Place {
  queue: Queue;
  area: OrgArea;
}

/**
 * The queue a record may enter (a new one, or one moved there), with its area's row locked until
 * the transaction ends: every creation and move into the area waits here for the one before it,
 * so that counts taken after this are exact.
 */
export async function lockPlace(tx: postgres.TransactionSql, queueName: string): Promise<Place> {
  const queue = await findQueue(tx, queueName);
  if (!queue) {
    throw problem('unknown-queue', `no queue ${queueName}`, { errors: [{ path: 'queue', message: 'unknown queue' }] });
  }
  if (!queue.acceptsCallbacks) {
    throw problem('queue-not-accepting-callbacks', `queue ${queue.name} does not take callbacks now`, { queue: queue.name });
  }
  const area = (await findOrgArea(tx, queue.orgArea, { lock: true }))!;
  return { queue, area };
}

/** Refuses when the area or the queue has no free place; `except` is a record that already has one there. */
export async function requireRoom(tx: postgres.TransactionSql, { queue, area }: Place, except?: string): Promise<void> {
  if (area.maxActiveRecords !== null && (await countActive(tx, { orgArea: area.id }, { except })) >= area.maxActiveRecords) {
    throw problem('limit-reached', `organisation area ${area.id} has its maximum of active callbacks`, {
      scope: 'org-area',
      orgArea: area.id,
      limit: area.maxActiveRecords,
    });
  }
  if (queue.maxActiveRecords !== null && (await countActive(tx, { queue: queue.name }, { except })) >= queue.maxActiveRecords) {
    throw problem('limit-reached', `queue ${queue.name} has its maximum of active callbacks`, {
      scope: 'queue',
      queue: queue.name,
      limit: queue.maxActiveRecords,
    });
  }
}

/** What the admission decided: a new record, or the customer's active one. */
export interface Admitted {
  kind: 'created' | 'duplicate';
  record: CallbackRecord;
}

/** The response a route makes of an admission; runs in the admission's transaction. */
export type Respond = (admitted: Admitted) => Response | Promise<Response>;

/** Admits the request, for a route that takes no Idempotency-Key and answers in its own way. */
export function admit(deps: ServiceDeps, request: Omit<CallbackRequest, 'orgArea'>): Promise<Admitted> {
  return decide(deps, request, async (admitted) => admitted);
}

/**
 * Admits the request and makes the route's response of it; with `idempotency`, a retry with the
 * same key gets these same bytes back, whatever has happened since.
 */
export function admitAndRespond(
  deps: ServiceDeps,
  request: Omit<CallbackRequest, 'orgArea'>,
  respond: Respond,
  { idempotency, afterInsert }: { idempotency?: { key: string; hash: string }; afterInsert?: AfterInsert } = {},
): Promise<StoredResponse> {
  const bytes = async (admitted: Admitted) => storable(await respond(admitted));
  return decide(deps, request, bytes, idempotency, afterInsert);
}

async function storable(response: Response): Promise<StoredResponse> {
  const headers: Record<string, string> = {};
  for (const name of ['content-type', 'location']) {
    const value = response.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  return { status: response.status, headers, body: await response.text() };
}

async function decide<R>(
  { sql, temporal, taskQueue, waits, metrics }: ServiceDeps,
  request: Omit<CallbackRequest, 'orgArea'>,
  respond: (admitted: Admitted) => Promise<R>,
  // Only where R is a StoredResponse (admitAndRespond).
  idempotency?: { key: string; hash: string },
  afterInsert?: AfterInsert,
): Promise<R> {
  let created: CallbackRequest | null = null;
  const answer = async (tx: postgres.TransactionSql, admitted: Admitted): Promise<R> => {
    const response = await respond(admitted);
    if (idempotency) await storeIdempotentResponse(tx, idempotency.key, admitted.record.id, response as StoredResponse);
    return response;
  };
  const response = await sql.begin(async (tx): Promise<R> => {
    if (idempotency) {
      const prior = await claimIdempotencyKey(tx, idempotency.key, idempotency.hash);
      if (prior && 'conflict' in prior) {
        throw problem('idempotency-key-reused', 'this Idempotency-Key was used for a different request');
      }
      // Kept before answers were kept as bytes: answered anew from the same admission, and kept so.
      if (prior && 'admission' in prior) {
        const { duplicate: _, ...record } = prior.admission as CallbackRecord & { duplicate?: boolean };
        return answer(tx, { kind: prior.status === 201 ? 'created' : 'duplicate', record });
      }
      if (prior) return prior as R;
    }

    const params = await getParameters(tx);
    if (!params.enableCallbackService) throw problem('callback-service-disabled', 'the callback service is not taking requests now');
    const { queue, area } = await lockPlace(tx, request.queue);

    if (area.duplicatePolicy !== 'allow') {
      const sameTask = area.duplicatePolicy === 'avoid-same-task-type' ? { value: request.taskType } : undefined;
      const duplicate = await findActiveDuplicate(tx, area.id, request.phone, sameTask);
      const existing = duplicate && (await findRecord(tx, duplicate));
      if (existing) {
        try {
          // With-start: the record may be committed but its workflow not yet started. Bounded, as
          // the area's row is locked meanwhile; out of time, the request is refused (503) and
          // nothing of it is kept.
          await waits.within(() =>
            signalDuplicateRequest(temporal, taskQueue, requestOf(existing), {
              actor: `${request.channel}:${request.createdBy}`,
              requestedAt: request.requestedAt,
            }),
          );
          return answer(tx, { kind: 'duplicate', record: existing });
        } catch (err) {
          // Its workflow has closed since the row was read: this request is no duplicate after all.
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        }
      }
    }

    await requireRoom(tx, { queue, area });

    // Without a validUntil of its own, a record is valid defaultValidityHours after its calling time.
    const validUntil =
      request.validUntil ??
      (params.defaultValidityHours === null
        ? null
        : new Date(Date.parse(request.requestedAt ?? request.createdAt) + params.defaultValidityHours * 3_600_000).toISOString());
    const full: CallbackRequest = { ...request, orgArea: area.id, validUntil };
    const record = initialRecord(full);
    await insertRecord(tx, record, requestedEvent(full));
    await afterInsert?.(tx, record);
    created = full;
    return answer(tx, { kind: 'created', record });
  });

  // Started after the commit, so that the area's lock is held only for the database's work. The
  // record is safe from here: if this start fails or Temporal does not answer in time, a worker's
  // sweep starts it (worker/unstarted-records.ts), and the request is answered as created: it is.
  if (created) {
    const saved: CallbackRequest = created;
    metrics?.created.inc({ channel: saved.channel });
    try {
      await waits.within(() => startCallbackWorkflow(temporal, taskQueue, saved));
    } catch (err) {
      log().error(
        { recordId: saved.id, queue: saved.queue, err: err instanceof ProblemError ? err.message : err },
        'record saved; its workflow will be started by the sweep',
      );
    }
  }
  return response as R;
}
