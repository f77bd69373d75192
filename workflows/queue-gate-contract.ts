// The contract of the queue gate: one workflow per queue that lets at most `size` due records
// into the queue at once. Records ask and give back through activities (a workflow cannot
// signal-with-start); the gate answers the record's workflow with `permitGranted`. It imports
// nothing from Node. Names here never change once released.
import { defineQuery, defineSignal } from '@temporalio/workflow';

export const GATE_WORKFLOW = 'queueGate';
export const gateWorkflowId = (queue: string): string => `gate:${queue}`;

export interface Waiter {
  /** The record's workflow id, which is where the permit is sent. */
  recordId: string;
  /** 1 most urgent … 9. */
  priority: number;
  /** ISO instant, the record's place in line; earlier first. */
  rankAt: string;
}

export interface Holder {
  recordId: string;
  since: string;
}

export interface GateState {
  queue: string;
  size: number;
  holders: Holder[];
  /** In the order they will be served; `since` is when each asked. */
  waiters: (Waiter & { since: string })[];
  /** When the holders are next checked for liveness; carried so that frequent continue-as-new cannot postpone it. */
  nextCheckAt?: string;
}

export interface GateInput {
  queue: string;
  size: number;
  carried?: GateState;
  /** tests force continue-as-new early */
  continueAsNewAfterEvents?: number;
  /** how often holders are checked for liveness; default '1 minute' */
  holderCheckInterval?: string;
}

/** Idempotent per recordId; an existing holder that asks again is simply granted again (a reset record). */
export const acquireSignal = defineSignal<[Waiter]>('acquire');
/** Removes the record from the holders or the waiters; an unknown id is a no-op. */
export const releaseSignal = defineSignal<[{ recordId: string }]>('release');
export const resizeSignal = defineSignal<[{ size: number }]>('resize');
export const gateStateQuery = defineQuery<GateState>('state');
/** Sent by the gate to the record's workflow (workflow id = recordId) when it is granted a permit. */
export const permitGrantedSignal = defineSignal<[{ queue: string }]>('permitGranted');
