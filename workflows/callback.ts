// One workflow per callback record, from the request to its close. The workflow owns the
// record's state; PostgreSQL gets a copy after every transition, written by an activity.
// Runs started before the 'record-lifecycle-v2' patch go on as the frozen first release.
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  log,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { initialRecord, requestedEvent } from '../domain/record-lifecycle.js';
import { findUnstorableText, storable } from '../domain/text.js';
import {
  CALL_STAGES,
  STATUS_OF_STAGE,
  type CallbackRecord,
  type CloseReason,
  type HistoryEvent,
  type HistoryEventType,
  type Outcome,
  type Stage,
} from '../domain/record.js';
import { decide, type CountedOutcome, type Decision } from '../domain/treatment.js';
import {
  ACTIVITY_FAILURE,
  INPUT_REJECTION,
  REJECTION,
  SEARCH_ATTRIBUTES,
  acceptUpdate,
  administerUpdate,
  duplicateRequestedSignal,
  feedbackUpdate,
  recordQuery,
  refuseUpdate,
  type AdminAction,
  type CallbackWorkflowInput,
  type FeedbackInput,
  type RecordChanges,
  type RefuseInput,
} from './callback-contract.js';
import { callbackRecordV1 } from './callback-v1.js';
import { permitGrantedSignal } from './queue-gate-contract.js';

const { saveRecord, requestPermit, releasePermit, queueRules } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

// A dial retried after a worker died resumes the same call (the dialler dedups by call id);
// the heartbeat timeout is how fast a dead worker is noticed.
const { dial } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

const MINUTE = 60_000;

/** Stages in which the record holds, or waits for, a place in its queue (a gate permit). */
const IN_QUEUE: readonly Stage[] = ['due', 'offered', ...CALL_STAGES];

const rejection = (type: string, message: string) => ApplicationFailure.create({ type, message, nonRetryable: true });

/**
 * Text PostgreSQL cannot store would stop every save of the record; it is refused before it gets in.
 * A validator leaves no trace in the history when it refuses, so this needs no patch.
 */
function refuseUnstorableText(input: unknown): void {
  const path = findUnstorableText(input);
  if (path === null) return;
  throw rejection(INPUT_REJECTION.invalidText, `${path || 'the input'} holds text that cannot be stored (a NUL character or half of a surrogate pair)`);
}

const isUnstorable = (err: unknown): err is ActivityFailure & { cause: ApplicationFailure } =>
  err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === ACTIVITY_FAILURE.unstorableRecord;

export async function callbackRecord(input: CallbackWorkflowInput): Promise<CallbackRecord> {
  if (!patched('record-lifecycle-v2')) return callbackRecordV1(input);
  return recordLifecycle(input);
}

