// The benchmark's answer: a table with the ratios against bare Temporal, the profile of each
// part, and the whole run as JSON so that runs can be compared.
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { AcceptResult } from './accept.js';
import type { BacklogResult } from './backlog.js';
import type { BurstResult } from './burst.js';
import type { LifecycleResult } from './lifecycle.js';
import type { PartProfile } from './profile.js';
import type { RoutingResult } from './routing.js';
import type { RestartResult } from './restart.js';
import { ratio } from './stats.js';

export interface BenchRun {
  startedAt: string;
  database: string;
  machine: { cpus: number; loadAverage: number[] };
  settings: Record<string, unknown>;
  lifecycle?: LifecycleResult;
  accept?: AcceptResult[];
  burst?: BurstResult;
  backlog?: BacklogResult;
  restart?: RestartResult;
  routing?: RoutingResult;
  profile: Record<string, PartProfile>;
  /** Why pg_stat_statements is not in the profile, when it is not. */
  statementsUnavailable: string | null;
}

export const machine = () => ({ cpus: cpus().length, loadAverage: loadavg().map((x) => Number(x.toFixed(2))) });

const pair = (a: number, b: number) => `${fmt(a)} / ${fmt(b)}`;
const fmt = (x: number) => (Number.isFinite(x) ? (Math.abs(x) >= 100 ? Math.round(x).toLocaleString('en') : String(x)) : String(x));

export function table(run: BenchRun): string {
  const rows: [string, string, string, string, string, string][] = [];
  const add = (part: string, measure: string, ours: string, bare = '', ratio = '', target = '') =>
    rows.push([part, measure, ours, bare, ratio, target]);
  const l = run.lifecycle;
  if (l) {
    add(
      'lifecycle',
      `creations/s (N=${l.n}, c=${l.concurrency})`,
      fmt(l.creationsPerSecond),
      fmt(l.bareStartsPerSecond),
      fmt(l.creationRatio),
      '≥ 0.8',
    );
    add('lifecycle', 'lifecycles/s', fmt(l.lifecyclesPerSecond), fmt(l.bareLifecyclesPerSecond), fmt(l.lifecycleRatio), '≥ 0.8');
    add('lifecycle', 'create p50 / p99 ms', pair(l.createMs.p50, l.createMs.p99));
    add('lifecycle', 'accept p50 / p99 ms (in lifecycles)', pair(l.acceptMs.p50, l.acceptMs.p99));
  }
  for (const a of run.accept ?? []) {
    add(
      'accept',
      `accept vs Update p50 / p99 ms, ${a.agents} agent(s)`,
      pair(a.acceptMs.p50, a.acceptMs.p99),
      pair(a.bareUpdateMs.p50, a.bareUpdateMs.p99),
      pair(ratio(a.acceptMs.p50, a.bareUpdateMs.p50), a.p99Ratio),
      'p99 ≤ 1.5',
    );
  }
  const b = run.burst;
  if (b) {
    const what = `${b.records} in ${b.queues} queues, gate ${b.gateSize}${b.spreadSeconds ? `, over ${b.spreadSeconds} s` : ', same second'}`;
    add('burst', `due → offered p50 / p99 ms (${what})`, pair(b.dueToOfferedMs.p50, b.dueToOfferedMs.p99), '', '', 'p99 ≤ 2,000');
    add('burst', 'due → woken p50 / p99 ms', pair(b.dueToWokenMs.p50, b.dueToWokenMs.p99));
    add(
      'burst',
      'gate acquires/s per queue, median / slowest',
      pair(b.acquirePerSecondPerQueue.median, b.acquirePerSecondPerQueue.min),
      '',
      '',
      '≥ 100',
    );
    add(
      'burst',
      'gate releases/s per queue (bulk close)',
      pair(b.releasePerSecondPerQueue.median, b.releasePerSecondPerQueue.min),
      '',
      '',
      '≥ 100',
    );
    if (b.createdLate || b.offered < b.records)
      add('burst', 'WARNING', `${b.createdLate ? 'created after the due time; ' : ''}${b.offered}/${b.records} offered`);
  }
  const k = run.backlog;
  if (k) {
    add(
      'backlog',
      `creations/s, first / last ${k.window} of ${k.records}`,
      pair(k.creationsPerSecondAtStart, k.creationsPerSecondAtEnd),
      '',
      fmt(k.endToStartRatio),
      '≥ 0.9',
    );
    add(
      'backlog',
      'worker RSS MB idle / peak / end',
      `${k.workerRssMb.idle} / ${k.workerRssMb.peak} / ${k.workerRssMb.end}`,
      '',
      '',
      '≤ 300',
    );
    add('backlog', 'worker behind the API at the end, s', fmt(k.settledSeconds));
    add('backlog', 'record search p50 / p99 ms', pair(k.searchMs.p50, k.searchMs.p99), '', '', 'p99 ≤ 50');
    add('backlog', 'queue status p50 / p99 ms', pair(k.queueStatusMs.p50, k.queueStatusMs.p99), '', '', 'p99 ≤ 50');
    const seq = k.plans.filter((p) => p.seqScanOfLargeTable);
    add(
      'backlog',
      `sweeps' and reads' queries (${k.plans.length} plans)`,
      seq.length ? `${new Set(seq.map((p) => p.what)).size} scan the large tables sequentially` : 'all use indexes on the large tables',
    );
    for (const what of new Set(seq.map((p) => p.what))) add('', `  seq scan: ${what}`, '');
  }
  const routed = run.routing;
  if (routed) {
    const what = `${routed.records} records, ${routed.agents} agents`;
    add('routing', `gate → agent's event stream p50 / p99 ms (${what})`, pair(routed.gateToStream.p50, routed.gateToStream.p99));
    add('routing', 'reservation → event stream p50 / p99 ms', pair(routed.reservedToStream.p50, routed.reservedToStream.p99));
  }
  const r = run.restart;
  if (r) {
    add(
      'restart',
      'start → first task s, bundling (before) / cached (after)',
      pair(r.coldSeconds, r.warmSeconds),
      '',
      fmt(Number((r.warmSeconds / r.coldSeconds).toFixed(2))),
      'seconds',
    );
  }
  const header: (typeof rows)[number] = ['part', 'measure', 'ours', 'bare', 'ratio', 'target'];
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => row[i]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [
    `callback-service benchmark ${run.startedAt}, database: ${run.database}, ${run.machine.cpus} cores, load ${run.machine.loadAverage.join(' ')}`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ].join('\n');
}

