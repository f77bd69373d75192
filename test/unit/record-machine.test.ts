// The record's transitions and checks, without Temporal: each takes a record and the clock, and
// returns the next record with its events, or a rejection.
import { describe, expect, it } from 'vitest';
import { initialRecord, requestedEvent, resumedRecord } from '../../domain/record-lifecycle.js';
import {
  accepted,
  administer,
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
  REJECTION,
  INPUT_REJECTION,
  type Step,
} from '../../domain/record-machine.js';
import { timeFault } from '../../domain/record-timing.js';
import type { CallbackRecord, Stage } from '../../domain/record.js';
import { DEFAULT_TREATMENT, type Treatment } from '../../domain/treatment.js';
import { callbackRequest } from '../support/fixtures.js';

const NOW = Date.parse('2026-03-02T10:00:00.000Z');
const MINUTE = 60_000;
const at = (minutes: number) => new Date(NOW + minutes * MINUTE).toISOString();

function record(overrides: Partial<CallbackRecord> = {}): CallbackRecord {
  return { ...initialRecord(callbackRequest({ createdAt: at(-60) })), ...overrides };
}

const inStage = (stage: Stage, overrides: Partial<CallbackRecord> = {}) => record({ stage, ...overrides });
const types = (step: Step) => step.effects.flatMap((e) => (e.kind === 'event' ? [e.event.type] : []));
const events = (step: Step) => step.effects.flatMap((e) => (e.kind === 'event' ? [e.event] : []));
const treatment = (changes: Partial<Treatment> = {}): Treatment => ({ ...structuredClone(DEFAULT_TREATMENT), ...changes });

describe('every transition', () => {
  it('numbers its events after the record’s version, stamps them with the clock and keeps the old record as it was', () => {
    const before = record({ version: 4 });
    const step = administer(before, { action: 'pause', actor: 'ann' }, NOW, { cancelByItsActor: true });
    expect(events(step)).toEqual([{ seq: 5, at: at(0), type: 'paused', actor: 'admin:ann', detail: {} }]);
    expect(step.record).toMatchObject({ version: 5, stage: 'paused', status: 'Paused' });
    expect(before).toMatchObject({ version: 4, stage: 'waiting', status: 'Open' });
  });

  it('gives each event the search attributes the record had when it happened', () => {
    const step = lostDuringRouting(inStage('offered', { dueAt: at(-5) }), treatment({ closeAfter: { 'lost-during-routing': 1 } }), NOW);
    expect(step.effects.map((e) => e.kind === 'event' && e.searchable)).toEqual([
      { status: 'Active', stage: 'offered', dueAt: at(-5) },
      { status: 'Closed', stage: 'closed', dueAt: at(-5) },
    ]);
  });

  it('keeps the record JSON-safe', () => {
    const step = refused(inStage('offered'), { agentId: 'a1', reason: 'busy' }, treatment(), NOW);
    expect(JSON.parse(JSON.stringify(step.record))).toEqual(step.record);
  });
});

describe('the way in', () => {
  it('begins waiting for its calling time, and a run continued from the first release gets the fields it lacked', () => {
    const request = callbackRequest({ requestedAt: at(30), createdAt: at(0) });
    const first = initialRecord(request);
    expect(first).toMatchObject({ stage: 'waiting', dueAt: at(30), rankAt: at(30), version: 1 });
    expect(requestedEvent(request)).toMatchObject({ seq: 1, type: 'requested', actor: 'api:crm' });
    expect(events(scheduled(first, NOW))).toEqual([
      { seq: 2, at: at(0), type: 'scheduled', actor: 'system', detail: { dueAt: at(30), waitingListOf: null } },
    ]);
    const { waitingListOf: _w, refusedBy: _r, closeRequest: _c, copiedFrom: _f, ...v1 } = first;
    expect(resumedRecord(v1 as CallbackRecord)).toMatchObject({ waitingListOf: null, refusedBy: [], closeRequest: null, copiedFrom: null });
  });

  it('records a duplicate request in its history', () => {
    expect(events(duplicateRequested(record(), { actor: 'web:site', requestedAt: null }, NOW))).toEqual([
      expect.objectContaining({ type: 'duplicate-requested', actor: 'web:site', detail: { requestedAt: null } }),
    ]);
  });

  it('becomes due in its queue, then offered with no refusals yet', () => {
    const due = becameDue(record(), NOW);
    expect(due.record.stage).toBe('due');
    expect(types(due)).toEqual(['due']);
    const offer = offered({ ...due.record, refusedBy: ['a9'] }, NOW);
    expect(offer.record).toMatchObject({ stage: 'offered', status: 'Active', refusedBy: [] });
    expect(types(offer)).toEqual(['offered']);
  });
});

