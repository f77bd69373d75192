// Dialling is a port: the workflow asks for one call per attempt and learns its outcome.
// The only adapter so far simulates a telephony platform, with test numbers like a payment
// provider's test cards.
import type { DialOutcome } from '../domain/record.js';
import type { Sql } from '../db/connect.js';

export interface DialRequest {
  /** One per attempt: placing the same call id twice must not ring the customer twice. */
  callId: string;
  recordId: string;
  phone: string;
}

export interface Dialler {
  /** Places the call (or finds the one already placed with this id) and waits for its outcome. */
  dial(request: DialRequest, beat: () => void): Promise<DialOutcome>;
}

/** Test numbers: the last four digits decide the outcome; every other number answers. */
export const TEST_NUMBER_SUFFIXES: Record<string, DialOutcome> = {
  '0001': 'busy',
  '0002': 'no-answer',
  '0003': 'answering-machine',
  '0004': 'invalid-number',
  '0005': 'fax-modem',
  '0006': 'telephony-error',
};

export function simulatedOutcome(phone: string): DialOutcome {
  return TEST_NUMBER_SUFFIXES[phone.slice(-4)] ?? 'answered';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Keeps its call log in PostgreSQL, as a telephony platform keeps its own: a worker that dies
 * mid-call and retries the activity finds the call still ringing and waits for it.
 */
export function createSimulatedDialler({ sql, ringMs }: { sql: Sql; ringMs: number }): Dialler {
  return {
    async dial({ callId, recordId, phone }, beat) {
      await sql`
        insert into simulated_calls (call_id, record_id, phone, outcome, ring_ms)
        values (${callId}, ${recordId}, ${phone}, ${simulatedOutcome(phone)}, ${ringMs})
        on conflict (call_id) do nothing`;
      // The database's clock decides when the call ends, so a retry on another worker agrees.
      const [call] = await sql<{ outcome: DialOutcome; leftMs: number }[]>`
        select outcome,
               greatest(0, extract(epoch from placed_at + make_interval(secs => ring_ms / 1000.0) - now()) * 1000)::float8 as left_ms
        from simulated_calls where call_id = ${callId}`;
      if (!call) throw new Error(`simulated call ${callId} vanished`);
      const endsAt = Date.now() + call.leftMs;
      for (let left = call.leftMs; left > 0; left = endsAt - Date.now()) {
        beat();
        await sleep(Math.min(left, 1000));
      }
      return call.outcome;
    },
  };
}
