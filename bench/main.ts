// `npm run bench`: the service against bare Temporal on one dev server, in one run, part by part.
// BENCH_PARTS picks the parts (lifecycle,accept,routing,burst,backlog,restart; all by default); `-- --full`
// runs the burst and the backlog at the sizes issue 17 names (10,000 and 100,000 records).
// DATABASE_URL: that PostgreSQL (use a database of its own); without it, an embedded one.
import { fileURLToPath } from 'node:url';
import { runAccept, type AcceptResult } from './accept.js';
import { runBacklog } from './backlog.js';
import { runBurst } from './burst.js';
import { startEnvironment } from './environment.js';
import { runLifecycle } from './lifecycle.js';
import { Profiler } from './profile.js';
import { machine, profileText, table, writeRun, type BenchRun } from './report.js';
import { runRestart } from './restart.js';
import { runRouting } from './routing.js';

const PARTS = ['lifecycle', 'accept', 'routing', 'burst', 'backlog', 'restart'] as const;
type Part = (typeof PARTS)[number];

const full = process.argv.includes('--full');
const number = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number, not ${process.env[name]}`);
  return value;
};
const parts = (process.env.BENCH_PARTS ?? PARTS.join(','))
  .split(',')
  .map((p) => p.trim())
  .filter(Boolean);
for (const p of parts) if (!PARTS.includes(p as Part)) throw new Error(`BENCH_PARTS: no part ${p} (there are ${PARTS.join(', ')})`);
const settings = {
  parts,
  n: number('BENCH_N', 300),
  concurrency: number('BENCH_CONCURRENCY', 20),
  acceptN: number('BENCH_ACCEPT_N', 100),
  acceptAgents: (process.env.BENCH_ACCEPT_AGENTS ?? '1,20').split(',').map(Number),
  routingAgents: number('BENCH_ROUTING_AGENTS', 20),
  routingRecords: number('BENCH_ROUTING_RECORDS', 200),
  burst: number('BENCH_BURST', full ? 10_000 : 500),
  burstQueues: number('BENCH_BURST_QUEUES', 10),
  burstGate: number('BENCH_BURST_GATE', 10_000),
  burstSpreadSeconds: number('BENCH_BURST_SPREAD_S', 0),
  backlog: number('BENCH_BACKLOG', full ? 100_000 : 5_000),
  backlogQueues: number('BENCH_BACKLOG_QUEUES', 10),
};
const out = process.env.BENCH_OUT ?? fileURLToPath(new URL('./results', import.meta.url));

const startedAt = new Date().toISOString();
const env = await startEnvironment();
const profiler = new Profiler(env, { [env.config.TEMPORAL_TASK_QUEUE]: 'service', [env.bareQueue]: 'bare' });
const run: BenchRun = {
  startedAt,
  database: env.database,
  machine: machine(),
  settings,
  profile: {},
  statementsUnavailable: await profiler.prepareStatements(),
};
const has = (p: Part) => parts.includes(p);
const measured = async <T>(part: string, fn: () => Promise<T>): Promise<T> => {
  console.log(`[bench] ${part} ...`);
  await profiler.start();
  try {
    return await fn();
  } finally {
    run.profile[part] = await profiler.stop();
  }
};

try {
  if (has('lifecycle'))
    run.lifecycle = await measured('lifecycle', () => runLifecycle(env, { n: settings.n, concurrency: settings.concurrency }));
  if (has('accept')) {
    const results: AcceptResult[] = [];
    for (const agents of settings.acceptAgents)
      results.push(await measured(`accept, ${agents} agents`, () => runAccept(env, { n: settings.acceptN, agents })));
    run.accept = results;
  }
  if (has('routing')) {
    run.routing = await measured('routing', () => runRouting(env, { agents: settings.routingAgents, records: settings.routingRecords }));
  }
  if (has('burst')) {
    run.burst = await measured('burst', () =>
      runBurst(env, {
        records: settings.burst,
        queues: settings.burstQueues,
        gateSize: settings.burstGate,
        spreadSeconds: settings.burstSpreadSeconds,
        creationsPerSecond: run.lifecycle?.creationsPerSecond ?? 10,
      }),
    );
  }
  if (has('backlog'))
    run.backlog = await measured('backlog', () => runBacklog(env, { records: settings.backlog, queues: settings.backlogQueues }));
  if (has('restart')) run.restart = await runRestart(env);
} finally {
  run.machine = machine();
  console.log(`\n${table(run)}\n${profileText(run)}`);
  console.log(`\n[bench] written to ${await writeRun(run, out)}`);
  await env.stop();
}
// The SDK's runtime (its metrics exporter) keeps the process alive after everything has stopped.
process.exit(0);