describe('an offer', () => {
  it('from a waiting list nobody takes goes to the whole queue with a fresh offer', () => {
    const step = offeredToQueue(inStage('offered', { waitingListOf: 'a1' }), NOW);
    expect(step.record.waitingListOf).toBeNull();
    expect(step.freshOffer).toBe(true);
    expect(events(step)[0]).toMatchObject({ type: 'offer-timeout', detail: { waitingListOf: 'a1', to: 'queue' } });
  });

  it('nobody takes is lost during routing: Postpone 0 keeps it offered, in its place, with a fresh offer', () => {
    const step = lostDuringRouting(inStage('offered', { refusedBy: ['a1'] }), treatment(), NOW);
    expect(step.record).toMatchObject({ stage: 'offered', refusedBy: [], latestOutcome: 'lost-during-routing' });
    expect(step.record.outcomeCounts).toEqual({ 'lost-during-routing': 1 });
    expect(step.freshOffer).toBe(true);
    expect(types(step)).toEqual(['offer-timeout']);
  });

  it('lost during routing once too often closes', () => {
    const step = lostDuringRouting(inStage('offered'), treatment({ closeAfter: { 'lost-during-routing': 1 } }), NOW);
    expect(step.record).toMatchObject({ stage: 'closed', closeReason: 'outcome-limit-reached', closedAt: at(0) });
    expect(types(step)).toEqual(['offer-timeout', 'closed']);
  });

  it('taken by an agent holds the record for them', () => {
    const step = accepted(inStage('offered'), 'a1', NOW);
    expect(step.record).toMatchObject({ stage: 'accepted', agentId: 'a1', latestAgent: 'a1' });
    expect(events(step)[0]).toMatchObject({ type: 'accepted', actor: 'agent:a1' });
    expect(isHeldBy(step.record, 'a1')).toBe(true);
    expect(isHeldBy(step.record, 'a2')).toBe(false);
  });

  it('refused stays in the queue for the others, and sends a waiting-list record to the whole queue', () => {
    const step = refused(inStage('offered', { waitingListOf: 'a1' }), { agentId: 'a1', reason: 'lunch' }, treatment(), NOW);
    expect(step.record).toMatchObject({ stage: 'offered', refusedBy: ['a1'], waitingListOf: null });
    expect(step.freshOffer).toBe(true);
    expect(events(step)[0]).toMatchObject({
      type: 'refused',
      actor: 'agent:a1',
      detail: { reason: 'lunch', decision: { action: 'postpone', delayMinutes: 0 }, to: 'queue' },
    });
  });

  it('refused with Postpone by N goes back to waiting, keeping its place in line', () => {
    const onOutcome = { ...DEFAULT_TREATMENT.onOutcome, refused: { action: 'postpone' as const, delayMinutes: 10 } };
    const step = refused(inStage('offered', { rankAt: at(-60) }), { agentId: 'a1', reason: 'no' }, treatment({ onOutcome }), NOW);
    expect(step.record).toMatchObject({ stage: 'waiting', dueAt: at(10), rankAt: at(-60) });
    expect(types(step)).toEqual(['refused', 'postponed']);
  });

  it('refused after it left the queue is recorded without a decision', () => {
    const step = refused(inStage('accepted', { agentId: 'a2' }), { agentId: 'a1', reason: 'no' }, treatment(), NOW);
    expect(step.record).toMatchObject({ stage: 'accepted', refusedBy: [] });
    expect(events(step)[0]).toMatchObject({ type: 'refused', detail: { reason: 'no' } });
  });
});

