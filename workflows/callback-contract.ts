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
}

export interface AcceptInput {
  agentId: string;
}

export interface FeedbackInput {
  agentId: string;
  outcome: FeedbackOutcome;
  /** The customer's new time, for `reestablish-later`. */
  requestedAt?: string;
  comment?: string;
}

export interface DuplicateRequest {
  /** `<channel>:<creator>` of the request that found this record already there. */
  actor: string;
  requestedAt: string | null;
}

export const acceptUpdate = defineUpdate<CallbackRecord, [AcceptInput]>('accept');
export const feedbackUpdate = defineUpdate<CallbackRecord, [FeedbackInput]>('feedback');
export const recordQuery = defineQuery<CallbackRecord>('record');
/** The customer asked again while this record was active; it goes into the history. */
export const duplicateRequestedSignal = defineSignal<[DuplicateRequest]>('duplicateRequested');

/** Failure types a client can branch on; an update's validator rejects with these. */
export const REJECTION = {
  notOffered: 'not-offered',
  closed: 'record-closed',
  takenByAnother: 'taken-by-another-agent',
  notOnCall: 'agent-not-on-call',
  invalidTime: 'invalid-time',
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
