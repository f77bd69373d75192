// One workflow per callback record, from the request to its close: Temporal's part of it (handlers,
// waits, activities, continue-as-new). The record's transitions and checks are pure functions in
// domain/record-machine.ts; PostgreSQL gets a copy after every transition, written by an activity.
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
import { initialRecord, requestedEvent, resumedRecord } from '../domain/record-lifecycle.js';
import {
  accepted,
  administer,
  agentNotReached,
  becameDue,
  callIdOf,
  cancelled,
  checkAccept,
  checkAdmin,
  checkFeedback,
  checkRefuse,
  decided,
  dialled,
  dialling,
  duplicateRequested,
  expired,
  feedbackGiven,
  isHeldBy,
  lostDuringRouting,
  offered,
  offeredToQueue,
  refused,
  scheduled,
  timeLeft,
  wrapUpTimedOut,
  type Rejection,
  type Step,
} from '../domain/record-machine.js';
import { CALL_STAGES, type CallbackRecord, type HistoryEvent, type Stage } from '../domain/record.js';
import { findUnstorableText, storable } from '../domain/text.js';
import type { CountedOutcome } from '../domain/treatment.js';
import {
  ACTIVITY_FAILURE,
  LEGACY_PHONE_ATTRIBUTE,
  SEARCH_ATTRIBUTES,
  acceptUpdate,
  administerUpdate,
  duplicateRequestedSignal,
  feedbackUpdate,
  recordQuery,
  refuseUpdate,
  reservedSignal,
  REJECTION,
  type CallbackWorkflowInput,
  type FeedbackInput,
  type RefuseInput,
} from './callback-contract.js';
import { callbackRecordV1 } from './callback-v1.js';
import { permitGrantedSignal } from './queue-gate-contract.js';
import type { Reservation } from '../domain/presence.js';

const { saveRecord, requestPermit, releasePermit, queueRules, reserveAgent, endReservation } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

// A dial retried after a worker died resumes the same call (the dialler dedups by call id);
// the heartbeat timeout is how fast a dead worker is noticed.
// `placeCall` (since the 'telephony-dial' patch) answers with a DialResult: a real telephony
// adapter completes it asynchronously when the provider's status callbacks decide the outcome,
// while every worker heartbeats it (worker/call-keeper.ts): no worker slot is held during the call.
const { dial, placeCall } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/** Stages in which the record holds, or waits for, a place in its queue (a gate permit). */
const IN_QUEUE: readonly Stage[] = ['due', 'offered', ...CALL_STAGES];

const isUnstorable = (err: unknown): err is ActivityFailure & { cause: ApplicationFailure } =>
  err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === ACTIVITY_FAILURE.unstorableRecord;

export async function callbackRecord(input: CallbackWorkflowInput): Promise<CallbackRecord> {
  // callback-v1.ts goes once no run started before this patch is open: see "Removing the first
  // record workflow" in the README. This call then becomes deprecatePatch('record-lifecycle-v2').
  if (!patched('record-lifecycle-v2')) return callbackRecordV1(input);
  return recordLifecycle(input);
}

/**
 * What one run knows beside the record: its saves, the messages waiting to be taken, and its
 * place in the queue. Plain data, like the record.
 */
interface Run {
  record: CallbackRecord;
  /** Events not yet written to the table, in order. */
  unsaved: HistoryEvent[];
  savedVersion: number;
  /** The agent's wrap-up feedback, once given; `awaitingFeedback` while the call waits for it. */
  feedback: FeedbackInput | null;
  awaitingFeedback: boolean;
  refusals: RefuseInput[];
  /** Bumped by every administrative action, so that whatever the record waits for is looked at again. */
  changes: number;
  /** When the current offer goes to the whole queue, or counts as lost during routing; null: not set yet. */
  offerDeadline: number | null;
  // The queue's gate admits a due record into its queue; the permit is held while the record is
  // offered, dialled, in a call or in wrap-up, and given back whatever ends that. A permit is
  // asked of one queue's gate; one that arrives for another (the record moved) goes straight back.
  // Each request has a ticket (the record's version when it asked), so that a late grant or
  // release of an earlier request never touches a newer one.
  permitQueue: string | null;
  permitTicket: number;
  permit: boolean;
  strayPermits: { queue: string; ticket?: number }[];
  // Pushed routing: the agent the offered record is reserved for, whose answer it waits for until
  // the reservation's end. A reservation the record cannot use (it has one, or left the queue) is
  // stray and is let go of.
  reservation: Reservation | null;
  strayReservations: Reservation[];
  continueAsNewAfterEvents?: number;
}

