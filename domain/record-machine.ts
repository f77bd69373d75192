// The callback record as a state machine: each transition and each check of a message is a pure
// function over the record. A transition returns the new record and its effects (the events to
// save, the search attributes to set); a check returns a rejection or null. The workflow
// (workflows/callback.ts) keeps Temporal's part: handlers, waits, activities, continue-as-new.
import { timeFault, type TimeFault } from './record-timing.js';
import {
  CALL_STAGES,
  STATUS_OF_STAGE,
  type CallbackRecord,
  type CloseReason,
  type FeedbackOutcome,
  type HistoryEvent,
  type HistoryEventType,
  type Outcome,
} from './record.js';
import { findUnstorableText } from './text.js';
import { decide, type CountedOutcome, type Decision, type Treatment } from './treatment.js';

/**
 * Who acted on the agent's behalf, when not the agent: `integration:<key>` (a system key acting for
 * a named agent) or `person:<id>` (an administrator). The history then shows both, `<via>/agent:<id>`.
 */
interface OnBehalf {
  via?: string;
}

export interface AcceptInput extends OnBehalf {
  agentId: string;
}

export interface FeedbackInput extends OnBehalf {
  agentId: string;
  /** `agent-client-terminated` is reported by the desktop platform when the agent's client died. */
  outcome: FeedbackOutcome | 'agent-client-terminated';
  /** The customer's new time, for `reestablish-later`. */
  requestedAt?: string;
  /** With `reestablish-later`: the new call goes to this agent's own waiting list. */
  toOwnWaitingList?: boolean;
  comment?: string;
}

