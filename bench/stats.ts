// What every part of the benchmark measures with: a pool of concurrent tasks, latencies and their percentiles.

/** Runs `task(i)` for i < n with `concurrency` in flight; returns the elapsed seconds. */
export async function pool(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n) await task(next++);
    }),
  );
  return (performance.now() - started) / 1000;
}

/** Runs `fn`, adds its duration in ms to `latencies`, and returns its value. */
export async function timed<T>(latencies: number[], fn: () => Promise<T>): Promise<T> {
  const t = performance.now();
  const value = await fn();
  latencies.push(performance.now() - t);
  return value;
}

export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export interface Latency {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

export function latency(xs: number[]): Latency {
  return { n: xs.length, p50: round(percentile(xs, 50)), p99: round(percentile(xs, 99)), max: round(Math.max(...xs)) };
}

export const round = (x: number, digits = 1) => (Number.isFinite(x) ? Number(x.toFixed(digits)) : x);

export const ratio = (ours: number, bare: number) => round(ours / bare, 2);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every `everyMs` until it is true; false when `timeoutMs` passed first. */
export async function until(check: () => Promise<boolean>, { everyMs = 20, timeoutMs = Infinity } = {}): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) return false;
    await sleep(everyMs);
  }
  return true;
}