function startRun({ request, resumeFrom, holding, continueAsNewAfterEvents }: CallbackWorkflowInput): Run {
  return {
    record: resumeFrom ? resumedRecord(resumeFrom) : initialRecord(request),
    unsaved: resumeFrom ? [] : [requestedEvent(request)],
    savedVersion: resumeFrom?.version ?? 0,
    feedback: null,
    awaitingFeedback: false,
    refusals: [],
    changes: 0,
    offerDeadline: holding?.offerDeadline ?? null,
    permitQueue: holding?.queue ?? null,
    permitTicket: holding?.ticket ?? 0,
    permit: holding !== undefined,
    strayPermits: [],
    reservation: holding?.reservation ?? null,
    strayReservations: [],
    continueAsNewAfterEvents,
  };
}

/** A rejection of the record's state machine, as Temporal reports it to the caller. */
function enforce(rejection: Rejection | null): void {
  if (rejection) throw ApplicationFailure.create({ type: rejection.type, message: rejection.message, nonRetryable: true });
}

/** Takes a transition's new record, queues its events for the table and sets its search attributes. */
function enact(run: Run, step: Step): void {
  run.record = step.record;
  for (const effect of step.effects) {
    if (effect.kind === 'described') {
      describe(effect.searchable);
      continue;
    }
    run.unsaved.push(effect.event);
    upsertSearchAttributes([
      { key: SEARCH_ATTRIBUTES.status, value: effect.searchable.status },
      { key: SEARCH_ATTRIBUTES.stage, value: effect.searchable.stage },
      { key: SEARCH_ATTRIBUTES.dueAt, value: new Date(effect.searchable.dueAt) },
      ...phoneRemoved(),
    ]);
  }
  if (step.freshOffer) run.offerDeadline = null;
}

function describe({ queue, orgArea, phone, priority }: Pick<CallbackRecord, 'queue' | 'orgArea' | 'phone' | 'priority'>): void {
  if (!patched(PHONE_NOT_SEARCHABLE)) {
    // Recorded before the patch: the phone number was a search attribute, in clear text.
    upsertSearchAttributes([
      { key: SEARCH_ATTRIBUTES.queue, value: queue },
      { key: SEARCH_ATTRIBUTES.orgArea, value: orgArea },
      { key: LEGACY_PHONE_ATTRIBUTE, value: phone },
      { key: SEARCH_ATTRIBUTES.priority, value: priority },
    ]);
    return;
  }
  upsertSearchAttributes([
    { key: SEARCH_ATTRIBUTES.queue, value: queue },
    { key: SEARCH_ATTRIBUTES.orgArea, value: orgArea },
    { key: SEARCH_ATTRIBUTES.priority, value: priority },
    ...phoneRemoved(),
  ]);
}

// Search attributes are not encrypted: no personal data goes there (search by phone goes through
// the API's copy in PostgreSQL). A run that set the phone before this patch removes it at its next
// change of state; the first release's runs keep it until they close.
const PHONE_NOT_SEARCHABLE = 'phone-not-searchable';
const phoneRemoved = () =>
  patched(PHONE_NOT_SEARCHABLE) && workflowInfo().typedSearchAttributes.get(LEGACY_PHONE_ATTRIBUTE) !== undefined
    ? [{ key: LEGACY_PHONE_ATTRIBUTE, value: null }]
    : [];