export function profileText(run: BenchRun): string {
  const out: string[] = [];
  for (const [part, p] of Object.entries(run.profile)) {
    out.push(`\nprofile: ${part}`);
    for (const h of p.histograms.filter((h) => /schedule_to_start|execution_latency/.test(h.metric))) {
      // Infinity (above the largest bucket) reads back from JSON as null.
      const bound = (ms: number | null) => (ms !== null && Number.isFinite(ms) ? `≤ ${fmt(ms)}` : `> ${fmt(h.largestBucketMs)}`);
      out.push(
        `  ${h.metric} [${h.taskQueue}${h.type ? ` ${h.type}` : ''}]  n=${h.count}  mean ${h.meanMs} ms  p50 ${bound(h.p50Ms)} ms  p99 ${bound(h.p99Ms)} ms`,
      );
    }
    for (const s of p.slots) out.push(`  slots ${s.workerType} [${s.taskQueue}]  most in use ${s.maxUsed}, fewest free ${s.minAvailable}`);
    if (Array.isArray(p.statements)) {
      for (const s of p.statements.slice(0, 5))
        out.push(`  sql ${fmt(s.totalMs)} ms total, ${s.calls} calls, ${s.meanMs} ms mean: ${s.query.slice(0, 100)}`);
    }
  }
  if (run.statementsUnavailable) out.push(`\n(${run.statementsUnavailable})`);
  return out.join('\n');
}

export async function writeRun(run: BenchRun, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(
    dir,
    `${run.startedAt.replace(/[:.]/g, '-')}-${run.database.startsWith('embedded') ? 'embedded' : 'database-url'}.json`,
  );
  await writeFile(file, `${JSON.stringify(run, null, 2)}\n`);
  return file;
}
