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
  /**
   * Which of the record's requests this is. A grant carries it back, and a release names it, so
   * that a late grant or release of an earlier request never touches a newer one. Absent from
   * records of the first release: then any request of the record matches.
   */
  ticket?: number;
}

export interface Holder {
  recordId: string;
  since: string;
  ticket?: number;
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

/**
 * One place per recordId: an existing holder that asks again is granted again (a reset record, or
 * a newer request that takes the permit over); a waiter that asks again takes its new priority.
 */
export const acquireSignal = defineSignal<[Waiter]>('acquire');
/** Removes the record's request with this ticket (any, without one); an unknown one is a no-op. */
export const releaseSignal = defineSignal<[{ recordId: string; ticket?: number }]>('release');
export const resizeSignal = defineSignal<[{ size: number }]>('resize');
export const gateStateQuery = defineQuery<GateState>('state');
/** Sent by the gate to the record's workflow (workflow id = recordId) when it is granted a permit. */
export const permitGrantedSignal = defineSignal<[{ queue: string; ticket?: number }]>('permitGranted');
