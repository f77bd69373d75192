// Accept against a bare Update: how long an agent waits to learn that the accept worked, next to
// how long Temporal takes to answer an Update to a workflow that does nothing else, with 1 and
// with 20 agents accepting at once. The records are offered before the clock starts.
import { randomUUID } from 'node:crypto';
import type { BenchEnvironment } from './environment.js';
import { acceptBare, finishBare } from './baseline-workflows.js';
import { stageOf } from './lifecycle.js';
import { latency, pool, ratio, timed, until, type Latency } from './stats.js';

export interface AcceptResult {
  agents: number;
  n: number;
  acceptMs: Latency;
  bareUpdateMs: Latency;
  p50Ratio: number;
  /** Accept p99 over bare Update p99 (issue 17 asks for at most 1.5). */
  p99Ratio: number;
}

export async function runAccept(env: BenchEnvironment, { n, agents }: { n: number; agents: number }): Promise<AcceptResult> {
  const { api, client, sql } = env;
  const queue = await env.queue();
  const ids: string[] = [];
  await pool(n, 20, async () => {
    const record = await api.post('/v1/callbacks', { phone: '+46701234567', queue, channel: 'api' });
    ids.push(record.id);
  });
  await until(
    async () => {
      const [row] = await sql<
        { offered: number }[]
      >`select count(*)::int as offered from callbacks where queue = ${queue} and stage = 'offered'`;
      return row!.offered === n;
    },
    { everyMs: 200 },
  );
  const accepts: number[] = [];
  // One agent per record: an agent holds one record at a time.
  await pool(n, agents, async (i) => {
    await timed(accepts, () => api.post(`/v1/callbacks/${ids[i]}/accept`, { agentId: `bench-agent-${i}` }));
  });

  const handles = await Promise.all(
    Array.from({ length: n }, () =>
      client.workflow.start('bareLifecycle', { taskQueue: env.bareQueue, workflowId: randomUUID(), args: [0] }),
    ),
  );
  const updates: number[] = [];
  await pool(n, agents, async (i) => {
    await timed(updates, () => handles[i]!.executeUpdate(acceptBare, { args: [`bench-agent-${i}`] }));
  });

  // Not measured: the records and the bare workflows are finished, so that the parts after this one find an idle system.
  await pool(n, 20, async (i) => {
    await until(async () => (await stageOf(env, ids[i]!)) === 'connected', { everyMs: 100, timeoutMs: 60_000 });
    await api.post(`/v1/callbacks/${ids[i]}/feedback`, { agentId: `bench-agent-${i}`, outcome: 'completed' }).catch(() => {});
    await handles[i]!.executeUpdate(finishBare, { args: ['bench'] });
  });

  const acceptMs = latency(accepts);
  const bareUpdateMs = latency(updates);
  return {
    agents,
    n,
    acceptMs,
    bareUpdateMs,
    p50Ratio: ratio(acceptMs.p50, bareUpdateMs.p50),
    p99Ratio: ratio(acceptMs.p99, bareUpdateMs.p99),
  };
}
