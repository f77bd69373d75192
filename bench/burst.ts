// A burst: records across several queues all due at the same instant (an appointment schedule
// at 09:00, a morning of postponed retries). How late each is offered after its due time, how
// fast each queue's gate lets records in (acquire) and takes permits back when they close
// (release). The records are all created before the instant comes.
import type { BenchEnvironment } from './environment.js';
import { phoneOf } from './environment.js';
import { gateStateQuery, gateWorkflowId } from '../workflows/queue-gate-contract.js';
import { latency, percentile, pool, round, sleep, until, type Latency } from './stats.js';

export interface BurstResult {
  records: number;
  queues: number;
  gateSize: number;
  /** Seconds over which the due times are spread (0: all due at the same second). */
  spreadSeconds: number;
  /** Whether the creations ended after the first due time (the burst was then no burst). */
  createdLate: boolean;
  offered: number;
  /** From the due time to the "due" event (the workflow woke). */
  dueToWokenMs: Latency;
  /** From the due time to the "offered" event (the gate let it in). */
  dueToOfferedMs: Latency;
  /** Permits granted per second in each queue, from its first offer to its last: median and slowest queue. */
  acquirePerSecondPerQueue: { median: number; min: number };
  /** Permits given back per second in each queue when its records are closed in bulk: median and slowest queue. */
  releasePerSecondPerQueue: { median: number; min: number };
}

export async function runBurst(
  env: BenchEnvironment,
  {
    records,
    queues: queueCount,
    gateSize,
    spreadSeconds,
    creationsPerSecond,
  }: { records: number; queues: number; gateSize: number; spreadSeconds: number; creationsPerSecond: number },
): Promise<BurstResult> {
  const { api, sql, client } = env;
  const area = `bench-burst-${Date.now()}`;
  await api.post('/v1/org-areas', { id: area, name: area, duplicatePolicy: 'allow' });
  const queues: string[] = [];
  for (let q = 0; q < queueCount; q++) queues.push(await env.queue({ gateSize, area }));

  // Time enough to create them all at the rate creations ran, and some.
  const leadMs = Math.round((records / creationsPerSecond) * 1500) + 15_000;
  const dueAt = Date.now() + leadMs;
  await pool(records, 20, async (i) => {
    await api.post('/v1/callbacks', {
      phone: phoneOf(i),
      queue: queues[i % queueCount],
      channel: 'api',
      requestedAt: new Date(dueAt + (spreadSeconds ? (i % spreadSeconds) * 1000 : 0)).toISOString(),
    });
  });
  const createdLate = Date.now() > dueAt;
  const lastDue = dueAt + spreadSeconds * 1000;
  const offeredCount = async () => {
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from callbacks where queue = any(${queues}) and stage = 'offered'`;
    return row!.n;
  };
  await sleep(Math.max(0, lastDue - Date.now()));
  await until(async () => (await offeredCount()) >= records, { everyMs: 500, timeoutMs: Math.max(120_000, records * 200) });

  const events = await sql<{ queue: string; type: string; at: string; dueAt: string }[]>`
    select c.queue, e.type, e.at, coalesce(c.requested_at, c.due_at) as due_at
    from callback_events e join callbacks c on c.id = e.record_id
    where c.queue = any(${queues}) and e.type in ('due', 'offered')`;
  const lag = (type: string) => events.filter((e) => e.type === type).map((e) => Date.parse(e.at) - Date.parse(e.dueAt));
  const offers = events.filter((e) => e.type === 'offered');
  const acquireRates = queues.map((q) => perSecond(offers.filter((e) => e.queue === q).map((e) => Date.parse(e.at))));

  // Release: every record closed in bulk, queue by queue at once; the gate's holders counted down.
  const holders = async (q: string) => (await client.workflow.getHandle(gateWorkflowId(q)).query(gateStateQuery)).holders.length;
  const releaseRates = await Promise.all(
    queues.map(async (q) => {
      const before = await holders(q);
      const started = performance.now();
      const closing = api.post('/v1/callbacks/bulk', { action: 'close', filter: { queue: q }, comment: 'benchmark burst' });
      await until(async () => (await holders(q)) === 0, { everyMs: 250, timeoutMs: 300_000 });
      await closing;
      return before / ((performance.now() - started) / 1000);
    }),
  );

  return {
    records,
    queues: queueCount,
    gateSize,
    spreadSeconds,
    createdLate,
    offered: offers.length,
    dueToWokenMs: latency(lag('due')),
    dueToOfferedMs: latency(lag('offered')),
    acquirePerSecondPerQueue: spreadOf(acquireRates),
    releasePerSecondPerQueue: spreadOf(releaseRates),
  };
}

/** Events per second from the first to the last of these instants (ms). */
function perSecond(instants: number[]): number {
  if (instants.length < 2) return NaN;
  const span = (Math.max(...instants) - Math.min(...instants)) / 1000;
  return span > 0 ? (instants.length - 1) / span : Infinity;
}

const spreadOf = (rates: number[]) => ({ median: round(percentile(rates, 50)), min: round(Math.min(...rates)) });
