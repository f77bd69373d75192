// The workflows' side effects, built from their dependencies so that tests can swap the
// database, the dialler or the Temporal client. Workflows import the type only.
import { ApplicationFailure, Context, heartbeat } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { CallbackRecord, DialOutcome, DialResult, HistoryEvent } from '../domain/record.js';
import type { Sql } from '../db/connect.js';
import { findQueue, gateSizeOf, getParameters } from '../db/configuration.js';
import { treatmentFor } from '../db/treatments.js';
import type { Treatment } from '../domain/treatment.js';
import { DEFAULT_WRAP_UP_TIMEOUT_SECONDS } from '../domain/queue-config.js';
import { findRecord, isDataError, saveRecord } from '../db/records.js';
import { findUnstorableText } from '../domain/text.js';
import { listHolidays } from '../db/holidays.js';
import { findRecordWithBooking } from '../db/schedules.js';
import { localTime, openingAt } from '../domain/opening-hours.js';
import { addDays } from '../domain/schedule.js';
import { ACTIVITY_FAILURE } from '../workflows/callback-contract.js';
import type { Dialler, DialRequest } from './dialler.js';
import { guardedResult, type PlaceCallRequest, type Telephony } from '../telephony/calls.js';
import type { NumberGuards } from '../telephony/guards.js';
import { bareOutcome } from '../telephony/outcomes.js';
import { createGateActivities } from './gate.js';
import type { Waiter } from '../workflows/queue-gate-contract.js';
import type { WorkerMetrics } from '../telemetry/metrics.js';
import { countSavedEvents } from './saved-events.js';
import { createRoutingActivities } from './routing.js';
import { followRecord } from '../db/presence.js';

export interface ActivityDeps {
  sql: Sql;
  /** The simulator: used when no real telephony is configured. */
  dialler: Dialler;
  /** Real telephony (DIALLER twilio or http); null: the simulator dials. */
  telephony?: Telephony | null;
  /** Numbers never called, whatever dials. */
  guards?: NumberGuards;
  temporal: Client;
  /** Where the queue gates run: the workers' own task queue. */
  taskQueue: string;
  /** Counts what saves add to histories (closes, dial outcomes, offer lag); none in tests that need none. */
  metrics?: WorkerMetrics;
}

export interface QueueRules {
  treatment: Treatment;
  offerTimeoutSeconds: number;
  /** How long a connected record waits for the agent's feedback before it counts as agent-client-terminated. */
  wrapUpTimeoutSeconds: number;
  /** Whether the queue is open at the instant asked about (its hours and holidays); true for a queue that no longer exists. */
  openNow: boolean;
  /** When it opens next after that instant (ISO); null when open then, or not within 400 days. */
  opensAt: string | null;
  /** The record asked about holds an appointment: its schedule decides its time, not the queue's hours. */
  appointment: boolean;
}

const NO_GUARDS: NumberGuards = { allowedCountries: [], blockedPrefixes: [], blockedNumbers: [] };

export function createActivities({ sql, dialler, telephony = null, guards = NO_GUARDS, temporal, taskQueue, metrics }: ActivityDeps) {
  const gate = createGateActivities({ temporal, taskQueue });
  const routing = createRoutingActivities({ sql, temporal });

  /** One call per attempt: guarded, then simulated in this worker or placed and completed asynchronously. */
  async function call(request: PlaceCallRequest, bare: boolean): Promise<DialResult> {
    const refused = guardedResult(request.phone, guards);
    if (refused) return refused;
    if (!telephony) return { outcome: await dialler.dial(request, () => heartbeat()) };
    return telephony.place(request, { taskToken: Context.current().info.taskToken, bare });
  }

  return {
    /** A value PostgreSQL refuses fails at once, for the workflow to handle, instead of retrying for ever. */
    async saveRecord(input: { record: CallbackRecord; events: HistoryEvent[] }): Promise<void> {
      try {
        // Presence follows the record in the same transaction: its agent on a call, agents it left free.
        let freed: string[] = [];
        const added = await saveRecord(sql, input.record, input.events, async (tx) => {
          freed = await followRecord(tx, input.record);
        });
        if (metrics) countSavedEvents(metrics, input.record, added);
        await routing.offerNext(freed);
      } catch (err) {
        if (!isDataError(err)) throw err;
        throw ApplicationFailure.create({
          type: ACTIVITY_FAILURE.unstorableRecord,
          message: `PostgreSQL refused record ${input.record.id} (${err.code}): ${err.message}`,
          nonRetryable: true,
          details: [{ sqlState: err.code, field: findUnstorableText(input) }],
        });
      }
    },

    /** The first release's dial: the bare outcome. */
    async dial(request: DialRequest): Promise<DialOutcome> {
      const record = telephony ? await findRecord(sql, request.recordId) : null;
      return bareOutcome(await call({ ...request, queue: record?.queue ?? '', agentId: record?.agentId ?? null }, true));
    },

    /** A dial since the 'telephony-dial' patch: the outcome with what the dialler says of it, or agent-not-reached. */
    async placeCall(request: PlaceCallRequest): Promise<DialResult> {
      return call(request, false);
    },

    /** Asks the queue's gate for a permit, starting the gate at the queue's size if it is not running. */
    async requestPermit({ queue, waiter }: { queue: string; waiter: Waiter }): Promise<void> {
      await gate.requestPermit({ queue, size: await gateSizeOf(sql, queue), waiter });
    },

    /**
     * The queue's treatment, offer timeout, wrap-up limit and business hours as configured now, read
     * at each decision. `at` is the workflow's now (its clock is the one that counts, on a
     * time-skipping server too); `recordId` asks whether that record is an appointment.
     */
    async queueRules({ queue, at, recordId }: { queue: string; at?: number; recordId?: string }): Promise<QueueRules> {
      const instant = new Date(at ?? Date.now());
      const [treatment, config, params, holidays, booked] = await Promise.all([
        treatmentFor(sql, queue),
        findQueue(sql, queue),
        getParameters(sql),
        listHolidays(sql, queue, { from: addDays(localTime(instant, 'UTC').date, -2) }),
        recordId === undefined ? null : findRecordWithBooking(sql, recordId),
      ]);
      const hours = config ? openingAt({ ...config, holidays }, instant) : { openNow: true, opensAt: null };
      return {
        treatment,
        offerTimeoutSeconds: config?.offerTimeoutSeconds ?? params.offerTimeoutSeconds,
        wrapUpTimeoutSeconds: config?.wrapUpTimeoutSeconds ?? DEFAULT_WRAP_UP_TIMEOUT_SECONDS,
        openNow: hours.openNow,
        opensAt: hours.opensAt,
        appointment: booked?.booking != null,
      };
    },

    reserveAgent: routing.reserveAgent,
    endReservation: routing.endReservation,
    releasePermit: gate.releasePermit,
    runningWorkflows: gate.runningWorkflows,
  };
}

export type Activities = ReturnType<typeof createActivities>;
