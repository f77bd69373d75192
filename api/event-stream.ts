// A Server-Sent Events answer as every stream of the API serves it: writes one at a time, in the
// order they were asked for (a failed write ends the stream); a keep-alive comment every
// `keepAliveMs`, before which the stream may check it is still wanted; and an end when the client
// goes, when the stream is ended, or when the process stops (the agent events' listener ends it).
import type { Context } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import { log } from '../telemetry/log.js';

export interface EventWriter {
  /** Writes after every write asked for before; a write that fails ends the stream. */
  write(work: (s: SSEStreamingApi) => Promise<void>): void;
  /** Ends the stream (after the writes asked for so far). */
  end(): void;
}

export interface EventStreamOptions {
  keepAliveMs: number;
  /** Subscribes to what the stream tells; answers how to unsubscribe. */
  open(out: EventWriter): Promise<() => void>;
  /** What the stream says first, once subscribed (so that nothing said meanwhile is missed). */
  first(out: EventWriter): Promise<void>;
  /** Before each keep-alive: false ends the stream (e.g. its session has ended). */
  stillWanted?(out: EventWriter): Promise<boolean>;
}

export function eventStream(c: Context, { keepAliveMs, open, first, stillWanted }: EventStreamOptions): Response {
  return streamSSE(c, async (s) => {
    let ended!: () => void;
    const over = new Promise<void>((resolve) => (ended = resolve));
    let writing = Promise.resolve();
    const out: EventWriter = {
      write(work) {
        writing = writing
          .then(() => work(s))
          .catch((err: unknown) => {
            log().debug({ err }, 'an event stream write failed');
            ended();
          });
      },
      end: () => ended(),
    };
    s.onAbort(ended);
    const unsubscribe = await open(out);
    try {
      await first(out);
      for (;;) {
        let timer: NodeJS.Timeout | undefined;
        const tick = new Promise<'tick'>((resolve) => (timer = setTimeout(() => resolve('tick'), keepAliveMs)));
        const why = await Promise.race([tick, over.then(() => 'over' as const)]);
        clearTimeout(timer);
        if (why === 'over' || s.aborted || s.closed) break;
        if (stillWanted && !(await stillWanted(out))) break;
        out.write(() => s.write(': keep-alive\n\n').then(() => undefined));
      }
    } finally {
      unsubscribe();
      await writing;
    }
  });
}
