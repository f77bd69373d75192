// The callback record as both the API and the workflows see it. Pure types and constants:
// this file is bundled into workflows, so it imports nothing from Node, and takes the record's
// types from its schema (domain/record-schema.ts) as types only.

import type { CallbackRequest } from './record-schema.js';

export type { CallbackRecord, CallbackRequest, HistoryEvent } from './record-schema.js';

export const CHANNELS = ['ivr', 'web', 'agent', 'admin', 'api'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * What an administrator sees of a record: Open until it is offered (waiting for its time, then for
 * room in its queue), Paused, Active while offered or in a call, Closing when closed during a call,
 * Closed. Its stage says where exactly it is.
 */
export const STATUSES = ['Open', 'Paused', 'Active', 'Closing', 'Closed'] as const;
export type Status = (typeof STATUSES)[number];

/**
 * The finer state behind a status. `waiting`: Open, until its calling time. `due`: Open, waiting
 * for room in its queue (a permit from the queue's gate). `offered`: Active,
 * in its queue for an agent to accept. `accepted`, `dialling`, `connected` (talking, then
 * wrap-up until the agent's feedback): Active. `closed`: Closed.
 */
export const STAGES = ['waiting', 'due', 'paused', 'offered', 'accepted', 'dialling', 'connected', 'closed'] as const;
export type Stage = (typeof STAGES)[number];

/** Stages in which an agent holds the record for a call: no change, pause or delete then. */
export const CALL_STAGES: readonly Stage[] = ['accepted', 'dialling', 'connected'];

/** A record in a call that an administrator has closed shows `Closing` until the call ends. */
export const STATUS_OF_STAGE: Record<Stage, Status> = {
  waiting: 'Open',
  due: 'Open',
  paused: 'Paused',
  offered: 'Active',
  accepted: 'Active',
  dialling: 'Active',
  connected: 'Active',
  closed: 'Closed',
};

/** What the dialler reports for one attempt. */
export const DIAL_OUTCOMES = [
  'answered',
  'busy',
  'no-answer',
  'answering-machine',
  'fax-modem',
  'invalid-number',
  'telephony-error',
] as const;
export type DialOutcome = (typeof DIAL_OUTCOMES)[number];

/**
 * What a dial activity reports: an outcome of the customer's leg, or `agent-not-reached` (the
 * agent's leg, called first, was never answered), with what the dialler says of it (a refused
 * number's reason, the provider's status). Releases before real telephony reported the bare outcome.
 */
export interface DialResult {
  outcome: DialOutcome | 'agent-not-reached';
  detail?: Record<string, string | number | boolean>;
}

/** The agent's wrap-up feedback after a connected call. */
export const FEEDBACK_OUTCOMES = ['completed', 'reestablish-later', 'customer-not-reached'] as const;
export type FeedbackOutcome = (typeof FEEDBACK_OUTCOMES)[number];

/**
 * Outcomes the system reports. `agent-client-terminated`: the agent's client died during the call
 * (reported by the desktop platform in place of feedback). `lost-during-routing`: an offer no agent
 * took within the queue's offer timeout. `expired`: validUntil passed. `agent-not-reached`: the
 * dialler called the agent first and the agent's leg never answered: the customer was not called,
 * the dial is not an attempt, and the record goes back to its queue.
 */
export const SYSTEM_OUTCOMES = ['agent-client-terminated', 'lost-during-routing', 'expired', 'agent-not-reached'] as const;
export type SystemOutcome = (typeof SYSTEM_OUTCOMES)[number];

/** Every outcome a record counts: the dialler's, the agent's (`refused` before a call, feedback after one) and the system's. */
export const OUTCOMES = [...DIAL_OUTCOMES, 'refused', ...FEEDBACK_OUTCOMES, ...SYSTEM_OUTCOMES] as const;
export type Outcome = (typeof OUTCOMES)[number];

/**
 * Outcomes whose treatment an administrator sets: Close, or Postpone by N minutes. The others are
 * fixed: `answered` connects the agent, `completed` and `expired` close, `reestablish-later` takes
 * the customer's new time.
 */
export const TREATABLE_OUTCOMES = [
  'busy',
  'no-answer',
  'answering-machine',
  'fax-modem',
  'invalid-number',
  'telephony-error',
  'refused',
  'customer-not-reached',
  'agent-client-terminated',
  'lost-during-routing',
] as const satisfies readonly Outcome[];
export type TreatableOutcome = (typeof TREATABLE_OUTCOMES)[number];

/**
 * Why a record closed. A treatable outcome's name: its treatment is Close. `too-many-attempts`:
 * the treatment's limit of attempts in total; `outcome-limit-reached`: its threshold for one outcome.
 * `expired` is "End contact - Automatic"; `cancelled`: its workflow was cancelled in Temporal.
 */
export const CLOSE_REASONS = [
  'completed',
  'expired',
  'too-many-attempts',
  'outcome-limit-reached',
  'closed-by-administrator',
  'deleted',
  'cancelled',
  ...TREATABLE_OUTCOMES,
] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

/** A request as admission takes it: its organisation area comes from its queue. */
export type NewRequest = Omit<CallbackRequest, 'orgArea'>;
type Given = Pick<NewRequest, 'id' | 'phone' | 'queue' | 'channel' | 'createdBy' | 'createdAt'>;
type Left = Omit<NewRequest, keyof Given>;

/**
 * A request whose fields not given are empty: null, no contact data, the whole queue, priority 5.
 * Only the request's own fields are taken, so a caller may pass a wider object (a request body).
 */
export function newRequest(given: Given & { [K in keyof Left]?: Left[K] | undefined }): NewRequest {
  return {
    id: given.id,
    phone: given.phone,
    queue: given.queue,
    channel: given.channel,
    createdBy: given.createdBy,
    taskType: given.taskType ?? null,
    requestedAt: given.requestedAt ?? null,
    validUntil: given.validUntil ?? null,
    priority: given.priority ?? 5,
    customerId: given.customerId ?? null,
    ani: given.ani ?? null,
    comment: given.comment ?? null,
    language: given.language ?? null,
    contactData: given.contactData ?? {},
    createdAt: given.createdAt,
    waitingListOf: given.waitingListOf ?? null,
    ...(given.copiedFrom === undefined ? {} : { copiedFrom: given.copiedFrom }),
  };
}

export const HISTORY_EVENT_TYPES = [
  'requested',
  'duplicate-requested',
  'scheduled',
  'due',
  'offered',
  'accepted',
  'dialling',
  'dialled',
  'feedback',
  /** No feedback within the queue's wrap-up limit: counted as agent-client-terminated. */
  'wrap-up-timeout',
  'refused',
  'offer-timeout',
  'postponed',
  'rescheduled',
  'paused',
  'enabled',
  'changed',
  'closing',
  'closed',
] as const;
export type HistoryEventType = (typeof HISTORY_EVENT_TYPES)[number];
