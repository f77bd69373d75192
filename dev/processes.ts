// Left-over servers of a killed `npm start`: telling whether they still run, and waiting them out.

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Sends each process `signal`, then waits (at most `ms`) until none of them runs. */
export async function stopAndWait(pids: number[], signal: NodeJS.Signals, ms: number): Promise<void> {
  for (const pid of pids) process.kill(pid, signal);
  for (const deadline = Date.now() + ms; pids.some(alive) && Date.now() < deadline;) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