describe('a call', () => {
  it('dials a new attempt with a call id of its own', () => {
    const step = dialling(inStage('accepted', { agentId: 'a1', attempts: 1 }), NOW);
    expect(step.record).toMatchObject({ stage: 'dialling', attempts: 2, latestCallAt: at(0) });
    expect(callIdOf(step.record)).toBe(`${step.record.id}:2`);
    expect(events(step)[0]).toMatchObject({ type: 'dialling', actor: 'agent:a1', detail: { attempt: 2, callId: callIdOf(step.record) } });
  });

  it('answered is connected; another outcome is counted and stays for the decision', () => {
    const answered = dialled(inStage('dialling', { attempts: 1 }), 'answered', NOW);
    expect(answered.record).toMatchObject({ stage: 'connected', latestOutcome: 'answered' });
    const busy = dialled(inStage('dialling', { attempts: 1 }), 'busy', NOW);
    expect(busy.record).toMatchObject({ stage: 'dialling', outcomeCounts: { busy: 1 } });
    expect(events(busy)[0]).toMatchObject({ type: 'dialled', actor: 'dialler', detail: { attempt: 1, outcome: 'busy' } });
  });

  it('completed in wrap-up closes the record', () => {
    const step = feedbackGiven(inStage('connected', { agentId: 'a1' }), { agentId: 'a1', outcome: 'completed' }, NOW);
    expect(step.record).toMatchObject({ stage: 'closed', closeReason: 'completed', agentId: null });
    expect(types(step)).toEqual(['feedback', 'closed']);
  });

  it('no feedback within the wrap-up limit counts as the agent’s client terminated', () => {
    const step = wrapUpTimedOut(inStage('connected', { agentId: 'a1' }), 90, NOW);
    expect(step.record.outcomeCounts).toEqual({ 'agent-client-terminated': 1 });
    expect(events(step)[0]).toMatchObject({ type: 'wrap-up-timeout', detail: { agentId: 'a1', wrapUpTimeoutSeconds: 90 } });
  });
});

describe('the decision after an outcome', () => {
  const afterBusy = (overrides: Partial<CallbackRecord> = {}) =>
    inStage('dialling', { agentId: 'a1', attempts: 1, outcomeCounts: { busy: 1 }, rankAt: at(-60), ...overrides });

  it('postpones by the treatment, keeping the place in line', () => {
    const step = decided(afterBusy(), 'busy', treatment(), NOW);
    expect(step.record).toMatchObject({ stage: 'waiting', agentId: null, dueAt: at(5), rankAt: at(-60) });
    expect(events(step)[0]).toMatchObject({ type: 'postponed', detail: { outcome: 'busy', delayMinutes: 5, dueAt: at(5) } });
  });

  it('expires when the postponed time is past the validity', () => {
    const step = decided(afterBusy({ validUntil: at(2) }), 'busy', treatment(), NOW);
    expect(step.record).toMatchObject({ stage: 'closed', closeReason: 'expired', latestOutcome: 'expired' });
  });

  it('closes by the treatment, naming the threshold', () => {
    const step = decided(afterBusy({ attempts: 3 }), 'busy', treatment(), NOW);
    expect(events(step)[0]).toMatchObject({ type: 'closed', detail: { reason: 'too-many-attempts', outcome: 'busy', threshold: 3 } });
  });

  it('closes first for an administrator who closed it during the call', () => {
    const step = decided(afterBusy({ closeRequest: { actor: 'admin:ann', at: at(-1) } }), 'busy', treatment(), NOW);
    expect(step.record).toMatchObject({ stage: 'closed', closeReason: 'closed-by-administrator' });
    expect(events(step)[0]).toMatchObject({ actor: 'admin:ann', detail: { reason: 'closed-by-administrator', outcome: 'busy' } });
  });

  it('reschedules reestablish-later to the customer’s time, on the agent’s own waiting list', () => {
    const fb = { agentId: 'a1', outcome: 'reestablish-later' as const, requestedAt: at(120), toOwnWaitingList: true };
    const step = decided(inStage('connected', { agentId: 'a1', attempts: 1 }), 'reestablish-later', treatment(), NOW, fb);
    expect(step.record).toMatchObject({ stage: 'waiting', dueAt: at(120), rankAt: at(120), waitingListOf: 'a1', agentId: null });
    expect(events(step)[0]).toMatchObject({ type: 'rescheduled', actor: 'agent:a1' });
  });
});