export interface RefuseInput extends OnBehalf {
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

/** Failure types a client can branch on; an update's validator rejects with these. */
export const REJECTION = {
  notOffered: 'not-offered',
  closed: 'record-closed',
  takenByAnother: 'taken-by-another-agent',
  notOnCall: 'agent-not-on-call',
  invalidTime: 'invalid-time',
  /** Offered to another agent's personal waiting list. */
  offeredToAnother: 'offered-to-another-agent',
  /** Pushed to another agent, whose answer it waits for. */
  reservedForAnother: 'reserved-for-another-agent',
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

export type RejectionType = (typeof REJECTION)[keyof typeof REJECTION] | (typeof INPUT_REJECTION)[keyof typeof INPUT_REJECTION];

export interface Rejection {
  kind: 'rejected';
  type: RejectionType;
  message: string;
}

/**
 * What Temporal and the table are told after a transition, in order: an event to save with the
 * search attributes the record had when it happened, or the record's descriptive search attributes.
 */
export type Effect =
  | { kind: 'event'; event: HistoryEvent; searchable: Pick<CallbackRecord, 'status' | 'stage' | 'dueAt'> }
  | { kind: 'described'; searchable: Pick<CallbackRecord, 'queue' | 'orgArea' | 'phone' | 'priority'> };

export interface Step {
  record: CallbackRecord;
  effects: Effect[];
  /** The record stays offered in its place after a decision: its offer starts again. */
  freshOffer?: true;
}

const MINUTE = 60_000;

const rejected = (type: RejectionType, message: string): Rejection => ({ kind: 'rejected', type, message });

const inCall = (record: Pick<CallbackRecord, 'stage'>): boolean => CALL_STAGES.includes(record.stage);

/** Milliseconds until the record expires; Infinity when it is valid for ever. */
export const timeLeft = (record: Pick<CallbackRecord, 'validUntil'>, now: number): number =>
  record.validUntil ? Date.parse(record.validUntil) - now : Infinity;

/**
 * The dialler dedups by call id: one per attempt. A dial whose agent was not reached is not an
 * attempt, so the next dial has the same attempt number: the count of such dials tells them apart.
 */
export const callIdOf = (record: Pick<CallbackRecord, 'id' | 'attempts' | 'outcomeCounts'>): string => {
  const missed = record.outcomeCounts['agent-not-reached'] ?? 0;
  return `${record.id}:${record.attempts}${missed > 0 ? `.${missed}` : ''}`;
};

/** The agent holds the record already: accepting again answers with it as it is. */
export const isHeldBy = (record: CallbackRecord, agentId: string): boolean => record.agentId === agentId && record.stage !== 'offered';

/** A transition in the making: a copy of the record to change, and the effects so far. */
interface Draft {
  record: CallbackRecord;
  effects: Effect[];
  now: number;
  freshOffer?: true;
}

function draft(record: CallbackRecord, now: number): Draft {
  return { record: { ...record, outcomeCounts: { ...record.outcomeCounts }, refusedBy: [...record.refusedBy] }, effects: [], now };
}

const done = ({ record, effects, freshOffer }: Draft): Step => (freshOffer ? { record, effects, freshOffer } : { record, effects });

const iso = (ms: number) => new Date(ms).toISOString();

function emit(d: Draft, type: HistoryEventType, actor: string, detail: Record<string, unknown> = {}): void {
  const r = d.record;
  r.status = r.closeRequest && inCall(r) ? 'Closing' : STATUS_OF_STAGE[r.stage];
  r.version += 1;
  d.effects.push({
    kind: 'event',
    event: { seq: r.version, at: iso(d.now), type, actor, detail },
    searchable: { status: r.status, stage: r.stage, dueAt: r.dueAt },
  });
}

function describe(d: Draft): void {
  const { queue, orgArea, phone, priority } = d.record;
  d.effects.push({ kind: 'described', searchable: { queue, orgArea, phone, priority } });
}

function close(d: Draft, reason: CloseReason, actor = 'system', detail: Record<string, unknown> = {}): void {
  d.record.stage = 'closed';
  d.record.closeReason = reason;
  d.record.closedAt = iso(d.now);
  d.record.agentId = null;
  emit(d, 'closed', actor, { reason, ...detail });
}

function count(d: Draft, outcome: Outcome): void {
  d.record.latestOutcome = outcome;
  d.record.outcomeCounts[outcome] = (d.record.outcomeCounts[outcome] ?? 0) + 1;
}

/** validUntil has passed: "End contact - Automatic". */
function expire(d: Draft): void {
  count(d, 'expired');
  close(d, 'expired');
}

/** Puts a due or offered record back to waiting: it leaves its queue and comes back when due. */
function backToWaiting(d: Draft): void {
  if (d.record.stage === 'due' || d.record.stage === 'offered') d.record.stage = 'waiting';
}

function apply(d: Draft, decision: Decision, outcome: Outcome): void {
  if (decision.action === 'close') {
    return close(d, decision.reason, 'system', { outcome, ...(decision.threshold ? { threshold: decision.threshold } : {}) });
  }
  if (decision.action === 'reschedule') throw new Error(`no reschedule for ${outcome}`);
  if (d.record.stage === 'offered' && decision.delayMinutes === 0) {
    d.freshOffer = true; // stays in the queue, in its place
    return;
  }
  const dueAt = iso(d.now + decision.delayMinutes * MINUTE);
  if (d.record.validUntil && dueAt > d.record.validUntil) return expire(d);
  d.record.stage = 'waiting';
  d.record.agentId = null;
  d.record.dueAt = dueAt; // rankAt stays: a retry keeps its place in line
  emit(d, 'postponed', 'system', { outcome, delayMinutes: decision.delayMinutes, dueAt });
}

/** Its first step, after `requested`: waiting until its calling time. */
export function scheduled(record: CallbackRecord, now: number): Step {
  const d = draft(record, now);
  emit(d, 'scheduled', 'system', { dueAt: record.dueAt, waitingListOf: record.waitingListOf });
  return done(d);
}

export function duplicateRequested(
  record: CallbackRecord,
  { actor, requestedAt }: { actor: string; requestedAt: string | null },
  now: number,
): Step {
  const d = draft(record, now);
  emit(d, 'duplicate-requested', actor, { requestedAt });
  return done(d);
}

export function expired(record: CallbackRecord, now: number): Step {
  const d = draft(record, now);
  expire(d);
  return done(d);
}

/** Its workflow was cancelled (an operator, or a parent). */
export function cancelled(record: CallbackRecord, now: number): Step {
  const d = draft(record, now);
  close(d, 'cancelled');
  return done(d);
}

/** Its calling time came: it waits for room in its queue. */
export function becameDue(record: CallbackRecord, now: number): Step {
  const d = draft(record, now);
  d.record.stage = 'due';
  emit(d, 'due', 'system', { queue: record.queue });
  return done(d);
}

/** Its queue's gate let it in: agents see it. */
export function offered(record: CallbackRecord, now: number): Step {
  const d = draft(record, now);
  d.record.stage = 'offered';
  d.record.refusedBy = [];
  emit(d, 'offered', 'system', { queue: record.queue, waitingListOf: record.waitingListOf });
  return done(d);
}

/** Nobody took it from the agent's waiting list in time: it goes to the whole queue. */
export function offeredToQueue(record: CallbackRecord, now: number): Step {
  const d = draft(record, now);
  emit(d, 'offer-timeout', 'system', { waitingListOf: record.waitingListOf, to: 'queue' });
  d.record.waitingListOf = null;
  d.freshOffer = true;
  return done(d);
}

/** Nobody took it from the queue within the offer timeout: its treatment decides. */
export function lostDuringRouting(record: CallbackRecord, treatment: Treatment, now: number): Step {
  const d = draft(record, now);
  count(d, 'lost-during-routing');
  d.record.refusedBy = [];
  const decision = decide('lost-during-routing', d.record, treatment);
  emit(d, 'offer-timeout', 'system', { outcome: 'lost-during-routing', decision });
  apply(d, decision, 'lost-during-routing');
  return done(d);
}

/** The history's actor for what an agent did: `agent:<id>`, or `<via>/agent:<id>` when someone acted for them. */
export const agentActor = ({ agentId, via }: { agentId: string } & OnBehalf): string =>
  via ? `${via}/agent:${agentId}` : `agent:${agentId}`;

export function accepted(record: CallbackRecord, agentId: string, now: number, via?: string): Step {
  const d = draft(record, now);
  d.record.stage = 'accepted';
  d.record.agentId = agentId;
  d.record.latestAgent = agentId;
  emit(d, 'accepted', agentActor({ agentId, via }));
  return done(d);
}

export function refused(record: CallbackRecord, refusal: RefuseInput, treatment: Treatment, now: number): Step {
  const d = draft(record, now);
  const actor = agentActor(refusal);
  count(d, 'refused');
  if (record.stage !== 'offered') {
    // Taken by another agent, or changed by an administrator, meanwhile: nothing to decide.
    emit(d, 'refused', actor, { reason: refusal.reason });
    return done(d);
  }
  d.record.refusedBy.push(refusal.agentId);
  // The agent whose waiting list it is on declines it: it goes to the whole queue.
  const toQueue = record.waitingListOf === refusal.agentId;
  if (toQueue) d.record.waitingListOf = null;
  const decision = decide('refused', d.record, treatment);
  emit(d, 'refused', actor, { reason: refusal.reason, decision, ...(toQueue ? { to: 'queue' } : {}) });
  apply(d, decision, 'refused');
  return done(d);
}

/** The agent starts the call: a new attempt. */
export function dialling(record: CallbackRecord, now: number): Step {
  const d = draft(record, now);
  d.record.attempts += 1;
  d.record.stage = 'dialling';
  d.record.latestCallAt = iso(now);
  emit(d, 'dialling', `agent:${record.agentId}`, { attempt: d.record.attempts, callId: callIdOf(d.record) });
  return done(d);
}

/** The dialler's outcome: connected when answered; any other outcome goes to `decided`. */
export function dialled(record: CallbackRecord, outcome: Outcome, now: number, detail: Record<string, unknown> = {}): Step {
  const d = draft(record, now);
  count(d, outcome);
  if (outcome === 'answered') d.record.stage = 'connected';
  emit(d, 'dialled', 'dialler', { attempt: record.attempts, outcome, ...detail });
  return done(d);
}

/**
 * The agent's leg, called first, was never answered: the customer was not called. Not an attempt
 * (the count goes back), not the customer's fault: the record is offered again in its queue,
 * keeping its place, and the agent lets go of it.
 */
export function agentNotReached(record: CallbackRecord, detail: Record<string, unknown>, now: number): Step {
  const d = draft(record, now);
  count(d, 'agent-not-reached');
  d.record.attempts = Math.max(0, record.attempts - 1);
  d.record.stage = 'offered';
  d.record.agentId = null;
  emit(d, 'dialled', 'dialler', {
    attempt: record.attempts,
    outcome: 'agent-not-reached',
    agentId: record.agentId,
    counted: false,
    ...detail,
  });
  d.freshOffer = true;
  return done(d);
}

/** No feedback in time: treated as the platform reporting the agent's client dead. */
export function wrapUpTimedOut(record: CallbackRecord, wrapUpTimeoutSeconds: number, now: number): Step {
  const d = draft(record, now);
  count(d, 'agent-client-terminated');
  emit(d, 'wrap-up-timeout', 'system', { agentId: record.agentId, wrapUpTimeoutSeconds, outcome: 'agent-client-terminated' });
  return done(d);
}

/** The agent's wrap-up: `completed` closes the record; any other outcome goes to `decided`. */
export function feedbackGiven(record: CallbackRecord, fb: FeedbackInput, now: number): Step {
  const d = draft(record, now);
  count(d, fb.outcome);
  emit(d, 'feedback', agentActor(fb), {
    outcome: fb.outcome,
    requestedAt: fb.requestedAt,
    toOwnWaitingList: fb.toOwnWaitingList,
    comment: fb.comment,
  });
  if (fb.outcome === 'completed') close(d, 'completed', agentActor(fb));
  return done(d);
}

/**
 * After an attempt's outcome: an administrator's close first, then the treatment. A customer who
 * asks to be called again (`reestablish-later`, with its feedback) gets the time they asked for.
 */
export function decided(record: CallbackRecord, outcome: CountedOutcome, treatment: Treatment, now: number, fb?: FeedbackInput): Step {
  const d = draft(record, now);
  if (record.closeRequest) {
    close(d, 'closed-by-administrator', record.closeRequest.actor, { outcome });
    return done(d);
  }
  const decision = decide(outcome, record, treatment);
  if (decision.action !== 'reschedule') {
    apply(d, decision, outcome);
    return done(d);
  }
  if (!fb?.requestedAt) throw new Error(`no time to reschedule ${outcome} to`);
  d.record.stage = 'waiting';
  d.record.agentId = null;
  d.record.dueAt = fb.requestedAt;
  d.record.rankAt = fb.requestedAt; // the customer's new time is its new place in line
  d.record.waitingListOf = fb.toOwnWaitingList ? fb.agentId : null;
  emit(d, 'rescheduled', agentActor(fb), { dueAt: d.record.dueAt, waitingListOf: d.record.waitingListOf });
  return done(d);
}

/**
 * An administrator's (or the customer's) action. Before the 'cancel-by-its-actor' patch every
 * cancel was named the customer's; `cancelByItsActor` says whether the run has that patch.
 */
export function administer(record: CallbackRecord, a: AdminAction, now: number, { cancelByItsActor }: { cancelByItsActor: boolean }): Step {
  const d = draft(record, now);
  // A customer's own change (self-service, or a system for them) is theirs, not an administrator's.
  const actor = a.actor.startsWith('customer:') ? a.actor : `admin:${a.actor}`;
  switch (a.action) {
    case 'pause':
      d.record.stage = 'paused';
      emit(d, 'paused', actor);
      break;
    case 'enable':
      d.record.stage = 'waiting';
      emit(d, 'enabled', actor, { dueAt: record.dueAt });
      break;
    case 'close':
      if (inCall(record)) {
        d.record.closeRequest = { actor, at: iso(now) };
        emit(d, 'closing', actor, { comment: a.comment ?? null });
      } else {
        close(d, 'closed-by-administrator', actor, { comment: a.comment ?? null });
      }
      break;
    case 'delete':
      close(d, 'deleted', actor);
      break;
    case 'cancel':
      close(d, 'cancelled', cancelByItsActor || a.actor.startsWith('customer:') ? actor : `customer:${a.actor}`);
      break;
    case 'change':
      change(d, a.changes, actor);
      break;
  }
  return done(d);
}

function change(d: Draft, c: RecordChanges, actor: string): void {
  const r = d.record;
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  const note = (field: string, from: unknown, to: unknown) => {
    before[field] = from;
    after[field] = to;
  };
  if (c.phone !== undefined && c.phone !== r.phone) {
    note('phone', r.phone, c.phone);
    r.phone = c.phone;
  }
  if (c.comment !== undefined) {
    note('comment', r.comment, c.comment);
    r.comment = c.comment;
  }
  if (c.priority !== undefined && c.priority !== r.priority) {
    note('priority', r.priority, c.priority);
    r.priority = c.priority;
    backToWaiting(d); // its place in the gate's line depends on its priority
  }
  if (c.queue && c.queue.name !== r.queue) {
    note('queue', r.queue, c.queue.name);
    r.queue = c.queue.name;
    r.orgArea = c.queue.orgArea;
    r.waitingListOf = null;
    backToWaiting(d);
  }
  if (c.requestedAt !== undefined) {
    note('requestedAt', r.requestedAt, c.requestedAt);
    r.requestedAt = c.requestedAt;
    r.dueAt = c.requestedAt ?? iso(d.now);
    // A new time the customer agreed to is a new place in line; ASAP keeps the old one.
    if (c.requestedAt) {
      r.rankAt = c.requestedAt;
      backToWaiting(d);
    }
  }
  if (c.validUntil !== undefined) {
    note('validUntil', r.validUntil, c.validUntil);
    r.validUntil = c.validUntil;
  }
  describe(d);
  emit(d, 'changed', actor, { before, after });
}

/**
 * Text PostgreSQL cannot store would stop every save of the record; it is refused before it gets
 * in. A validator leaves no trace in the history when it refuses, so these checks need no patch.
 */
function unstorable(input: unknown): Rejection | null {
  const path = findUnstorableText(input);
  if (path === null) return null;
  return rejected(
    INPUT_REJECTION.invalidText,
    `${path || 'the input'} holds text that cannot be stored (a NUL character or half of a surrogate pair)`,
  );
}

const closedRejection = () => rejected(REJECTION.closed, 'the record is closed and takes no more actions');
const notOfferedRejection = (record: CallbackRecord) =>
  rejected(REJECTION.notOffered, `the record is not offered to agents (status ${record.status})`);
const offeredToAnother = (record: CallbackRecord, agentId: string) =>
  record.waitingListOf && record.waitingListOf !== agentId
    ? rejected(REJECTION.offeredToAnother, `the record is on the waiting list of agent ${record.waitingListOf}`)
    : null;

/** Why the record cannot take `what` now, or null when it can. */
function notNow(record: CallbackRecord, what: string): Rejection | null {
  if (record.stage === 'closed') return closedRejection();
  if (inCall(record)) {
    return rejected(
      REJECTION.inCall,
      `the record is ${record.stage === 'connected' ? 'in a call' : 'being dialled'}; ${what} it after the call`,
    );
  }
  return null;
}

export function checkAccept(record: CallbackRecord, input: AcceptInput): Rejection | null {
  const refusal = unstorable(input);
  if (refusal) return refusal;
  const { agentId } = input;
  if (record.stage === 'offered') {
    return (
      offeredToAnother(record, agentId) ??
      (record.refusedBy.includes(agentId) ? rejected(REJECTION.alreadyRefused, 'you refused this record') : null)
    );
  }
  if (inCall(record))
    return record.agentId === agentId ? null : rejected(REJECTION.takenByAnother, 'another agent has accepted this record');
  return record.stage === 'closed' ? closedRejection() : notOfferedRejection(record);
}

/** `pending`: refusals taken but not yet decided on. */
export function checkRefuse(record: CallbackRecord, input: RefuseInput, pending: readonly RefuseInput[]): Rejection | null {
  const refusal = unstorable(input);
  if (refusal) return refusal;
  const { agentId } = input;
  if (record.stage !== 'offered') return record.stage === 'closed' ? closedRejection() : notOfferedRejection(record);
  const refusedAlready = record.refusedBy.includes(agentId) || pending.some((r) => r.agentId === agentId);
  return (
    offeredToAnother(record, agentId) ?? (refusedAlready ? rejected(REJECTION.alreadyRefused, 'you refused this record already') : null)
  );
}

/** `awaiting`: the call is in wrap-up and no feedback has come yet. */
export function checkFeedback(record: CallbackRecord, input: FeedbackInput, awaiting: boolean, now: number): Rejection | null {
  const refusal = unstorable(input);
  if (refusal) return refusal;
  const { agentId, outcome, requestedAt, toOwnWaitingList } = input;
  if (record.stage !== 'connected' || record.agentId !== agentId || !awaiting) {
    return rejected(REJECTION.notOnCall, `agent ${agentId} is not on a call with this record`);
  }
  if (toOwnWaitingList && outcome !== 'reestablish-later')
    return rejected(REJECTION.invalidTime, 'only reestablish-later goes to a waiting list');
  if (outcome !== 'reestablish-later') return null;
  const fault = requestedAt ? timeFault({ requestedAt }, now, record) : null;
  if (!requestedAt || fault?.rule === 'in-the-past')
    return rejected(REJECTION.invalidTime, 'reestablish-later needs a requestedAt in the future');
  return fault && timeRejection(fault);
}

const TIME_FAULTS: Record<TimeFault['rule'], string> = {
  'in-the-past': 'is in the past',
  'after-valid-until': 'is after the record is valid until',
  'before-due': 'is before the record is due to be called',
};

const timeRejection = (fault: TimeFault) => rejected(REJECTION.invalidTime, `${fault.field} ${TIME_FAULTS[fault.rule]}`);

export function checkAdmin(record: CallbackRecord, a: AdminAction, now: number): Rejection | null {
  const refusal = unstorable(a);
  if (refusal) return refusal;
  switch (a.action) {
    case 'pause':
      return (
        notNow(record, 'pause') ?? (record.stage === 'paused' ? rejected(REJECTION.alreadyPaused, 'the record is paused already') : null)
      );
    case 'enable':
      if (record.stage === 'closed') return closedRejection();
      return record.stage === 'paused' ? null : rejected(REJECTION.notPaused, `the record is not paused (status ${record.status})`);
    case 'close':
      if (record.stage === 'closed') return closedRejection();
      return record.closeRequest ? rejected(REJECTION.alreadyClosing, 'the record closes when its call ends') : null;
    case 'change': {
      const refusal = notNow(record, 'change');
      if (refusal) return refusal;
      const fault = timeFault(a.changes, now, record);
      return fault && timeRejection(fault);
    }
    case 'cancel':
    case 'delete':
      return notNow(record, a.action);
  }
}
