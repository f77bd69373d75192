// The live figures of every queue, read on one timer that all of the process's watchers share: a
// hundred open live views cost one reading a tick, and nothing is read while nobody watches.
import type { LiveQueues } from '../services/live-queues.js';
import { log } from '../telemetry/log.js';

/** How often the figures are read while anyone watches. */
export const LIVE_TICK_MS = 1000;

export interface LiveFeed {
  /** The newest figures: those of the last tick when younger than a tick, else read now (once for all who ask meanwhile). */
  latest(): Promise<LiveQueues>;
  /** Figures read now (or being read now, for someone else). */
  fresh(): Promise<LiveQueues>;
  /** `seen` hears every reading from now on; the timer runs while anyone is subscribed. */
  subscribe(seen: (figures: LiveQueues) => void): () => void;
}

export function createLiveFeed(read: () => Promise<LiveQueues>, tickMs = LIVE_TICK_MS): LiveFeed {
  const watchers = new Set<(figures: LiveQueues) => void>();
  let last: { figures: LiveQueues; at: number } | null = null;
  let reading: Promise<LiveQueues> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let ticking = false;

  function readNow(): Promise<LiveQueues> {
    reading ??= read()
      .then((figures) => {
        last = { figures, at: Date.now() };
        return figures;
      })
      .finally(() => {
        reading = null;
      });
    return reading;
  }

  // A tick starts after the last one has finished, so that a slow reading never piles up.
  function schedule(): void {
    if (timer || ticking || watchers.size === 0) return;
    timer = setTimeout(() => void tick(), tickMs);
    timer.unref();
  }

  async function tick(): Promise<void> {
    timer = null;
    ticking = true;
    try {
      const figures = await readNow();
      for (const seen of watchers) seen(figures);
    } catch (err) {
      log().warn({ err }, 'could not read the live queue figures; trying again at the next tick');
    } finally {
      ticking = false;
      schedule();
    }
  }

  return {
    latest() {
      if (last && Date.now() - last.at < tickMs) return Promise.resolve(last.figures);
      return readNow();
    },
    fresh: readNow,
    subscribe(seen) {
      watchers.add(seen);
      schedule();
      return () => {
        watchers.delete(seen);
        if (watchers.size === 0 && timer) {
          clearTimeout(timer);
          timer = null;
        }
      };
    },
  };
}