describe('administer', () => {
  const admin = (r: CallbackRecord, a: Parameters<typeof administer>[1], cancelByItsActor = true) =>
    administer(r, a, NOW, { cancelByItsActor });

  it('pauses and enables', () => {
    expect(admin(record(), { action: 'pause', actor: 'ann' }).record.stage).toBe('paused');
    const enabled = admin(inStage('paused'), { action: 'enable', actor: 'ann' });
    expect(enabled.record.stage).toBe('waiting');
    expect(events(enabled)[0]).toMatchObject({ type: 'enabled', detail: { dueAt: enabled.record.dueAt } });
  });

  it('closes at once, or marks a record in a call Closing until the call ends', () => {
    const closed = admin(record(), { action: 'close', actor: 'ann', comment: 'done' });
    expect(closed.record).toMatchObject({ stage: 'closed', closeReason: 'closed-by-administrator' });
    expect(events(closed)[0]).toMatchObject({ actor: 'admin:ann', detail: { reason: 'closed-by-administrator', comment: 'done' } });
    const closing = admin(inStage('connected', { agentId: 'a1' }), { action: 'close', actor: 'ann' });
    expect(closing.record).toMatchObject({ stage: 'connected', status: 'Closing', closeRequest: { actor: 'admin:ann', at: at(0) } });
    expect(types(closing)).toEqual(['closing']);
  });

  it('deletes, and cancels in the name of whoever cancels (the customer’s before the patch)', () => {
    expect(admin(record(), { action: 'delete', actor: 'ann' }).record.closeReason).toBe('deleted');
    expect(events(admin(record(), { action: 'cancel', actor: 'ann' }))[0]!.actor).toBe('admin:ann');
    expect(events(admin(record(), { action: 'cancel', actor: 'ann' }, false))[0]!.actor).toBe('customer:ann');
    expect(events(admin(record(), { action: 'cancel', actor: 'customer:c1' }, false))[0]!.actor).toBe('customer:c1');
  });

  it('changes fields, says before and after, and sends a due record back to waiting when its place in line changes', () => {
    const r = inStage('due', { phone: '+46700000001', priority: 5, rankAt: at(-60) });
    const step = admin(r, { action: 'change', actor: 'ann', changes: { phone: '+46700000002', priority: 2, requestedAt: at(30) } });
    expect(step.record).toMatchObject({ stage: 'waiting', phone: '+46700000002', priority: 2, dueAt: at(30), rankAt: at(30) });
    expect(step.effects[0]).toEqual({
      kind: 'described',
      searchable: { queue: r.queue, orgArea: r.orgArea, phone: '+46700000002', priority: 2 },
    });
    expect(events(step)[0]).toMatchObject({
      type: 'changed',
      detail: {
        before: { phone: '+46700000001', priority: 5, requestedAt: null },
        after: { phone: '+46700000002', priority: 2, requestedAt: at(30) },
      },
    });
  });

  it('a change to as soon as possible keeps the place in line; a new queue leaves the waiting list', () => {
    const r = inStage('offered', { requestedAt: at(-10), rankAt: at(-10), waitingListOf: 'a1' });
    const asap = admin(r, { action: 'change', actor: 'ann', changes: { requestedAt: null } });
    expect(asap.record).toMatchObject({ stage: 'offered', dueAt: at(0), rankAt: at(-10) });
    const moved = admin(r, { action: 'change', actor: 'ann', changes: { queue: { name: 'sales', orgArea: 'north' } } });
    expect(moved.record).toMatchObject({ stage: 'waiting', queue: 'sales', orgArea: 'north', waitingListOf: null });
  });
});

describe('the end', () => {
  it('expires as End contact - Automatic, and a cancelled workflow closes as cancelled', () => {
    expect(expired(record(), NOW).record).toMatchObject({ stage: 'closed', closeReason: 'expired', outcomeCounts: { expired: 1 } });
    expect(cancelled(inStage('offered'), NOW).record).toMatchObject({ stage: 'closed', closeReason: 'cancelled' });
  });

  it('time left runs to the validity, or for ever', () => {
    expect(timeLeft(record({ validUntil: at(3) }), NOW)).toBe(3 * MINUTE);
    expect(timeLeft(record(), NOW)).toBe(Infinity);
  });
});