const saved = (run: Run, version = run.record.version) => condition(() => run.savedVersion >= version);

/** Answers an update once the table holds the record as it is now. */
async function savedSnapshot(run: Run): Promise<CallbackRecord> {
  const snapshot = { ...run.record };
  await saved(run, snapshot.version);
  return snapshot;
}

function registerHandlers(run: Run): void {
  setHandler(recordQuery, () => run.record);
  setHandler(duplicateRequestedSignal, (duplicate) => enact(run, duplicateRequested(run.record, duplicate, Date.now())));
  setHandler(reservedSignal, (reservation) => {
    if (run.reservation?.agentId === reservation.agentId) run.reservation = reservation;
    else if (run.record.stage === 'offered' && run.reservation === null) run.reservation = reservation;
    else run.strayReservations.push(reservation);
  });
  setHandler(permitGrantedSignal, ({ queue, ticket }) => {
    if (queue === run.permitQueue && (ticket === undefined || ticket === run.permitTicket)) run.permit = true;
    else run.strayPermits.push({ queue, ticket });
  });

  setHandler(
    administerUpdate,
    async (a) => {
      // Added after v2's first histories: no recorded history holds this update, so replay is unchanged.
      const cancelByItsActor = a.action === 'cancel' && patched('cancel-by-its-actor');
      enact(run, administer(run.record, a, Date.now(), { cancelByItsActor }));
      run.changes += 1;
      return savedSnapshot(run);
    },
    { validator: (a) => enforce(checkAdmin(run.record, a, Date.now())) },
  );

  setHandler(
    acceptUpdate,
    async ({ agentId, via }) => {
      if (isHeldBy(run.record, agentId)) return { ...run.record };
      enact(run, accepted(run.record, agentId, Date.now(), via));
      return savedSnapshot(run);
    },
    { validator: (input) => enforce(checkAccept(run.record, input) ?? reservedForAnother(run, input.agentId)) },
  );

  setHandler(
    refuseUpdate,
    async (input) => {
      run.refusals.push(input);
      await condition(() => !run.refusals.includes(input));
      return savedSnapshot(run);
    },
    { validator: (input) => enforce(checkRefuse(run.record, input, run.refusals)) },
  );

  setHandler(
    feedbackUpdate,
    async (input) => {
      run.feedback = input;
      const version = run.record.version;
      // Answer once the record has moved past the call, so the agent sees where it went.
      await condition(() => run.record.stage !== 'connected' && run.record.version > version);
      return savedSnapshot(run);
    },
    { validator: (input) => enforce(checkFeedback(run.record, input, run.awaitingFeedback && run.feedback === null, Date.now())) },
  );
}

// Writes run one batch at a time, in order, beside the record's own progress, and go on when
// the workflow is cancelled: the record's last state must still reach the table.
function keepSaving(run: Run): void {
  void CancellationScope.nonCancellable(async () => {
    for (;;) {
      await condition(() => run.unsaved.length > 0);
      const events = run.unsaved.splice(0);
      await save(run, { ...run.record }, events);
      run.savedVersion = events[events.length - 1]!.seq;
    }
  });
}

/**
 * A value PostgreSQL refuses (text with a NUL or a lone surrogate that got past the checks) would
 * fail every retry of the save: the record would stall, its callers hang and its permit stay
 * taken. Instead the record is made storable, loudly, and saved again; a save that still fails
 * after that is a fault of another kind and fails the workflow task, visibly.
 */
async function save(run: Run, snapshot: CallbackRecord, events: HistoryEvent[]): Promise<void> {
  try {
    await saveRecord({ record: snapshot, events });
  } catch (err) {
    if (!isUnstorable(err) || !patched('storable-text')) throw err;
    log.error('record could not be stored: its unstorable text is replaced with U+FFFD', {
      recordId: run.record.id,
      field: findUnstorableText({ record: snapshot, events }),
      failure: err.cause.message,
    });
    run.record = storable({ ...run.record });
    await saveRecord({ record: storable(snapshot), events: storable(events) });
  }
}

