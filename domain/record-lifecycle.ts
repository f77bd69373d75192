// How a record begins: shared by the API (its first write) and the workflow (its first state),
// so that both write the same row and the same `requested` event.
import { newRequest, type CallbackRecord, type CallbackRequest, type HistoryEvent } from './record.js';

export function initialRecord(request: CallbackRequest): CallbackRecord {
  const dueAt = request.requestedAt ?? request.createdAt;
  return {
    ...request,
    status: 'Open',
    stage: 'waiting',
    dueAt,
    rankAt: dueAt,
    attempts: 0,
    outcomeCounts: {},
    latestOutcome: null,
    latestAgent: null,
    latestCallAt: null,
    agentId: null,
    waitingListOf: request.waitingListOf ?? null,
    refusedBy: [],
    closeRequest: null,
    copiedFrom: request.copiedFrom ?? null,
    closeReason: null,
    closedAt: null,
    version: 1,
  };
}

export function requestedEvent(request: CallbackRequest): HistoryEvent {
  return {
    seq: 1,
    at: request.createdAt,
    type: 'requested',
    actor: `${request.channel}:${request.createdBy}`,
    detail: {
      requestedAt: request.requestedAt,
      queue: request.queue,
      ...(request.waitingListOf ? { waitingListOf: request.waitingListOf } : {}),
      ...(request.copiedFrom ? { copiedFrom: request.copiedFrom } : {}),
    },
  };
}

/** The record a run continues from: one continued from the first release lacks the fields it did not know. */
export function resumedRecord(resumeFrom: CallbackRecord): CallbackRecord {
  const fieldsSinceV1: Partial<CallbackRecord> = { waitingListOf: null, refusedBy: [], closeRequest: null, copiedFrom: null };
  return { ...fieldsSinceV1, ...resumeFrom };
}

/** The request a record began as: what its workflow is started with. */
export function requestOf(record: CallbackRecord): CallbackRequest {
  return { ...newRequest(record), orgArea: record.orgArea };
}
