// Real calls, one per attempt. The dial activity claims the call's row (its id is ours, stored
// before the provider is asked), places the call unless the row or the provider already has it,
// leaves its task token there and completes asynchronously: it holds no worker slot while the
// phones ring. Status callbacks reach any API process (`receive`), which decides the outcome from
// the events stored so far and completes the activity. Every worker heartbeats the waiting
// activities and asks the provider about calls whose callbacks went quiet (`keep`).
import { CompleteAsyncError } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import {
  addCallEvent,
  agentDevice,
  awaitOutcome,
  callEvents,
  claimCall,
  claimWaitingCalls,
  decideOutcome,
  findCall,
  markCompleted,
  queueTelephony,
  setProviderCallId,
  takeCompletion,
  takeHangUp,
  type StoredEvent,
  type TelephonyCall,
} from '../db/telephony.js';
import type { Sql } from '../db/connect.js';
import type { DialOutcome, DialResult } from '../domain/record.js';
import { refusal, type NumberGuards } from './guards.js';
import { bareOutcome, resolveCall, type Leg, type LegStatus } from './outcomes.js';
import type { TelephonyAdapter } from './port.js';
import { log } from '../telemetry/log.js';

export interface PlaceCallRequest {
  callId: string;
  recordId: string;
  phone: string;
  queue: string;
  agentId: string | null;
}

export interface TelephonyDefaults {
  callerId?: string | undefined;
  agentDevice?: string | undefined;
}

export interface Telephony {
  readonly adapter: TelephonyAdapter;
  /** For the dial activity: the outcome when it is known already; otherwise throws CompleteAsyncError. */
  place(request: PlaceCallRequest, attempt: { taskToken: Uint8Array; bare: boolean }): Promise<DialResult>;
  /** A status event from the provider, verified: stored once, and the outcome told when it is decided. */
  receive(callId: string, event: StoredEvent): Promise<'unknown-call' | 'recorded'>;
  /** One round of heartbeats and reconciliation; how many calls it looked at. */
  keep(options: { staleMs: number; reconcileMs: number }): Promise<number>;
  find(callId: string): Promise<TelephonyCall | null>;
}

/** Numbers the centre never calls are refused before any telephony: the simulator too. */
export function guardedResult(phone: string, guards: NumberGuards): DialResult | null {
  const refused = refusal(phone, guards);
  return refused ? { outcome: 'invalid-number', detail: { ...refused } } : null;
}

const resultOf = (call: TelephonyCall): DialResult => ({
  outcome: call.outcome as DialResult['outcome'],
  ...(Object.keys(call.outcomeDetail).length ? { detail: call.outcomeDetail } : {}),
});

/** What the waiting activity gets: the first release's `dial` takes the bare outcome. */
const completionOf = (call: TelephonyCall): DialResult | DialOutcome => (call.bareResult ? bareOutcome(resultOf(call)) : resultOf(call));

/** The activity attempt is gone (timed out, or already completed): its retry reads the outcome from the row. */
const isGone = (err: unknown) =>
  err instanceof Error && /NotFound|not found|already completed|ActivityNotFound/i.test(`${err.name} ${err.message}`);

export function createTelephony({
  sql,
  temporal,
  adapter,
  defaults,
}: {
  sql: Sql;
  temporal: Client;
  adapter: TelephonyAdapter;
  defaults: TelephonyDefaults;
}): Telephony {
  /** Tells the waiting activity, once per task token; a gone attempt's retry finds the outcome itself. */
  async function settle(callId: string): Promise<void> {
    const call = await takeCompletion(sql, callId);
    if (!call?.taskToken) return;
    try {
      await temporal.activity.complete(call.taskToken, completionOf(call));
    } catch (err) {
      if (!isGone(err)) {
        // Temporal out of reach: hand the duty back, so that the keeper or a retry tells it.
        await sql`update telephony_calls set completed_at = null where call_id = ${callId} and task_token = ${Buffer.from(call.taskToken)}`;
        throw err;
      }
    }
  }

  async function decide(call: TelephonyCall, events: StoredEvent[]): Promise<void> {
    const legEvents = events.map((e) => ({
      leg: e.leg as Leg,
      status: e.status as LegStatus,
      answeredBy: e.answeredBy as never,
      sipCode: e.sipCode,
    }));
    const result = resolveCall(legEvents, { amd: adapter.amd });
    if (!result) return;
    const decided = await decideOutcome(sql, call.callId, result.outcome, result.detail ?? {});
    if (!decided) return;
    await settle(call.callId);
    // The agent must not stay on the line with a voicemail or a fax tone.
    if ((decided.outcome === 'answering-machine' || decided.outcome === 'fax-modem') && (await takeHangUp(sql, call.callId))) {
      await adapter.hangUp(decided).catch((err: unknown) => log().warn({ err, callId: call.callId }, 'telephony: hanging up failed'));
    }
  }

  return {
    adapter,

    async place(request, { taskToken, bare }) {
      const settings = await queueTelephony(sql, request.queue);
      const device =
        (request.agentId ? await agentDevice(sql, request.agentId) : null) ?? settings.agentDevice ?? defaults.agentDevice ?? null;
      const { call, created } = await claimCall(sql, {
        callId: request.callId,
        recordId: request.recordId,
        adapter: adapter.name,
        queue: request.queue,
        agentId: request.agentId,
        agentDevice: device,
        customerPhone: request.phone,
        callerId: settings.callerId ?? defaults.callerId ?? null,
        maxRingSeconds: settings.maxRingSeconds,
        maxCallSeconds: settings.maxCallSeconds,
        bareResult: bare,
        ...(device ? {} : { outcome: 'agent-not-reached', outcomeDetail: { agentLeg: 'no-agent-device' } }),
      });
      if (call.outcome) {
        await markCompleted(sql, call.callId);
        return resultOf(call);
      }
      if (!call.providerCallId) {
        // A retry after a crash: the provider may have the call although the row does not say so.
        const found = created ? null : await adapter.find(call);
        await setProviderCallId(sql, call.callId, found ?? (await adapter.place(call)));
      }
      const waiting = await awaitOutcome(sql, call.callId, taskToken);
      if (waiting.outcome) {
        await markCompleted(sql, call.callId);
        return resultOf(waiting);
      }
      // Events may have come in before the token was stored: decide from them now.
      const events = await callEvents(sql, call.callId);
      if (events.length) await decide(waiting, events);
      throw new CompleteAsyncError();
    },

    async receive(callId, event) {
      const call = await findCall(sql, callId);
      if (!call) return 'unknown-call';
      if (event.leg === 'agent' && event.providerLegId && !call.providerCallId) await setProviderCallId(sql, callId, event.providerLegId);
      const events = await addCallEvent(sql, callId, event);
      if (!call.outcome) await decide(call, events);
      else if (!call.completedAt) await settle(callId);
      return 'recorded';
    },

    async keep({ staleMs, reconcileMs }) {
      const calls = await claimWaitingCalls(sql, { adapter: adapter.name, staleMs, reconcileMs, limit: 200 });
      for (const call of calls) {
        try {
          if (call.outcome) {
            await settle(call.callId);
            continue;
          }
          await temporal.activity.heartbeat(call.taskToken!);
          if (call.reconcile && call.providerCallId) {
            for (const event of await adapter.current(call)) await this.receive(call.callId, event);
          }
        } catch (err) {
          if (!isGone(err)) log().warn({ err, callId: call.callId }, 'telephony: keeping a call failed');
        }
      }
      return calls.length;
    },

    find: (callId) => findCall(sql, callId),
  };
}