describe('checks', () => {
  const rejection = (type: string) => expect.objectContaining({ kind: 'rejected', type });

  it('refuse text that cannot be stored, whatever the state', () => {
    expect(checkAccept(inStage('offered'), { agentId: 'a\u0000' })).toEqual(rejection(INPUT_REJECTION.invalidText));
    expect(checkRefuse(inStage('offered'), { agentId: 'a1', reason: '\ud800' }, [])).toEqual(rejection(INPUT_REJECTION.invalidText));
    expect(checkAdmin(record(), { action: 'close', actor: 'ann', comment: 'x\u0000' }, NOW)).toEqual(
      rejection(INPUT_REJECTION.invalidText),
    );
    expect(checkFeedback(inStage('closed'), { agentId: 'a1', outcome: 'completed', comment: '\u0000' }, false, NOW)).toEqual(
      rejection(INPUT_REJECTION.invalidText),
    );
  });

  it('accept: an offer, not someone else’s waiting list, not one the agent refused; the holder again; nobody else', () => {
    expect(checkAccept(inStage('offered'), { agentId: 'a1' })).toBeNull();
    expect(checkAccept(inStage('offered', { waitingListOf: 'a2' }), { agentId: 'a1' })).toEqual(rejection(REJECTION.offeredToAnother));
    expect(checkAccept(inStage('offered', { refusedBy: ['a1'] }), { agentId: 'a1' })).toEqual(rejection(REJECTION.alreadyRefused));
    expect(checkAccept(inStage('dialling', { agentId: 'a1' }), { agentId: 'a1' })).toBeNull();
    expect(checkAccept(inStage('dialling', { agentId: 'a2' }), { agentId: 'a1' })).toEqual(rejection(REJECTION.takenByAnother));
    expect(checkAccept(inStage('closed'), { agentId: 'a1' })).toEqual(rejection(REJECTION.closed));
    expect(checkAccept(inStage('waiting'), { agentId: 'a1' })).toEqual(rejection(REJECTION.notOffered));
  });

  it('refuse: an offer, once per agent, counting refusals not yet decided on', () => {
    expect(checkRefuse(inStage('offered'), { agentId: 'a1', reason: 'no' }, [])).toBeNull();
    expect(checkRefuse(inStage('offered'), { agentId: 'a1', reason: 'no' }, [{ agentId: 'a1', reason: 'no' }])).toEqual(
      rejection(REJECTION.alreadyRefused),
    );
    expect(checkRefuse(inStage('offered', { refusedBy: ['a1'] }), { agentId: 'a1', reason: 'no' }, [])).toEqual(
      rejection(REJECTION.alreadyRefused),
    );
    expect(checkRefuse(inStage('offered', { waitingListOf: 'a2' }), { agentId: 'a1', reason: 'no' }, [])).toEqual(
      rejection(REJECTION.offeredToAnother),
    );
    expect(checkRefuse(inStage('closed'), { agentId: 'a1', reason: 'no' }, [])).toEqual(rejection(REJECTION.closed));
    expect(checkRefuse(inStage('due'), { agentId: 'a1', reason: 'no' }, [])).toEqual(rejection(REJECTION.notOffered));
  });

  it('feedback: from the agent on the call, once, with a future time within the validity for reestablish-later', () => {
    const onCall = inStage('connected', { agentId: 'a1', validUntil: at(60) });
    expect(checkFeedback(onCall, { agentId: 'a1', outcome: 'completed' }, true, NOW)).toBeNull();
    expect(checkFeedback(onCall, { agentId: 'a2', outcome: 'completed' }, true, NOW)).toEqual(rejection(REJECTION.notOnCall));
    expect(checkFeedback(onCall, { agentId: 'a1', outcome: 'completed' }, false, NOW)).toEqual(rejection(REJECTION.notOnCall));
    expect(checkFeedback(onCall, { agentId: 'a1', outcome: 'completed', toOwnWaitingList: true }, true, NOW)).toMatchObject({
      type: REJECTION.invalidTime,
      message: 'only reestablish-later goes to a waiting list',
    });
    const later = (requestedAt?: string) => checkFeedback(onCall, { agentId: 'a1', outcome: 'reestablish-later', requestedAt }, true, NOW);
    expect(later(at(30))).toBeNull();
    expect(later(undefined)).toMatchObject({ type: REJECTION.invalidTime, message: 'reestablish-later needs a requestedAt in the future' });
    expect(later(at(0))).toMatchObject({ type: REJECTION.invalidTime, message: 'reestablish-later needs a requestedAt in the future' });
    expect(later(at(90))).toMatchObject({ type: REJECTION.invalidTime, message: 'requestedAt is after the record is valid until' });
  });

  it('administer: nothing on a closed record, nothing but close during a call', () => {
    const check = (r: CallbackRecord, a: Parameters<typeof checkAdmin>[1]) => checkAdmin(r, a, NOW);
    const inACall = inStage('connected', { agentId: 'a1' });
    for (const action of ['pause', 'enable', 'close', 'cancel', 'delete'] as const) {
      expect(check(inStage('closed'), { action, actor: 'ann' })).toEqual(rejection(REJECTION.closed));
    }
    for (const action of ['pause', 'cancel', 'delete'] as const) {
      expect(check(inACall, { action, actor: 'ann' })).toEqual(rejection(REJECTION.inCall));
    }
    expect(check(inACall, { action: 'change', actor: 'ann', changes: {} })).toMatchObject({
      message: 'the record is in a call; change it after the call',
    });
    expect(check(inStage('dialling'), { action: 'pause', actor: 'ann' })).toMatchObject({
      message: 'the record is being dialled; pause it after the call',
    });
    expect(check(inACall, { action: 'close', actor: 'ann' })).toBeNull();
    expect(check({ ...inACall, closeRequest: { actor: 'admin:ann', at: at(-1) } }, { action: 'close', actor: 'ann' })).toEqual(
      rejection(REJECTION.alreadyClosing),
    );
    expect(check(inStage('paused'), { action: 'pause', actor: 'ann' })).toEqual(rejection(REJECTION.alreadyPaused));
    expect(check(inStage('waiting'), { action: 'enable', actor: 'ann' })).toEqual(rejection(REJECTION.notPaused));
    expect(check(inStage('paused'), { action: 'enable', actor: 'ann' })).toBeNull();
    expect(check(record(), { action: 'cancel', actor: 'customer:c1' })).toBeNull();
  });

  it('administer: a change keeps the time rule against what the record keeps', () => {
    const r = record({ dueAt: at(30), validUntil: at(60) });
    const change = (changes: Parameters<typeof timeFault>[0]) => checkAdmin(r, { action: 'change', actor: 'ann', changes }, NOW);
    expect(change({ requestedAt: at(45) })).toBeNull();
    expect(change({ requestedAt: at(-1) })).toMatchObject({ type: REJECTION.invalidTime, message: 'requestedAt is in the past' });
    expect(change({ requestedAt: at(90) })).toMatchObject({ message: 'requestedAt is after the record is valid until' });
    expect(change({ requestedAt: at(90), validUntil: null })).toBeNull();
    expect(change({ validUntil: at(-1) })).toMatchObject({ message: 'validUntil is in the past' });
    expect(change({ validUntil: at(20) })).toMatchObject({ message: 'validUntil is before the record is due to be called' });
    expect(change({ requestedAt: null, validUntil: at(20) })).toBeNull();
  });
});