/** An offered record waits for the agent it is reserved for: another agent cannot take it meanwhile. */
function reservedForAnother(run: Run, agentId: string): Rejection | null {
  const { reservation } = run;
  if (run.record.stage !== 'offered' || reservation === null || reservation.agentId === agentId) return null;
  return { kind: 'rejected', type: REJECTION.reservedForAnother, message: `the record is offered to agent ${reservation.agentId} now` };
}

/** Reservations the record cannot use go back, after the saves that may have made them a call already. */
function keepReturningStrayReservations(run: Run): void {
  void CancellationScope.nonCancellable(async () => {
    for (;;) {
      await condition(() => run.strayReservations.length > 0);
      const { agentId } = run.strayReservations[0]!;
      await saved(run);
      await endReservation({ recordId: run.record.id, agentId, unanswered: false });
      run.strayReservations.shift();
    }
  });
}

/**
 * Ends the record's reservation: unanswered (the agent goes away), or no longer needed. Taken by its
 * agent, it has become their call already (the save does that): nothing to end.
 */
async function letGoOfReservation(run: Run, unanswered: boolean): Promise<void> {
  const reservation = run.reservation;
  if (reservation === null) return;
  run.reservation = null;
  if (run.record.agentId === reservation.agentId && CALL_STAGES.includes(run.record.stage)) return;
  await saved(run);
  await CancellationScope.nonCancellable(() => endReservation({ recordId: run.record.id, agentId: reservation.agentId, unanswered }));
}

/** Permits granted to an earlier request, or for another queue, go back one at a time. */
function keepReturningStrayPermits(run: Run): void {
  void CancellationScope.nonCancellable(async () => {
    for (;;) {
      await condition(() => run.strayPermits.length > 0);
      const { queue, ticket } = run.strayPermits[0]!;
      await releasePermit({ queue, recordId: run.record.id, ticket });
      run.strayPermits.shift();
    }
  });
}

async function leaveQueue(run: Run): Promise<void> {
  if (run.permitQueue === null) return;
  const queue = run.permitQueue;
  run.permitQueue = null;
  run.permit = false;
  await CancellationScope.nonCancellable(() => releasePermit({ queue, recordId: run.record.id, ticket: run.permitTicket }));
}

function historyIsLong(run: Run): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || (run.continueAsNewAfterEvents !== undefined && info.historyLength > run.continueAsNewAfterEvents);
}

/** Waits for `pred` until the record expires; false when it expired first. */
function beforeExpiry(run: Run, pred: () => boolean): Promise<boolean> {
  const left = timeLeft(run.record, Date.now());
  if (left === Infinity) return condition(pred).then(() => true);
  return condition(pred, Math.max(left, 1));
}

/** The queue's treatment and timeouts as configured now: a change applies at the next decision. */
const rules = (run: Run) => queueRules({ queue: run.record.queue });

const expire = (run: Run) => enact(run, expired(run.record, Date.now()));

async function paused(run: Run): Promise<void> {
  const seen = run.changes;
  if (!(await beforeExpiry(run, () => run.record.stage !== 'paused' || run.changes !== seen))) expire(run);
}

async function waiting(run: Run): Promise<'continue-as-new' | void> {
  if (historyIsLong(run)) return 'continue-as-new';
  const seen = run.changes;
  const wait = Math.min(Date.parse(run.record.dueAt) - Date.now(), timeLeft(run.record, Date.now()));
  if (wait > 0 && (await condition(() => run.changes !== seen, wait))) return; // changed: look again
  if (timeLeft(run.record, Date.now()) <= 0) return expire(run);
  enact(run, becameDue(run.record, Date.now()));
}

/**
 * How long a record held back by its queue's business hours waits before it reads them again: an
 * administrator may change the hours or holidays meanwhile, and no message tells the record.
 */
const HOURS_RECHECK_MS = 3_600_000;

