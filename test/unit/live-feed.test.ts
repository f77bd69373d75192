// The live figures' shared timer: nothing is read while nobody watches, one reading a tick serves
// every watcher, a slow reading never piles up, and a failed one is tried again at the next tick.
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { createLiveFeed } from '../../api/live-feed.js';
import type { LiveQueues } from '../../services/live-queues.js';
import { configureLogger } from '../../telemetry/log.js';

// The failed readings' warnings are expected here.
configureLogger('error');

const TICK = 100;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A reader that counts its readings; each answers after `takesMs`, or fails while `failing`. */
function reader(takesMs = 0) {
  const state = { reads: 0, failing: false };
  const read = async (): Promise<LiveQueues> => {
    state.reads += 1;
    const n = state.reads;
    if (takesMs > 0) await new Promise((r) => setTimeout(r, takesMs));
    if (state.failing) throw new Error('the database is out of reach');
    return { at: new Date().toISOString(), queues: [{ queue: `reading-${n}` } as LiveQueues['queues'][number]] };
  };
  return { state, read };
}

it('reads nothing while nobody watches, and once a tick for every watcher', async () => {
  const { state, read } = reader();
  const feed = createLiveFeed(read, TICK);
  await vi.advanceTimersByTimeAsync(10 * TICK);
  expect(state.reads).toBe(0);

  const heard: string[][] = [[], []];
  const stops = heard.map((list) => feed.subscribe((f) => list.push(f.queues[0]!.queue)));
  await vi.advanceTimersByTimeAsync(3 * TICK);
  expect(state.reads).toBe(3);
  expect(heard[0]).toEqual(['reading-1', 'reading-2', 'reading-3']);
  expect(heard[1]).toEqual(heard[0]);

  for (const stop of stops) stop();
  await vi.advanceTimersByTimeAsync(10 * TICK);
  expect(state.reads).toBe(3);
});

it('answers the last tick’s figures while they are younger than a tick, and reads afresh after', async () => {
  const { state, read } = reader();
  const feed = createLiveFeed(read, TICK);
  const stop = feed.subscribe(() => undefined);
  await vi.advanceTimersByTimeAsync(TICK);
  expect((await feed.latest()).queues[0]!.queue).toBe('reading-1');
  stop();
  await vi.advanceTimersByTimeAsync(2 * TICK);
  expect((await feed.latest()).queues[0]!.queue).toBe('reading-2');
  // Two asking at once while a reading is under way share it.
  const [a, b] = await Promise.all([feed.fresh(), feed.fresh()]);
  expect(a).toBe(b);
  expect(state.reads).toBe(3);
});

it('starts a tick only after the last reading has finished', async () => {
  const { state, read } = reader(3 * TICK);
  const feed = createLiveFeed(read, TICK);
  const stop = feed.subscribe(() => undefined);
  await vi.advanceTimersByTimeAsync(20 * TICK);
  // Each round is a tick's wait and a reading of three: five rounds, never overlapping.
  expect(state.reads).toBe(5);
  stop();
});

it('tells nobody of a failed reading, and reads again at the next tick', async () => {
  const { state, read } = reader();
  const feed = createLiveFeed(read, TICK);
  const heard: string[] = [];
  const stop = feed.subscribe((f) => heard.push(f.queues[0]!.queue));
  state.failing = true;
  await vi.advanceTimersByTimeAsync(2 * TICK);
  expect(heard).toEqual([]);
  state.failing = false;
  await vi.advanceTimersByTimeAsync(TICK);
  expect(heard).toEqual(['reading-3']);
  stop();
});
