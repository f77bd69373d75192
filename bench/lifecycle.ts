// Throughput, the benchmark's first two figures: callbacks created per second through the API
// against bare workflow starts, and full lifecycles per second (create ASAP, accept, a dial that
// answers at once, feedback, closed) against bare workflows doing one start, two updates and as
// many activities as a callback lifecycle ran.
import { randomUUID } from 'node:crypto';
import type { BenchEnvironment } from './environment.js';
import { acceptBare, finishBare } from './baseline-workflows.js';
import { latency, pool, ratio, round, timed, until, type Latency } from './stats.js';

export interface LifecycleResult {
  n: number;
  concurrency: number;
  creationsPerSecond: number;
  bareStartsPerSecond: number;
  creationRatio: number;
  lifecyclesPerSecond: number;
  bareLifecyclesPerSecond: number;
  lifecycleRatio: number;
  activitiesPerLifecycle: number;
  createMs: Latency;
  acceptMs: Latency;
}

export async function stageOf(env: BenchEnvironment, id: string): Promise<string | undefined> {
  const [row] = await env.sql<{ stage: string }[]>`select stage from callbacks where id = ${id}`;
  return row?.stage;
}

export async function runLifecycle(
  env: BenchEnvironment,
  { n, concurrency }: { n: number; concurrency: number },
): Promise<LifecycleResult> {
  const { api, client, bareQueue } = env;
  const queue = await env.queue();
  const createLatency: number[] = [];
  const createSecs = await pool(n, concurrency, async (i) => {
    await timed(createLatency, () =>
      api.post('/v1/callbacks', {
        phone: '+46701234567',
        queue,
        channel: 'api',
        requestedAt: new Date(Date.now() + 86_400_000).toISOString(),
        contactData: { i: String(i) },
      }),
    );
  });
  const bareStartSecs = await pool(n, concurrency, async () => {
    await client.workflow.start('bareStart', { taskQueue: bareQueue, workflowId: randomUUID() });
  });

  const lifeQueue = await env.queue();
  const acceptLatency: number[] = [];
  let activitiesPerLifecycle = 0;
  // An agent per record: an agent holds one record at a time.
  const lifeSecs = await pool(n, concurrency, async (i) => {
    const record = await api.post('/v1/callbacks', { phone: '+46701234567', queue: lifeQueue, channel: 'api' });
    await until(async () => (await stageOf(env, record.id)) === 'offered');
    await timed(acceptLatency, () => api.post(`/v1/callbacks/${record.id}/accept`, { agentId: `bench-agent-${i}` }));
    await until(async () => (await stageOf(env, record.id)) === 'connected');
    await api.post(`/v1/callbacks/${record.id}/feedback`, { agentId: `bench-agent-${i}`, outcome: 'completed' });
    await client.workflow.getHandle(record.id).result();
    if (!activitiesPerLifecycle) {
      const { events } = await client.workflow.getHandle(record.id).fetchHistory();
      activitiesPerLifecycle = (events ?? []).filter((e) => e.activityTaskScheduledEventAttributes).length;
    }
  });
  const bareLifeSecs = await pool(n, concurrency, async () => {
    const handle = await client.workflow.start('bareLifecycle', {
      taskQueue: bareQueue,
      workflowId: randomUUID(),
      args: [activitiesPerLifecycle],
    });
    await handle.executeUpdate(acceptBare, { args: ['bench'] });
    await handle.executeUpdate(finishBare, { args: ['bench'] });
    await handle.result();
  });

  const rate = (secs: number) => round(n / secs);
  return {
    n,
    concurrency,
    creationsPerSecond: rate(createSecs),
    bareStartsPerSecond: rate(bareStartSecs),
    creationRatio: ratio(bareStartSecs, createSecs),
    lifecyclesPerSecond: rate(lifeSecs),
    bareLifecyclesPerSecond: rate(bareLifeSecs),
    lifecycleRatio: ratio(bareLifeSecs, lifeSecs),
    activitiesPerLifecycle,
    createMs: latency(createLatency),
    acceptMs: latency(acceptLatency),
  };
}