/**
 * Whether a due record may ask its queue's gate for a place now: the queue is open (its hours and
 * holidays, at the workflow's now), or the record is an appointment (its schedule decided its
 * time). If not, waits until the queue opens, the record changes, or HOURS_RECHECK_MS pass, and
 * answers false so that due() looks again. A record that waits has not asked the gate, so it asks
 * at the opening with its own priority and rankAt: its place in line is kept.
 */
async function openForRouting(run: Run, seen: number): Promise<boolean> {
  const { openNow, opensAt, appointment } = await queueRules({ queue: run.record.queue, at: Date.now(), recordId: run.record.id });
  if (run.changes !== seen || run.record.stage !== 'due') return false;
  if (openNow || appointment) return true;
  const untilOpen = opensAt === null ? HOURS_RECHECK_MS : Math.max(Date.parse(opensAt) - Date.now(), 1);
  const left = timeLeft(run.record, Date.now());
  if (left <= 0) {
    expire(run);
    return false;
  }
  await condition(() => run.changes !== seen || run.record.stage !== 'due', Math.min(untilOpen, HOURS_RECHECK_MS, Math.max(left, 1)));
  if (run.changes === seen && run.record.stage === 'due' && timeLeft(run.record, Date.now()) <= 0) expire(run);
  return false;
}

async function due(run: Run): Promise<void> {
  const seen = run.changes;
  if (run.permitQueue === null) {
    // A record due while its queue is closed waits for the opening. One that holds or waits for a
    // permit already (asked while open) keeps it: it is in line, and the queue's agents meet it
    // when they come; an offered record is left alone when the queue closes, for the same reason.
    if (patched('business-hours') && !(await openForRouting(run, seen))) return;
    run.permitQueue = run.record.queue;
    run.permitTicket = run.record.version;
    const { id, priority, rankAt } = run.record;
    await requestPermit({ queue: run.permitQueue, waiter: { recordId: id, priority, rankAt, ticket: run.permitTicket } });
  }
  if (!(await beforeExpiry(run, () => run.permit || run.record.stage !== 'due' || run.changes !== seen))) return expire(run);
  if (run.record.stage !== 'due' || !run.permit) return;
  run.offerDeadline = null;
  enact(run, offered(run.record, Date.now()));
}

async function offer(run: Run): Promise<'continue-as-new' | void> {
  // An offer nobody takes is renewed again and again: its history must not grow without end.
  if (historyIsLong(run)) return 'continue-as-new';
  if (patched('pushed-routing') && (await offerPushed(run)) !== 'pull') return;
  const seen = run.changes;
  if (run.offerDeadline === null) {
    const { offerTimeoutSeconds } = await rules(run);
    run.offerDeadline = Date.now() + offerTimeoutSeconds * 1000;
  }
  const left = Math.max(Math.min(run.offerDeadline - Date.now(), timeLeft(run.record, Date.now())), 1);
  const woke = await condition(
    () => run.record.stage !== 'offered' || run.refusals.length > 0 || run.changes !== seen || run.reservation !== null,
    left,
  );
  if (run.refusals.length > 0) return takeRefusals(run);
  if (woke || run.record.stage !== 'offered') return;
  if (timeLeft(run.record, Date.now()) <= 0) return expire(run);
  if (run.record.waitingListOf) return enact(run, offeredToQueue(run.record, Date.now()));
  const { treatment } = await rules(run);
  if (run.refusals.length > 0) return takeRefusals(run); // a refusal came in while the rules were read
  if (run.record.stage !== 'offered') return; // accepted while the rules were read
  enact(run, lostDuringRouting(run.record, treatment, Date.now()));
}

/** How often a record nobody is available for looks again, besides being told when an agent becomes available. */
const LOOK_AGAIN_MS = 30_000;