async function recordLifecycle({ request, resumeFrom, holding, continueAsNewAfterEvents }: CallbackWorkflowInput): Promise<CallbackRecord> {
  // A run continued from the first release lacks the fields it did not know.
  const fieldsSinceV1: Partial<CallbackRecord> = { waitingListOf: null, refusedBy: [], closeRequest: null, copiedFrom: null };
  const record: CallbackRecord = resumeFrom ? { ...fieldsSinceV1, ...resumeFrom } : initialRecord(request);
  const unsaved: HistoryEvent[] = resumeFrom ? [] : [requestedEvent(request)];
  let savedVersion = resumeFrom?.version ?? 0;
  /** The agent's wrap-up feedback, once given; `awaitingFeedback` while the call waits for it. */
  let feedback: FeedbackInput | null = null;
  let awaitingFeedback = false;
  const refusals: RefuseInput[] = [];
  /** Bumped by every administrative action, so that whatever the record waits for is looked at again. */
  let changes = 0;
  /** When the current offer goes to the whole queue, or counts as lost during routing; null: not set yet. */
  let offerDeadline: number | null = holding?.offerDeadline ?? null;

  const now = () => new Date(Date.now()).toISOString();
  const until = (iso: string) => Date.parse(iso) - Date.now();
  const expiresIn = () => (record.validUntil ? until(record.validUntil) : Infinity);
  const inCall = () => CALL_STAGES.includes(record.stage);
  const historyIsLong = () => {
    const info = workflowInfo();
    return info.continueAsNewSuggested || (continueAsNewAfterEvents !== undefined && info.historyLength > continueAsNewAfterEvents);
  };

  function emit(type: HistoryEventType, actor: string, detail: Record<string, unknown> = {}): void {
    record.status = record.closeRequest && inCall() ? 'Closing' : STATUS_OF_STAGE[record.stage];
    record.version += 1;
    unsaved.push({ seq: record.version, at: now(), type, actor, detail });
    upsertSearchAttributes([
      { key: SEARCH_ATTRIBUTES.status, value: record.status },
      { key: SEARCH_ATTRIBUTES.stage, value: record.stage },
      { key: SEARCH_ATTRIBUTES.dueAt, value: new Date(record.dueAt) },
    ]);
  }

  function describeRecord(): void {
    upsertSearchAttributes([
      { key: SEARCH_ATTRIBUTES.queue, value: record.queue },
      { key: SEARCH_ATTRIBUTES.orgArea, value: record.orgArea },
      { key: SEARCH_ATTRIBUTES.phone, value: record.phone },
      { key: SEARCH_ATTRIBUTES.priority, value: record.priority },
    ]);
  }

  const saved = (version = record.version) => condition(() => savedVersion >= version);

  /** Answers an update once the table holds the record as it is now. */
  async function savedSnapshot(): Promise<CallbackRecord> {
    const snapshot = { ...record };
    await saved(snapshot.version);
    return snapshot;
  }

  function close(reason: CloseReason, actor = 'system', detail: Record<string, unknown> = {}): void {
    record.stage = 'closed';
    record.closeReason = reason;
    record.closedAt = now();
    record.agentId = null;
    emit('closed', actor, { reason, ...detail });
  }

  function count(outcome: Outcome): void {
    record.latestOutcome = outcome;
    record.outcomeCounts[outcome] = (record.outcomeCounts[outcome] ?? 0) + 1;
  }

  /** validUntil has passed: "End contact - Automatic". */
  function expire(): void {
    count('expired');
    close('expired');
  }

  /** Why the record cannot take `what` now, or null when it can. */
  function notNow(what: string): ApplicationFailure | null {
    if (record.stage === 'closed') return rejection(REJECTION.closed, 'the record is closed and takes no more actions');
    if (inCall()) {
      return rejection(REJECTION.inCall, `the record is ${record.stage === 'connected' ? 'in a call' : 'being dialled'}; ${what} it after the call`);
    }
    return null;
  }

  function checkTimes(c: RecordChanges): void {
    const validUntil = c.validUntil !== undefined ? c.validUntil : record.validUntil;
    if (c.requestedAt) {
      if (until(c.requestedAt) <= 0) throw rejection(REJECTION.invalidTime, 'requestedAt is in the past');
      if (validUntil && Date.parse(c.requestedAt) > Date.parse(validUntil)) {
        throw rejection(REJECTION.invalidTime, 'requestedAt is after the record is valid until');
      }
    }
    if (c.validUntil) {
      if (until(c.validUntil) <= 0) throw rejection(REJECTION.invalidTime, 'validUntil is in the past');
      const dueAt = c.requestedAt !== undefined ? (c.requestedAt ?? now()) : record.dueAt;
      if (Date.parse(c.validUntil) < Date.parse(dueAt)) {
        throw rejection(REJECTION.invalidTime, 'validUntil is before the record is due to be called');
      }
    }
  }

  function checkAdmin(a: AdminAction): void {
    refuseUnstorableText(a);
    switch (a.action) {
      case 'pause': {
        const refusal = notNow('pause');
        if (refusal) throw refusal;
        if (record.stage === 'paused') throw rejection(REJECTION.alreadyPaused, 'the record is paused already');
        return;
      }
      case 'enable':
        if (record.stage === 'closed') throw notNow('enable')!;
        if (record.stage !== 'paused') throw rejection(REJECTION.notPaused, `the record is not paused (status ${record.status})`);
        return;
      case 'close':
        if (record.stage === 'closed') throw notNow('close')!;
        if (record.closeRequest) throw rejection(REJECTION.alreadyClosing, 'the record closes when its call ends');
        return;
      case 'change': {
        const refusal = notNow('change');
        if (refusal) throw refusal;
        checkTimes(a.changes);
        return;
      }
      case 'cancel':
      case 'delete': {
        const refusal = notNow(a.action);
        if (refusal) throw refusal;
      }
    }
  }

  /** Puts a due or offered record back to waiting: it leaves its queue and comes back when due. */
  function backToWaiting(): void {
    if (record.stage === 'due' || record.stage === 'offered') record.stage = 'waiting';
  }

  function administer(a: AdminAction): void {
    // A customer's own change (self-service, or a system for them) is theirs, not an administrator's.
    const actor = a.actor.startsWith('customer:') ? a.actor : `admin:${a.actor}`;
    switch (a.action) {
      case 'pause':
        record.stage = 'paused';
        return emit('paused', actor);
      case 'enable':
        record.stage = 'waiting';
        return emit('enabled', actor, { dueAt: record.dueAt });
      case 'close':
        if (inCall()) {
          record.closeRequest = { actor, at: now() };
          return emit('closing', actor, { comment: a.comment ?? null });
        }
        return close('closed-by-administrator', actor, { comment: a.comment ?? null });
      case 'delete':
        return close('deleted', actor);
      case 'cancel':
        // Added after v2's first histories: no recorded history holds this update, so replay is unchanged.
        // Every cancel was once the customer's; an administrator cancelling for them is named as such now.
        return close('cancelled', patched('cancel-by-its-actor') || a.actor.startsWith('customer:') ? actor : `customer:${a.actor}`);
      case 'change': {
        const c = a.changes;
        const before: Record<string, unknown> = {};
        const after: Record<string, unknown> = {};
        const note = (field: string, from: unknown, to: unknown) => {
          before[field] = from;
          after[field] = to;
        };
        if (c.phone !== undefined && c.phone !== record.phone) {
          note('phone', record.phone, c.phone);
          record.phone = c.phone;
        }
        if (c.comment !== undefined) {
          note('comment', record.comment, c.comment);
          record.comment = c.comment;
        }
        if (c.priority !== undefined && c.priority !== record.priority) {
          note('priority', record.priority, c.priority);
          record.priority = c.priority;
          backToWaiting(); // its place in the gate's line depends on its priority
        }
        if (c.queue && c.queue.name !== record.queue) {
          note('queue', record.queue, c.queue.name);
          record.queue = c.queue.name;
          record.orgArea = c.queue.orgArea;
          record.waitingListOf = null;
          backToWaiting();
        }
        if (c.requestedAt !== undefined) {
          note('requestedAt', record.requestedAt, c.requestedAt);
          record.requestedAt = c.requestedAt;
          record.dueAt = c.requestedAt ?? now();
          // A new time the customer agreed to is a new place in line; ASAP keeps the old one.
          if (c.requestedAt) {
            record.rankAt = c.requestedAt;
            backToWaiting();
          }
        }
        if (c.validUntil !== undefined) {
          note('validUntil', record.validUntil, c.validUntil);
          record.validUntil = c.validUntil;
        }
        describeRecord();
        return emit('changed', actor, { before, after });
      }
    }
  }

  setHandler(recordQuery, () => record);
  setHandler(duplicateRequestedSignal, ({ actor, requestedAt }) => emit('duplicate-requested', actor, { requestedAt }));

  setHandler(
    administerUpdate,
    async (a) => {
      administer(a);
      changes += 1;
      return savedSnapshot();
    },
    { validator: checkAdmin },
  );

  setHandler(
    acceptUpdate,
    async ({ agentId }) => {
      if (record.agentId === agentId && record.stage !== 'offered') return { ...record };
      record.stage = 'accepted';
      record.agentId = agentId;
      record.latestAgent = agentId;
      emit('accepted', `agent:${agentId}`);
      return savedSnapshot();
    },
    {
      validator: (input) => {
        refuseUnstorableText(input);
        const { agentId } = input;
        if (record.stage === 'offered') {
          if (record.waitingListOf && record.waitingListOf !== agentId) {
            throw rejection(REJECTION.offeredToAnother, `the record is on the waiting list of agent ${record.waitingListOf}`);
          }
          if (record.refusedBy.includes(agentId)) throw rejection(REJECTION.alreadyRefused, 'you refused this record');
          return;
        }
        const held = inCall();
        if (held && record.agentId === agentId) return;
        if (held) throw rejection(REJECTION.takenByAnother, 'another agent has accepted this record');
        if (record.stage === 'closed') throw rejection(REJECTION.closed, 'the record is closed and takes no more actions');
        throw rejection(REJECTION.notOffered, `the record is not offered to agents (status ${record.status})`);
      },
    },
  );

  setHandler(
    refuseUpdate,
    async (input) => {
      refusals.push(input);
      await condition(() => !refusals.includes(input));
      return savedSnapshot();
    },
    {
      validator: (input) => {
        refuseUnstorableText(input);
        const { agentId } = input;
        if (record.stage !== 'offered') {
          if (record.stage === 'closed') throw rejection(REJECTION.closed, 'the record is closed and takes no more actions');
          throw rejection(REJECTION.notOffered, `the record is not offered to agents (status ${record.status})`);
        }
        if (record.waitingListOf && record.waitingListOf !== agentId) {
          throw rejection(REJECTION.offeredToAnother, `the record is on the waiting list of agent ${record.waitingListOf}`);
        }
        if (record.refusedBy.includes(agentId) || refusals.some((r) => r.agentId === agentId)) {
          throw rejection(REJECTION.alreadyRefused, 'you refused this record already');
        }
      },
    },
  );

  setHandler(
    feedbackUpdate,
    async (input) => {
      feedback = input;
      const version = record.version;
      // Answer once the record has moved past the call, so the agent sees where it went.
      await condition(() => record.stage !== 'connected' && record.version > version);
      return savedSnapshot();
    },
    {
      validator: (input) => {
        refuseUnstorableText(input);
        const { agentId, outcome, requestedAt, toOwnWaitingList } = input;
        if (record.stage !== 'connected' || record.agentId !== agentId || !awaitingFeedback || feedback) {
          throw rejection(REJECTION.notOnCall, `agent ${agentId} is not on a call with this record`);
        }
        if (toOwnWaitingList && outcome !== 'reestablish-later') {
          throw rejection(REJECTION.invalidTime, 'only reestablish-later goes to a waiting list');
        }
        if (outcome === 'reestablish-later') {
          if (!requestedAt || until(requestedAt) <= 0) {
            throw rejection(REJECTION.invalidTime, 'reestablish-later needs a requestedAt in the future');
          }
          if (record.validUntil && Date.parse(requestedAt) > Date.parse(record.validUntil)) {
            throw rejection(REJECTION.invalidTime, 'requestedAt is after the record is valid until');
          }
        }
      },
    },
  );

  // Writes run one batch at a time, in order, beside the record's own progress, and go on when
  // the workflow is cancelled: the record's last state must still reach the table.
  void CancellationScope.nonCancellable(async () => {
    for (;;) {
      await condition(() => unsaved.length > 0);
      const events = unsaved.splice(0);
      await save({ ...record }, events);
      savedVersion = events[events.length - 1]!.seq;
    }
  });

  /**
   * A value PostgreSQL refuses (text with a NUL or a lone surrogate that got past the checks) would
   * fail every retry of the save: the record would stall, its callers hang and its permit stay
   * taken. Instead the record is made storable, loudly, and saved again; a save that still fails
   * after that is a fault of another kind and fails the workflow task, visibly.
   */
  async function save(snapshot: CallbackRecord, events: HistoryEvent[]): Promise<void> {
    try {
      await saveRecord({ record: snapshot, events });
    } catch (err) {
      if (!isUnstorable(err) || !patched('storable-text')) throw err;
      log.error('record could not be stored: its unstorable text is replaced with U+FFFD', {
        recordId: record.id,
        field: findUnstorableText({ record: snapshot, events }),
        failure: err.cause.message,
      });
      Object.assign(record, storable({ ...record }));
      await saveRecord({ record: storable(snapshot), events: storable(events) });
    }
  }

  describeRecord();
  if (!resumeFrom) emit('scheduled', 'system', { dueAt: record.dueAt, waitingListOf: record.waitingListOf });

  // The queue's gate admits a due record into its queue; the permit is held while the record is
  // offered, dialled, in a call or in wrap-up, and given back whatever ends that. A permit is
  // asked of one queue's gate; one that arrives for another (the record moved) goes straight back.
  // Each request has a ticket (the record's version when it asked), so that a late grant or
  // release of an earlier request never touches a newer one.
  let permitQueue: string | null = holding?.queue ?? null;
  let permitTicket = holding?.ticket ?? 0;
  let permit = holding !== undefined;
  const strayPermits: { queue: string; ticket?: number }[] = [];
  setHandler(permitGrantedSignal, ({ queue, ticket }) => {
    if (queue === permitQueue && (ticket === undefined || ticket === permitTicket)) permit = true;
    else strayPermits.push({ queue, ticket });
  });
  void CancellationScope.nonCancellable(async () => {
    for (;;) {
      await condition(() => strayPermits.length > 0);
      const { queue, ticket } = strayPermits[0]!;
      await releasePermit({ queue, recordId: record.id, ticket });
      strayPermits.shift();
    }
  });

  async function leaveQueue(): Promise<void> {
    if (permitQueue === null) return;
    const queue = permitQueue;
    permitQueue = null;
    permit = false;
    await CancellationScope.nonCancellable(() => releasePermit({ queue, recordId: record.id, ticket: permitTicket }));
  }

  /** Waits for `pred` until the record expires; false when it expired first. */
  function beforeExpiry(pred: () => boolean): Promise<boolean> {
    const left = expiresIn();
    if (left === Infinity) return condition(pred).then(() => true);
    return condition(pred, Math.max(left, 1));
  }

  /** The queue's treatment and offer timeout as configured now: a change applies at the next decision. */
  const rules = () => queueRules({ queue: record.queue });

  function apply(decision: Decision, outcome: Outcome): void {
    if (decision.action === 'close') {
      return close(decision.reason, 'system', { outcome, ...(decision.threshold ? { threshold: decision.threshold } : {}) });
    }
    if (decision.action === 'reschedule') throw new Error(`no reschedule for ${outcome}`);
    if (record.stage === 'offered' && decision.delayMinutes === 0) {
      offerDeadline = null; // stays in the queue, in its place, with a fresh offer
      return;
    }
    const dueAt = new Date(Date.now() + decision.delayMinutes * MINUTE).toISOString();
    if (record.validUntil && dueAt > record.validUntil) return expire();
    record.stage = 'waiting';
    record.agentId = null;
    record.dueAt = dueAt; // rankAt stays: a retry keeps its place in line
    emit('postponed', 'system', { outcome, delayMinutes: decision.delayMinutes, dueAt });
  }

  async function paused(): Promise<void> {
    const seen = changes;
    if (!(await beforeExpiry(() => record.stage !== 'paused' || changes !== seen))) expire();
  }

  async function waiting(): Promise<'continue-as-new' | void> {
    if (historyIsLong()) return 'continue-as-new';
    const seen = changes;
    const wait = Math.min(until(record.dueAt), expiresIn());
    if (wait > 0 && (await condition(() => changes !== seen, wait))) return; // changed: look again
    if (expiresIn() <= 0) return expire();
    record.stage = 'due';
    emit('due', 'system', { queue: record.queue });
  }

  async function due(): Promise<void> {
    const seen = changes;
    if (permitQueue === null) {
      permitQueue = record.queue;
      permitTicket = record.version;
      await requestPermit({
        queue: permitQueue,
        waiter: { recordId: record.id, priority: record.priority, rankAt: record.rankAt, ticket: permitTicket },
      });
    }
    if (!(await beforeExpiry(() => permit || record.stage !== 'due' || changes !== seen))) return expire();
    if (record.stage !== 'due' || !permit) return;
    record.stage = 'offered';
    record.refusedBy = [];
    offerDeadline = null;
    emit('offered', 'system', { queue: record.queue, waitingListOf: record.waitingListOf });
  }

  async function offered(): Promise<'continue-as-new' | void> {
    // An offer nobody takes is renewed again and again: its history must not grow without end.
    if (historyIsLong()) return 'continue-as-new';
    const seen = changes;
    if (offerDeadline === null) {
      const { offerTimeoutSeconds } = await rules();
      offerDeadline = Date.now() + offerTimeoutSeconds * 1000;
    }
    const left = Math.max(Math.min(offerDeadline - Date.now(), expiresIn()), 1);
    const woke = await condition(() => record.stage !== 'offered' || refusals.length > 0 || changes !== seen, left);
    if (refusals.length > 0) return refused();
    if (woke || record.stage !== 'offered') return;
    if (expiresIn() <= 0) return expire();
    if (record.waitingListOf) {
      // Nobody took it from the agent's waiting list in time: it goes to the whole queue.
      emit('offer-timeout', 'system', { waitingListOf: record.waitingListOf, to: 'queue' });
      record.waitingListOf = null;
      offerDeadline = null;
      return;
    }
    const { treatment } = await rules();
    if (refusals.length > 0) return refused(); // a refusal came in while the rules were read
    if (record.stage !== 'offered') return; // accepted while the rules were read
    count('lost-during-routing');
    record.refusedBy = [];
    const decision = decide('lost-during-routing', record, treatment);
    emit('offer-timeout', 'system', { outcome: 'lost-during-routing', decision });
    apply(decision, 'lost-during-routing');
  }

  async function refused(): Promise<void> {
    const { treatment } = await rules();
    for (const refusal of [...refusals]) {
      const actor = `agent:${refusal.agentId}`;
      count('refused');
      if (record.stage !== 'offered') {
        // Taken by another agent, or changed by an administrator, meanwhile: nothing to decide.
        emit('refused', actor, { reason: refusal.reason });
      } else {
        record.refusedBy.push(refusal.agentId);
        // The agent whose waiting list it is on declines it: it goes to the whole queue.
        const toQueue = record.waitingListOf === refusal.agentId;
        if (toQueue) record.waitingListOf = null;
        const decision = decide('refused', record, treatment);
        emit('refused', actor, { reason: refusal.reason, decision, ...(toQueue ? { to: 'queue' } : {}) });
        apply(decision, 'refused');
      }
      refusals.splice(refusals.indexOf(refusal), 1);
    }
  }

  /** After an attempt's outcome: an administrator's close first, then the treatment as it is now. */
  async function afterOutcome(outcome: CountedOutcome, fb?: FeedbackInput): Promise<void> {
    const { treatment } = await rules();
    if (record.closeRequest) return close('closed-by-administrator', record.closeRequest.actor, { outcome });
    const decision = decide(outcome, record, treatment);
    if (decision.action !== 'reschedule') return apply(decision, outcome);
    const agent = fb!.agentId;
    record.stage = 'waiting';
    record.agentId = null;
    record.dueAt = fb!.requestedAt!;
    record.rankAt = fb!.requestedAt!; // the customer's new time is its new place in line
    record.waitingListOf = fb!.toOwnWaitingList ? agent : null;
    emit('rescheduled', `agent:${agent}`, { dueAt: record.dueAt, waitingListOf: record.waitingListOf });
  }

  async function call(): Promise<void> {
    record.attempts += 1;
    record.stage = 'dialling';
    record.latestCallAt = now();
    const callId = `${record.id}:${record.attempts}`;
    emit('dialling', `agent:${record.agentId}`, { attempt: record.attempts, callId });
    const outcome = await dial({ callId, recordId: record.id, phone: record.phone });
    count(outcome);
    if (outcome !== 'answered') {
      emit('dialled', 'dialler', { attempt: record.attempts, outcome });
      return afterOutcome(outcome);
    }
    record.stage = 'connected';
    emit('dialled', 'dialler', { attempt: record.attempts, outcome });
    awaitingFeedback = true;
    if (patched('wrap-up-limit')) {
      // Without a limit, an agent whose client died without telling anyone would hold the record
      // and its place in the queue for ever.
      const { wrapUpTimeoutSeconds } = await rules();
      if (!(await condition(() => feedback !== null, wrapUpTimeoutSeconds * 1000))) {
        awaitingFeedback = false;
        return wrapUpTimedOut(wrapUpTimeoutSeconds);
      }
    } else {
      await condition(() => feedback !== null);
    }
    awaitingFeedback = false;
    const fb = feedback!;
    feedback = null;
    count(fb.outcome);
    emit('feedback', `agent:${fb.agentId}`, {
      outcome: fb.outcome,
      requestedAt: fb.requestedAt,
      toOwnWaitingList: fb.toOwnWaitingList,
      comment: fb.comment,
    });
    if (fb.outcome === 'completed') return close('completed', `agent:${fb.agentId}`);
    return afterOutcome(fb.outcome, fb);
  }

  /** No feedback in time: treated as the platform reporting the agent's client dead. */
  async function wrapUpTimedOut(wrapUpTimeoutSeconds: number): Promise<void> {
    count('agent-client-terminated');
    emit('wrap-up-timeout', 'system', { agentId: record.agentId, wrapUpTimeoutSeconds, outcome: 'agent-client-terminated' });
    return afterOutcome('agent-client-terminated');
  }

  /** Everything saved, no stray permit and no message in flight: the run's state is all in `record`. */
  const settled = () =>
    unsaved.length === 0 && savedVersion >= record.version && strayPermits.length === 0 && refusals.length === 0 && allHandlersFinished();

  /** Set when this run hands over to a new one: after the loop, so that the permit goes with it. */
  let handOver: CallbackWorkflowInput | null = null;
  try {
    while (record.stage !== 'closed') {
      if (!IN_QUEUE.includes(record.stage)) await leaveQueue();
      // Refusals that came in as the record left the queue are recorded without a decision.
      if (refusals.length > 0 && record.stage !== 'offered') await refused();
      let next: 'continue-as-new' | void = undefined;
      if (record.stage === 'paused') await paused();
      else if (record.stage === 'waiting') next = await waiting();
      else if (record.stage === 'due') await due();
      else if (record.stage === 'offered') next = await offered();
      else await call();
      if (next === 'continue-as-new') {
        await condition(settled);
        if (record.stage !== 'waiting' && record.stage !== 'offered') continue; // changed meanwhile
        const carried =
          record.stage === 'offered' && permitQueue !== null ? { queue: permitQueue, ticket: permitTicket, offerDeadline } : undefined;
        if (record.stage === 'waiting' && permitQueue !== null) continue; // leave the queue first
        handOver = { request, resumeFrom: record, holding: carried, continueAsNewAfterEvents };
        break;
      }
    }
  } catch (err) {
    // Cancelled (an operator, or a parent): the record closes as such, and the table says so.
    if (isCancellation(err) && record.stage !== 'closed') {
      await CancellationScope.nonCancellable(async () => {
        close('cancelled');
        await saved();
      });
    }
    throw err;
  } finally {
    if (!handOver?.holding) await leaveQueue();
  }
  if (handOver) return continueAsNew<typeof callbackRecord>(handOver);

  if (refusals.length > 0) await refused();
  await condition(settled);
  return record;
}
