// Every wait of a request on Temporal has a limit: with no worker running a record's workflow
// never takes a message, and with Temporal down the client retries for a long time; a request
// answers 503 temporarily-unavailable instead of hanging.
import { isGrpcServiceError, WorkflowUpdateRPCTimeoutOrCancelledError, type Client } from '@temporalio/client';
import { problem, type ProblemError } from './problem.js';

export interface TemporalWaits {
  /** Runs `call`'s Temporal requests for at most the configured time; then, or when Temporal is unreachable, a 503 problem. */
  within<T>(call: () => Promise<T>): Promise<T>;
  /**
   * Ends every wait now with a 503 and takes no more; resolves once no Temporal request is left
   * in flight, so that the connection can close under none (a retry on a closed channel throws
   * where nothing can catch it).
   */
  drain(): Promise<void>;
}

// gRPC's CANCELLED, DEADLINE_EXCEEDED and UNAVAILABLE (codes fixed by the gRPC specification).
const UNREACHABLE = new Set([1, 4, 14]);

/** Temporal did not answer: a deadline passed, the request was cancelled, or the server is down. */
export function temporalUnreachable(err: unknown): boolean {
  for (let e = err; e instanceof Error; e = e.cause) {
    if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
    if (isGrpcServiceError(e) && UNREACHABLE.has(e.code)) return true;
  }
  return false;
}

export function unavailable(detail: string): ProblemError {
  return problem('temporarily-unavailable', 'the service cannot answer this now; try again', { detail });
}

export function temporalWaits(client: Client, waitMs: number): TemporalWaits {
  const waiting = new Set<AbortController>();
  const inFlight = new Set<Promise<void>>();
  let draining = false;

  return {
    async within(call) {
      if (draining) throw unavailable('the API is shutting down');
      // One controller per wait: the client adds a listener to the signal for each of its requests.
      const stop = new AbortController();
      waiting.add(stop);
      const timer = setTimeout(() => stop.abort(), waitMs);
      // Between two retries no request is in flight to cancel, and a request sent after the abort
      // does not see it: the deadline, read as each request is sent, is moved to the abort instead.
      const deadline = new Date(Date.now() + waitMs);
      stop.signal.addEventListener('abort', () => deadline.setTime(Math.min(deadline.getTime(), Date.now())), { once: true });
      const work = client.withDeadline(deadline, () => client.withAbortSignal(stop.signal, call));
      const settled = work.then(
        () => undefined,
        () => undefined,
      );
      inFlight.add(settled);
      void settled.then(() => inFlight.delete(settled));
      const ended = new Promise<never>((_, reject) => {
        stop.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
      });
      try {
        return await Promise.race([work, ended]);
      } catch (err) {
        if (stop.signal.aborted || temporalUnreachable(err)) {
          throw unavailable(draining ? 'the API is shutting down' : `Temporal did not answer within ${waitMs} ms`);
        }
        throw err;
      } finally {
        clearTimeout(timer);
        waiting.delete(stop);
      }
    },

    async drain() {
      draining = true;
      for (const stop of waiting) stop.abort();
      await Promise.all(inFlight);
    },
  };
}