/**
 * Pushed routing: the record is reserved for one available agent who serves its queue (its
 * waiting list's owner only, until the offer timeout sends it to the queue) and waits for that
 * agent's answer until the queue's offer timeout; unanswered, the agent goes away ("no answer")
 * and the next available agent gets it. With nobody available it waits in its place in line,
 * reserved as soon as an agent is (the agent's side reserves it and signals). `pull`: no agent in
 * the directory serves the queue; agents take its records themselves, as before.
 */
async function offerPushed(run: Run): Promise<'pull' | void> {
  const seen = run.changes;
  if (run.reservation === null) {
    const { id, queue, waitingListOf, refusedBy } = run.record;
    const found = await reserveAgent({ recordId: id, queue, waitingListOf, refusedBy });
    if (found.kind === 'reserved' && run.reservation === null) run.reservation = found.reservation;
    if (found.kind === 'pull' && run.reservation === null) return 'pull';
    // Changed while asking: the loop lets go of a reservation the record no longer needs.
    if (run.record.stage !== 'offered' || run.changes !== seen) return;
  }
  const reservation = run.reservation;
  const now = Date.now();
  if (reservation !== null) {
    const left = Math.max(Math.min(Date.parse(reservation.until) - now, timeLeft(run.record, now)), 1);
    const woke = await condition(
      () => run.record.stage !== 'offered' || run.refusals.length > 0 || run.changes !== seen || run.reservation !== reservation,
      left,
    );
    if (run.refusals.length > 0) {
      await takeRefusals(run);
      if (run.reservation && run.record.refusedBy.includes(run.reservation.agentId)) await letGoOfReservation(run, false);
      return;
    }
    if (woke) return;
    if (timeLeft(run.record, Date.now()) <= 0) return expire(run);
    return letGoOfReservation(run, true);
  }
  if (run.record.waitingListOf && run.offerDeadline === null) {
    const { offerTimeoutSeconds } = await rules(run);
    run.offerDeadline = Date.now() + offerTimeoutSeconds * 1000;
  }
  const limits = [LOOK_AGAIN_MS, timeLeft(run.record, now), ...(run.record.waitingListOf ? [run.offerDeadline! - now] : [])];
  const woke = await condition(
    () => run.record.stage !== 'offered' || run.refusals.length > 0 || run.changes !== seen || run.reservation !== null,
    Math.max(Math.min(...limits), 1),
  );
  if (run.refusals.length > 0) return takeRefusals(run);
  if (woke) return;
  if (timeLeft(run.record, Date.now()) <= 0) return expire(run);
  if (run.record.waitingListOf && Date.now() >= run.offerDeadline!) return enact(run, offeredToQueue(run.record, Date.now()));
}

async function takeRefusals(run: Run): Promise<void> {
  const { treatment } = await rules(run);
  for (const refusal of [...run.refusals]) {
    enact(run, refused(run.record, refusal, treatment, Date.now()));
    run.refusals.splice(run.refusals.indexOf(refusal), 1);
  }
}

/** After an attempt's outcome, with the treatment as it is now. */
async function afterOutcome(run: Run, outcome: CountedOutcome, fb?: FeedbackInput): Promise<void> {
  const { treatment } = await rules(run);
  enact(run, decided(run.record, outcome, treatment, Date.now(), fb));
}

async function call(run: Run): Promise<void> {
  enact(run, dialling(run.record, Date.now()));
  const { record } = run;
  const request = { callId: callIdOf(record), recordId: record.id, phone: record.phone };
  const { outcome, detail } = patched('telephony-dial')
    ? await placeCall({ ...request, queue: record.queue, agentId: record.agentId })
    : { outcome: await dial(request), detail: undefined };
  if (outcome === 'agent-not-reached') return enact(run, agentNotReached(run.record, detail ?? {}, Date.now()));
  enact(run, dialled(run.record, outcome, Date.now(), detail));
  if (outcome !== 'answered') return afterOutcome(run, outcome);
  const fb = await wrapUp(run);
  if (fb === null) return afterOutcome(run, 'agent-client-terminated');
  enact(run, feedbackGiven(run.record, fb, Date.now()));
  if (fb.outcome !== 'completed') return afterOutcome(run, fb.outcome, fb);
}

