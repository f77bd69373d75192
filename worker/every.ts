// A worker's periodic chores: one run at a time, a failed run logged and tried again at the next tick.
import { log } from '../telemetry/log.js';

export function every(everyMs: number, what: string, task: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(task).catch((err) => log().error({ err, task: what }, 'a periodic task failed; trying again'));
  }, everyMs);
  return async () => {
    clearInterval(timer);
    await running;
  };
}
