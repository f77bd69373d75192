// The callback record as both the API and the workflows see it. Pure types and constants:
// this file is bundled into workflows, so it imports nothing from Node.

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

/** The agent's wrap-up feedback after a connected call. */
export const FEEDBACK_OUTCOMES = ['completed', 'reestablish-later', 'customer-not-reached'] as const;
export type FeedbackOutcome = (typeof FEEDBACK_OUTCOMES)[number];

/**
 * Outcomes the system reports. `agent-client-terminated`: the agent's client died during the call
 * (reported by the desktop platform in place of feedback). `lost-during-routing`: an offer no agent
 * took within the queue's offer timeout. `expired`: validUntil passed.
 */
export const SYSTEM_OUTCOMES = ['agent-client-terminated', 'lost-during-routing', 'expired'] as const;
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

/** What the API decided when the record was requested; the workflow's input. */
export interface CallbackRequest {
  id: string;
  phone: string;
  queue: string;
  orgArea: string;
  channel: Channel;
  createdBy: string;
  taskType: string | null;
  /** The instant the customer chose, or null for as soon as possible. */
  requestedAt: string | null;
  validUntil: string | null;
  /** 1 is the most urgent, 9 the least; 5 when not given. */
  priority: number;
  customerId: string | null;
  ani: string | null;
  comment: string | null;
  language: string | null;
  contactData: Record<string, string>;
  createdAt: string;
  /** The agent whose personal waiting list the record is for; absent or null: the whole queue. */
  waitingListOf?: string | null;
  /** The record this one was copied from, by an administrator. */
  copiedFrom?: string | null;
}

/** The record's live state: the request plus everything that happened to it since. */
export interface CallbackRecord extends CallbackRequest {
  status: Status;
  stage: Stage;
  /** When it is next to be called. */
  dueAt: string;
  /** Its place in line: the first due time, kept across retries so that a retry keeps its place. */
  rankAt: string;
  attempts: number;
  outcomeCounts: Partial<Record<Outcome, number>>;
  latestOutcome: Outcome | null;
  latestAgent: string | null;
  latestCallAt: string | null;
  /** The agent who holds the record now (accepted, dialling, connected). */
  agentId: string | null;
  /** Only this agent is offered the record (a personal waiting list) until the offer times out. */
  waitingListOf: string | null;
  /** Agents who refused the record since it was last offered; they are not offered it again then. */
  refusedBy: string[];
  /** An administrator closed it during a call: it is `Closing` and closes when the call ends. */
  closeRequest: { actor: string; at: string } | null;
  closeReason: CloseReason | null;
  closedAt: string | null;
  /** Events so far; the row in PostgreSQL carries the same number once it has caught up. */
  version: number;
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

export interface HistoryEvent {
  seq: number;
  at: string;
  type: HistoryEventType;
  /** `system`, `agent:<id>`, or the channel and creator of a request. */
  actor: string;
  detail: Record<string, unknown>;
}