/** The agent's feedback; null when none came within the queue's wrap-up limit. */
async function wrapUp(run: Run): Promise<FeedbackInput | null> {
  run.awaitingFeedback = true;
  if (patched('wrap-up-limit')) {
    // Without a limit, an agent whose client died without telling anyone would hold the record
    // and its place in the queue for ever.
    const { wrapUpTimeoutSeconds } = await rules(run);
    if (!(await condition(() => run.feedback !== null, wrapUpTimeoutSeconds * 1000))) {
      run.awaitingFeedback = false;
      enact(run, wrapUpTimedOut(run.record, wrapUpTimeoutSeconds, Date.now()));
      return null;
    }
  } else {
    await condition(() => run.feedback !== null);
  }
  run.awaitingFeedback = false;
  const fb = run.feedback!;
  run.feedback = null;
  return fb;
}

/** One step of the record in its current stage; says when the run should hand over to a new one. */
function advance(run: Run): Promise<'continue-as-new' | void> {
  switch (run.record.stage) {
    case 'paused':
      return paused(run);
    case 'waiting':
      return waiting(run);
    case 'due':
      return due(run);
    case 'offered':
      return offer(run);
    default:
      return call(run);
  }
}

/** Everything saved, no stray permit and no message in flight: the run's state is all in `record`. */
const settled = (run: Run) =>
  run.unsaved.length === 0 &&
  run.savedVersion >= run.record.version &&
  run.strayPermits.length === 0 &&
  run.strayReservations.length === 0 &&
  run.refusals.length === 0 &&
  allHandlersFinished();

async function recordLifecycle(input: CallbackWorkflowInput): Promise<CallbackRecord> {
  const run = startRun(input);
  registerHandlers(run);
  keepSaving(run);
  describe(run.record);
  if (!input.resumeFrom) enact(run, scheduled(run.record, Date.now()));
  keepReturningStrayPermits(run);
  keepReturningStrayReservations(run);

  /** Set when this run hands over to a new one: after the loop, so that the permit goes with it. */
  let handOver: CallbackWorkflowInput | null = null;
  try {
    while (run.record.stage !== 'closed') {
      if (run.reservation !== null && run.record.stage !== 'offered') await letGoOfReservation(run, false);
      if (!IN_QUEUE.includes(run.record.stage)) await leaveQueue(run);
      // Refusals that came in as the record left the queue are recorded without a decision.
      if (run.refusals.length > 0 && run.record.stage !== 'offered') await takeRefusals(run);
      if ((await advance(run)) !== 'continue-as-new') continue;
      await condition(() => settled(run));
      const { stage } = run.record;
      if (stage !== 'waiting' && stage !== 'offered') continue; // changed meanwhile
      if (stage === 'waiting' && run.permitQueue !== null) continue; // leave the queue first
      const holding =
        stage === 'offered' && run.permitQueue !== null
          ? { queue: run.permitQueue, ticket: run.permitTicket, offerDeadline: run.offerDeadline, reservation: run.reservation }
          : undefined;
      handOver = { request: input.request, resumeFrom: run.record, holding, continueAsNewAfterEvents: input.continueAsNewAfterEvents };
      break;
    }
  } catch (err) {
    // Cancelled (an operator, or a parent): the record closes as such, and the table says so.
    if (isCancellation(err) && run.record.stage !== 'closed') {
      await CancellationScope.nonCancellable(async () => {
        enact(run, cancelled(run.record, Date.now()));
        await saved(run);
      });
    }
    throw err;
  } finally {
    if (!handOver?.holding) {
      await leaveQueue(run);
      await CancellationScope.nonCancellable(() => letGoOfReservation(run, false));
    }
  }
  if (handOver) return continueAsNew<typeof callbackRecord>(handOver);

  if (run.refusals.length > 0) await takeRefusals(run);
  await condition(() => settled(run));
  return run.record;
}
