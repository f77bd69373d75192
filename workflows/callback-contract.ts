// The contract of the callback-record workflow: its messages, their payloads, its search
// attributes and error types. The API, the worker and the tests import this; it imports
// nothing from Node. Names here never change once released.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { defineSearchAttributeKey } from '@temporalio/common';
import type { AcceptInput, AdminAction, FeedbackInput, RefuseInput } from '../domain/record-machine.js';
import type { CallbackRecord, CallbackRequest } from '../domain/record.js';
import type { Reservation } from '../domain/presence.js';

// The payloads and rejections belong to the record's state machine, whose checks use them.
export {
  INPUT_REJECTION,
  REJECTION,
  type AcceptInput,
  type AdminAction,
  type FeedbackInput,
  type RecordChanges,
  type RefuseInput,
} from '../domain/record-machine.js';

export const CALLBACK_WORKFLOW = 'callbackRecord';

/** The workflow id is the record's id, so every record is found in the Web UI by its id. */
export const callbackWorkflowId = (recordId: string): string => recordId;

export interface CallbackWorkflowInput {
  request: CallbackRequest;
  /** Carried across continue-as-new: the record as it stood. */
  resumeFrom?: CallbackRecord;
  /** Carried across a continue-as-new while offered: the permit the record holds in its queue. */
  holding?: { queue: string; ticket: number; offerDeadline: number | null; reservation?: Reservation | null };
  /** Tests force continue-as-new early; otherwise the server suggests it. */
  continueAsNewAfterEvents?: number;
}

/**
 * An agent's side of routing reserved this offered record for them (an agent became available and
 * the record was first in their line): the record waits for that agent's answer until `until`.
 */
export const reservedSignal = defineSignal<[Reservation]>('reserved');

export interface DuplicateRequest {
  /** `<channel>:<creator>` of the request that found this record already there. */
  actor: string;
  requestedAt: string | null;
}

export const acceptUpdate = defineUpdate<CallbackRecord, [AcceptInput]>('accept');
export const feedbackUpdate = defineUpdate<CallbackRecord, [FeedbackInput]>('feedback');
export const recordQuery = defineQuery<CallbackRecord>('record');
/** The agent declines an offered record with a reason; its treatment decides where it goes. */
export const refuseUpdate = defineUpdate<CallbackRecord, [RefuseInput]>('refuse');
/** Pause, enable, close, change or delete, answered once the table has the result. */
export const administerUpdate = defineUpdate<CallbackRecord, [AdminAction]>('administer');
/** The customer asked again while this record was active; it goes into the history. */
export const duplicateRequestedSignal = defineSignal<[DuplicateRequest]>('duplicateRequested');

/** Failure types of the record's activities that the workflow handles. */
export const ACTIVITY_FAILURE = {
  /** PostgreSQL refuses a value of the record or its events: retrying the same save cannot succeed. */
  unstorableRecord: 'unstorable-record',
} as const;

/** Registered with the server (dev: at start; production: `npm run temporal:setup`). */
export const SEARCH_ATTRIBUTES = {
  queue: defineSearchAttributeKey('CallbackQueue', 'KEYWORD'),
  status: defineSearchAttributeKey('CallbackStatus', 'KEYWORD'),
  stage: defineSearchAttributeKey('CallbackStage', 'KEYWORD'),
  orgArea: defineSearchAttributeKey('CallbackOrgArea', 'KEYWORD'),
  dueAt: defineSearchAttributeKey('CallbackDueAt', 'DATETIME'),
  priority: defineSearchAttributeKey('CallbackPriority', 'INT'),
};

/**
 * The customer's phone number in clear text, a search attribute before 'phone-not-searchable':
 * runs of that time still carry it (the first release's until they close; later ones remove it at
 * their next change). Registered only where such runs may exist (README, "Customers' data in Temporal").
 */
export const LEGACY_PHONE_ATTRIBUTE = defineSearchAttributeKey('CallbackPhone', 'KEYWORD');
