// The callback record as both the API and the workflows see it. Pure types and constants:
// this file is bundled into workflows, so it imports nothing from Node.

export const CHANNELS = ['ivr', 'web', 'agent', 'admin', 'api'] as const;
export type Channel = (typeof CHANNELS)[number];

/** The statuses administrators know (DOMAIN.md §2). */
export const STATUSES = ['Open', 'Paused', 'Active', 'Closing', 'Closed'] as const;
export type Status = (typeof STATUSES)[number];

/**
 * The finer state behind a status. `waiting`: Open, until its calling time. `due`: Open, waiting
 * for room in its queue (a permit from the queue's gate). `offered`: Active,
 * in its queue for an agent to accept. `accepted`, `dialling`, `connected` (talking, then
 * wrap-up until the agent's feedback): Active. `closed`: Closed.
 */
export const STAGES = ['waiting', 'due', 'offered', 'accepted', 'dialling', 'connected', 'closed'] as const;
export type Stage = (typeof STAGES)[number];

export const STATUS_OF_STAGE: Record<Stage, Status> = {
  waiting: 'Open',
  due: 'Open',
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

export type Outcome = DialOutcome | FeedbackOutcome;

export const CLOSE_REASONS = ['completed', 'too-many-attempts', 'invalid-number', 'expired', 'cancelled'] as const;
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
  'postponed',
  'rescheduled',
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
