// The contract of the callback-record workflow: its messages, their payloads, its search
// attributes and error types. The API, the worker and the tests import this; it imports
// nothing from Node. Names here never change once released.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { defineSearchAttributeKey } from '@temporalio/common';
import type { CallbackRecord, CallbackRequest, FeedbackOutcome } from '../domain/record.js';

export const CALLBACK_WORKFLOW = 'callbackRecord';

/** The workflow id is the record's id, so every record is found in the Web UI by its id. */
export const callbackWorkflowId = (recordId: string): string => recordId;

export interface CallbackWorkflowInput {
  request: CallbackRequest;
  /** Carried across continue-as-new: the record as it stood. */
  resumeFrom?: CallbackRecord;
  /** Carried across a continue-as-new while offered: the permit the record holds in its queue. */
  holding?: { queue: string; ticket: number; offerDeadline: number | null };
  /** Tests force continue-as-new early; otherwise the server suggests it. */
  continueAsNewAfterEvents?: number;
}

export interface AcceptInput {
  agentId: string;
}

export interface FeedbackInput {
  agentId: string;
  /** `agent-client-terminated` is reported by the desktop platform when the agent's client died. */
  outcome: FeedbackOutcome | 'agent-client-terminated';
  /** The customer's new time, for `reestablish-later`. */
  requestedAt?: string;
  /** With `reestablish-later`: the new call goes to this agent's own waiting list. */
  toOwnWaitingList?: boolean;
  comment?: string;
}

export interface RefuseInput {
  agentId: string;
  reason: string;
}

/** What an administrator may change on a record; `null` clears requestedAt (ASAP) or validUntil. */
export interface RecordChanges {
  phone?: string;
  requestedAt?: string | null;
  validUntil?: string | null;
  priority?: number;
  /** A new queue comes with its organisation area, looked up by the API. */
  queue?: { name: string; orgArea: string };
  comment?: string | null;
}

export type AdminAction =
  | { action: 'pause'; actor: string }
  | { action: 'enable'; actor: string }
  | { action: 'close'; actor: string; comment?: string }
  /** The customer withdraws the request (self-service, or a system for them): closes as `cancelled`, never mid-call. */
  | { action: 'cancel'; actor: string }
  | { action: 'change'; actor: string; changes: RecordChanges }
  /** Closes the record as `deleted` and ends its workflow; the API then erases its data. */
  | { action: 'delete'; actor: string };

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

/** Failure types a client can branch on; an update's validator rejects with these. */
export const REJECTION = {
  notOffered: 'not-offered',
  closed: 'record-closed',
  takenByAnother: 'taken-by-another-agent',
  notOnCall: 'agent-not-on-call',
  invalidTime: 'invalid-time',
  /** Offered to another agent's personal waiting list. */
  offeredToAnother: 'offered-to-another-agent',
  alreadyRefused: 'already-refused',
  /** Being dialled or in a call: changes, pauses and deletes wait for the call to end. */
  inCall: 'record-in-call',
  alreadyPaused: 'already-paused',
  notPaused: 'not-paused',
  alreadyClosing: 'already-closing',
} as const;

/** Failure types of a validator that refuses the input itself, whatever the record's state (the API answers 400). */
export const INPUT_REJECTION = {
  /** Text PostgreSQL cannot store: a NUL character or half of a surrogate pair. */
  invalidText: 'invalid-text',
} as const;

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
  phone: defineSearchAttributeKey('CallbackPhone', 'KEYWORD'),
  priority: defineSearchAttributeKey('CallbackPriority', 'INT'),
};