describe('the time rule', () => {
  it('of a request: both times ahead, the calling time not after the validity', () => {
    expect(timeFault({}, NOW)).toBeNull();
    expect(timeFault({ requestedAt: null, validUntil: null }, NOW)).toBeNull();
    expect(timeFault({ requestedAt: at(10), validUntil: at(20) }, NOW)).toBeNull();
    expect(timeFault({ requestedAt: at(0) }, NOW)).toEqual({ field: 'requestedAt', rule: 'in-the-past' });
    expect(timeFault({ validUntil: at(-1) }, NOW)).toEqual({ field: 'validUntil', rule: 'in-the-past' });
    expect(timeFault({ requestedAt: at(30), validUntil: at(-1) }, NOW)).toEqual({ field: 'validUntil', rule: 'in-the-past' });
    expect(timeFault({ requestedAt: at(30), validUntil: at(20) }, NOW)).toEqual({ field: 'requestedAt', rule: 'after-valid-until' });
  });

  it('of a change: measured against the times the record keeps', () => {
    const kept = { dueAt: at(30), validUntil: at(60) };
    expect(timeFault({ requestedAt: at(90) }, NOW, kept)).toEqual({ field: 'requestedAt', rule: 'after-valid-until' });
    expect(timeFault({ validUntil: at(20) }, NOW, kept)).toEqual({ field: 'validUntil', rule: 'before-due' });
    expect(timeFault({ validUntil: at(20), requestedAt: at(10) }, NOW, kept)).toBeNull();
  });
});
