// Readiness: named checks of what a process depends on, each bounded in time, run together.
export type Check = () => Promise<void>;

export interface Readiness {
  ready: boolean;
  /** `ok`, or why the check failed. */
  checks: Record<string, string>;
}

export async function runChecks(checks: Record<string, Check>, timeoutMs = 3000): Promise<Readiness> {
  const results = await Promise.all(
    Object.entries(checks).map(async ([name, check]): Promise<[string, string]> => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([check(), late]);
        return [name, 'ok'];
      } catch (err) {
        return [name, err instanceof Error ? err.message : String(err)];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const checksOut = Object.fromEntries(results);
  return { ready: results.every(([, r]) => r === 'ok'), checks: checksOut };
}
