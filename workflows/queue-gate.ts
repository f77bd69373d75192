// One gate per queue, a counting semaphore: at most `size` records hold a permit (are in the
// queue) at once; the others wait in line. A permit comes back when its holder releases it, or
// when the holder's workflow turns out not to be running any more.
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { msToNumber, type Duration } from '@temporalio/common/lib/time.js';
import type { GateActivities } from '../activities/gate.js';
import { placeInLine } from '../domain/gate-order.js';
import {
  acquireSignal,
  gateStateQuery,
  permitGrantedSignal,
  releaseSignal,
  resizeSignal,
  type GateInput,
  type GateState,
} from './queue-gate-contract.js';

// A liveness check that keeps failing is given up until the next interval, so that it can never
// hold up continue-as-new for long.
const { runningWorkflows } = proxyActivities<GateActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds', maximumAttempts: 5 },
});

// Core reports a signal to a workflow that does not exist, or has closed, with these types.
const NOT_FOUND = new Set(['ExternalWorkflowExecutionNotFound', 'NamespaceNotFound']);

export async function queueGate(input: GateInput): Promise<never> {
  const state: GateState = input.carried ?? { queue: input.queue, size: input.size, holders: [], waiters: [] };
  const checkEvery = msToNumber((input.holderCheckInterval ?? '1 minute') as Duration);
  const eventLimit = input.continueAsNewAfterEvents ?? 10_000;
  // Not carried: continue-as-new waits until neither is in flight.
  let grantsInFlight = 0;
  let checking = false;

  const now = () => new Date(Date.now()).toISOString();
  const holderAt = (recordId: string) => state.holders.findIndex((h) => h.recordId === recordId);
  const waiterAt = (recordId: string) => state.waiters.findIndex((w) => w.recordId === recordId);
  const dropHolder = (recordId: string) => {
    const i = holderAt(recordId);
    if (i >= 0) state.holders.splice(i, 1);
  };
  const matches = (held: number | undefined, given: number | undefined) => held === undefined || given === undefined || held === given;

  /** Tells the holder it is in; one that cannot be told gives its permit back at once. */
  function grant(recordId: string, ticket: number | undefined): void {
    grantsInFlight += 1;
    getExternalWorkflowHandle(recordId)
      .signal(permitGrantedSignal, { queue: state.queue, ticket })
      .catch((err: unknown) => {
        dropHolder(recordId);
        const type = err instanceof ApplicationFailure ? err.type : undefined;
        if (!type || !NOT_FOUND.has(type)) {
          log.warn('permit could not be granted; given to the next in line', { recordId, error: String(err) });
        }
      })
      .finally(() => {
        grantsInFlight -= 1;
      });
  }

  setHandler(gateStateQuery, () => state);

  setHandler(acquireSignal, ({ recordId, priority, rankAt, ticket }) => {
    const holder = state.holders[holderAt(recordId)];
    if (holder) {
      holder.ticket = ticket;
      return grant(recordId, ticket);
    }
    const i = waiterAt(recordId);
    const since = i >= 0 ? state.waiters[i]!.since : now();
    if (i >= 0) state.waiters.splice(i, 1);
    const waiter = { recordId, priority, rankAt, ticket, since };
    state.waiters.splice(placeInLine(state.waiters, waiter), 0, waiter);
  });

  setHandler(releaseSignal, ({ recordId, ticket }) => {
    const h = holderAt(recordId);
    if (h >= 0 && matches(state.holders[h]!.ticket, ticket)) state.holders.splice(h, 1);
    const w = waiterAt(recordId);
    if (w >= 0 && matches(state.waiters[w]!.ticket, ticket)) state.waiters.splice(w, 1);
  });

  setHandler(resizeSignal, ({ size }) => {
    // A signal cannot be refused; the API validates sizes before sending one.
    if (!Number.isInteger(size) || size < 0) {
      log.warn('ignored an invalid gate size', { size });
      return;
    }
    state.size = size;
  });

  const mayAdmit = () => state.holders.length < state.size && state.waiters.length > 0;
  const historyIsLong = () => {
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength > eventLimit;
  };

  async function reclaimVanishedHolders(): Promise<void> {
    const checked = state.holders.map((h) => h.recordId);
    if (checked.length === 0) return;
    let running: Set<string>;
    try {
      running = new Set(await runningWorkflows(checked));
    } catch (err) {
      log.warn('could not check the holders; trying again at the next interval', { error: String(err) });
      return;
    }
    for (const recordId of checked) {
      if (running.has(recordId)) continue;
      log.info('reclaimed the permit of a record that is no longer running', { recordId });
      dropHolder(recordId);
    }
  }

  // Beside the admissions, so that a slow check never holds up a grant. A gate whose holders
  // have all gone has nothing to check and sets no timer.
  void (async () => {
    for (;;) {
      await condition(() => state.holders.length > 0);
      state.nextCheckAt ??= new Date(Date.now() + checkEvery).toISOString();
      const wait = Date.parse(state.nextCheckAt) - Date.now();
      if (wait > 0 && (await condition(() => state.holders.length === 0, wait))) {
        state.nextCheckAt = undefined;
        continue;
      }
      if (historyIsLong()) {
        // The next run checks on time from the carried nextCheckAt; starting a check now would
        // only delay the switch.
        await condition(() => false);
      }
      checking = true;
      try {
        await reclaimVanishedHolders();
      } finally {
        checking = false;
        state.nextCheckAt = undefined;
      }
    }
  })();

  for (;;) {
    await condition(() => mayAdmit() || historyIsLong());
    if (historyIsLong()) break;
    while (mayAdmit()) {
      const { recordId, ticket } = state.waiters.shift()!;
      state.holders.push({ recordId, since: now(), ticket });
      grant(recordId, ticket);
    }
  }

  // Grants in flight finish here, so that a holder that cannot be told is dropped before the
  // state is carried over; waiters that may now be admitted are admitted by the next run.
  await condition(() => grantsInFlight === 0 && !checking && allHandlersFinished());
  return continueAsNew<typeof queueGate>({ ...input, queue: state.queue, size: state.size, carried: state });
}
