// A worker's periodic chores: one run at a time, a failed run logged and tried again at the next tick.
export function every(everyMs: number, what: string, task: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(task).catch((err) => console.error(`[worker] ${what} failed; trying again`, err));
  }, everyMs);
  return async () => {
    clearInterval(timer);
    await running;
  };
}
