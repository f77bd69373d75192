// The record workflow as first released, frozen: runs started before the 'record-lifecycle-v2'
// patch replay on this code (see callback.ts). It goes, with treatment-v1.ts, its unit test and
// the histories not named v2-*, once the README's count of such runs ("Removing the first record
// workflow") is 0; callback.ts then calls deprecatePatch('record-lifecycle-v2') in its place.
import {
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { initialRecord, requestedEvent } from '../domain/record-lifecycle.js';
import {
  STATUS_OF_STAGE,
  type CallbackRecord,
  type CloseReason,
  type HistoryEvent,
  type HistoryEventType,
  type Outcome,
} from '../domain/record.js';
import { decide, type Decision } from './treatment-v1.js';
import {
  REJECTION,
  LEGACY_PHONE_ATTRIBUTE,
  SEARCH_ATTRIBUTES,
  acceptUpdate,
  duplicateRequestedSignal,
  feedbackUpdate,
  recordQuery,
  type CallbackWorkflowInput,
  type FeedbackInput,
} from './callback-contract.js';
import { permitGrantedSignal } from './queue-gate-contract.js';

const { saveRecord, requestPermit, releasePermit } = proxyActivities<Activities>({
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

const rejection = (type: string, message: string) => ApplicationFailure.create({ type, message, nonRetryable: true });

export async function callbackRecordV1({ request, resumeFrom }: CallbackWorkflowInput): Promise<CallbackRecord> {
  const record: CallbackRecord = resumeFrom ?? initialRecord(request);
  const unsaved: HistoryEvent[] = resumeFrom ? [] : [requestedEvent(request)];
  let savedVersion = resumeFrom?.version ?? 0;
  let feedback: FeedbackInput | null = null;

  const now = () => new Date(Date.now()).toISOString();
  const until = (iso: string) => Date.parse(iso) - Date.now();
  const expiresIn = () => (record.validUntil ? until(record.validUntil) : Infinity);

  function emit(type: HistoryEventType, actor: string, detail: Record<string, unknown> = {}): void {
    record.status = STATUS_OF_STAGE[record.stage];
    record.version += 1;
    unsaved.push({ seq: record.version, at: now(), type, actor, detail });
    upsertSearchAttributes([
      { key: SEARCH_ATTRIBUTES.status, value: record.status },
      { key: SEARCH_ATTRIBUTES.stage, value: record.stage },
      { key: SEARCH_ATTRIBUTES.dueAt, value: new Date(record.dueAt) },
    ]);
  }

  const saved = (version = record.version) => condition(() => savedVersion >= version);

  setHandler(recordQuery, () => record);
  setHandler(duplicateRequestedSignal, ({ actor, requestedAt }) => emit('duplicate-requested', actor, { requestedAt }));

  setHandler(
    acceptUpdate,
    async ({ agentId }) => {
      if (record.agentId === agentId && record.stage !== 'offered') return { ...record };
      record.stage = 'accepted';
      record.agentId = agentId;
      record.latestAgent = agentId;
      emit('accepted', `agent:${agentId}`);
      const snapshot = { ...record };
      await saved(snapshot.version);
      return snapshot;
    },
    {
      validator: ({ agentId }) => {
        if (record.stage === 'offered') return;
        const held = record.stage === 'accepted' || record.stage === 'dialling' || record.stage === 'connected';
        if (held && record.agentId === agentId) return;
        if (held) throw rejection(REJECTION.takenByAnother, 'another agent has accepted this record');
        if (record.stage === 'closed') throw rejection(REJECTION.closed, 'the record is closed and takes no more actions');
        throw rejection(REJECTION.notOffered, `the record is not offered to agents (status ${record.status})`);
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
      const snapshot = { ...record };
      await saved(snapshot.version);
      return snapshot;
    },
    {
      validator: ({ agentId, outcome, requestedAt }) => {
        if (record.stage !== 'connected' || record.agentId !== agentId || feedback) {
          throw rejection(REJECTION.notOnCall, `agent ${agentId} is not on a call with this record`);
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
      await saveRecord({ record: { ...record }, events });
      savedVersion = events[events.length - 1]!.seq;
    }
  });

  upsertSearchAttributes([
    { key: SEARCH_ATTRIBUTES.queue, value: record.queue },
    { key: SEARCH_ATTRIBUTES.orgArea, value: record.orgArea },
    { key: LEGACY_PHONE_ATTRIBUTE, value: record.phone },
    { key: SEARCH_ATTRIBUTES.priority, value: record.priority },
  ]);
  if (!resumeFrom) emit('scheduled', 'system', { dueAt: record.dueAt });

  function close(reason: CloseReason, actor = 'system'): void {
    record.stage = 'closed';
    record.closeReason = reason;
    record.closedAt = now();
    record.agentId = null;
    emit('closed', actor, { reason });
  }

  function count(outcome: Outcome): void {
    record.latestOutcome = outcome;
    record.outcomeCounts[outcome] = (record.outcomeCounts[outcome] ?? 0) + 1;
  }

  function apply(decision: Decision, outcome: Outcome): void {
    if (decision.action === 'close') return close(decision.reason);
    const dueAt = new Date(Date.now() + decision.delayMinutes * MINUTE).toISOString();
    if (record.validUntil && dueAt > record.validUntil) return close('expired');
    record.stage = 'waiting';
    record.agentId = null;
    record.dueAt = dueAt; // rankAt stays: a retry keeps its place in line
    emit('postponed', 'system', { outcome, delayMinutes: decision.delayMinutes, dueAt });
  }

  // The queue's gate admits a due record into its queue; the permit is held while the record is
  // offered, dialled, in a call or in wrap-up, and given back whatever ends that.
  let wantsPermit = false;
  let permit = false;
  let strayPermits = 0;
  setHandler(permitGrantedSignal, () => {
    if (wantsPermit) permit = true;
    else strayPermits += 1; // granted after this record gave up waiting: hand it straight back
  });
  void CancellationScope.nonCancellable(async () => {
    for (;;) {
      await condition(() => strayPermits > 0);
      await releasePermit({ queue: record.queue, recordId: record.id });
      strayPermits -= 1;
    }
  });

  async function leaveQueue(): Promise<void> {
    if (!wantsPermit) return;
    wantsPermit = false;
    permit = false;
    await CancellationScope.nonCancellable(() => releasePermit({ queue: record.queue, recordId: record.id }));
  }

  /** Waits for `pred` until the record expires; false when it expired first. */
  function beforeExpiry(pred: () => boolean): Promise<boolean> {
    const left = expiresIn();
    if (left === Infinity) return condition(pred).then(() => true);
    return condition(pred, Math.max(left, 1));
  }

  try {
    while (record.stage !== 'closed') {
      if (record.stage === 'waiting') {
        await leaveQueue();
        if (workflowInfo().continueAsNewSuggested) {
          await saved();
          await condition(() => strayPermits === 0);
          await condition(allHandlersFinished);
          return continueAsNew<typeof callbackRecordV1>({ request, resumeFrom: record });
        }
        const wait = Math.min(until(record.dueAt), expiresIn());
        if (wait > 0) await condition(() => false, wait);
        if (expiresIn() <= 0) {
          close('expired');
          continue;
        }
        record.stage = 'due';
        emit('due', 'system', { queue: record.queue });
      }

      if (record.stage === 'due') {
        wantsPermit = true;
        await requestPermit({
          queue: record.queue,
          waiter: { recordId: record.id, priority: record.priority, rankAt: record.rankAt },
        });
        if (!(await beforeExpiry(() => permit))) {
          close('expired');
          continue;
        }
        record.stage = 'offered';
        emit('offered', 'system', { queue: record.queue });
      }

      if (record.stage === 'offered') {
        if (!(await beforeExpiry(() => record.stage !== 'offered'))) close('expired');
        continue;
      }

      // Accepted by an agent: one dial per attempt.
      record.attempts += 1;
      record.stage = 'dialling';
      record.latestCallAt = now();
      const callId = `${record.id}:${record.attempts}`;
      emit('dialling', `agent:${record.agentId}`, { attempt: record.attempts, callId });
      const outcome = await dial({ callId, recordId: record.id, phone: record.phone });
      count(outcome);
      if (outcome !== 'answered') {
        emit('dialled', 'dialler', { attempt: record.attempts, outcome });
        apply(decide(outcome, record.attempts), outcome);
        continue;
      }

      record.stage = 'connected';
      emit('dialled', 'dialler', { attempt: record.attempts, outcome });
      await condition(() => feedback !== null);
      const { agentId, outcome: said, requestedAt, comment } = feedback!;
      feedback = null;
      count(said);
      emit('feedback', `agent:${agentId}`, { outcome: said, requestedAt, comment });
      if (said === 'reestablish-later') {
        record.stage = 'waiting';
        record.agentId = null;
        record.dueAt = requestedAt!;
        record.rankAt = requestedAt!;
        emit('rescheduled', `agent:${agentId}`, { dueAt: requestedAt });
      } else {
        apply(decide(said, record.attempts), said);
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
    await leaveQueue();
  }

  await saved();
  await condition(() => strayPermits === 0);
  await condition(allHandlersFinished);
  return record;
}
