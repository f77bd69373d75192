// Where the time goes, per part: the Temporal SDK's own metrics of this process (schedule-to-start
// latencies, task execution, the slots in use) for the service's worker and the bare one, and
// PostgreSQL's pg_stat_statements when the server has it loaded.
import type { BenchEnvironment } from './environment.js';
import { round } from './stats.js';

interface Series {
  name: string;
  labels: Record<string, string>;
  value?: number;
  buckets?: [number, number][];
  sum?: number;
  count?: number;
}
type Scrape = Map<string, Series>;

export interface HistogramSummary {
  metric: string;
  taskQueue: string;
  /** The activity or workflow type, when the SDK labels the series with one. */
  type?: string;
  count: number;
  meanMs: number;
  /** From the histogram's buckets: the upper bound of the bucket the percentile falls in (Infinity: above the largest). */
  p50Ms: number;
  p99Ms: number;
  largestBucketMs: number;
}

export interface SlotUse {
  taskQueue: string;
  workerType: string;
  /** The most slots in use at once, sampled every second. */
  maxUsed: number;
  /** The fewest available. */
  minAvailable: number;
}

export interface Statement {
  query: string;
  calls: number;
  totalMs: number;
  meanMs: number;
}

export interface PartProfile {
  histograms: HistogramSummary[];
  slots: SlotUse[];
  statements: Statement[] | { unavailable: string };
}

const HISTOGRAMS = /schedule_to_start_latency|workflow_task_execution_latency|activity_execution_latency|workflow_task_replay_latency/;

export class Profiler {
  private before: Scrape = new Map();
  private slots = new Map<string, SlotUse>();
  private sampler: NodeJS.Timeout | undefined;
  private statementsUnavailable: string | null = null;

  constructor(
    private env: BenchEnvironment,
    private names: Record<string, string>,
  ) {}

  /** Whether pg_stat_statements answers here; says why not once. */
  async prepareStatements(): Promise<string | null> {
    try {
      await this.env.sql`create extension if not exists pg_stat_statements`;
      await this.env.sql`select pg_stat_statements_reset()`;
      this.statementsUnavailable = null;
    } catch (err) {
      this.statementsUnavailable = `pg_stat_statements: ${(err as Error).message}`;
    }
    return this.statementsUnavailable;
  }

  async start(): Promise<void> {
    this.before = await scrape(this.env.sdkMetricsUrl);
    this.slots.clear();
    if (!this.statementsUnavailable) await this.env.sql`select pg_stat_statements_reset()`;
    this.sampler = setInterval(() => void this.sampleSlots().catch(() => {}), 1000);
  }

  async stop(): Promise<PartProfile> {
    clearInterval(this.sampler);
    const after = await scrape(this.env.sdkMetricsUrl);
    return { histograms: this.histograms(after), slots: [...this.slots.values()], statements: await this.statements() };
  }

  private queueName(taskQueue: string | undefined): string {
    return (taskQueue && this.names[taskQueue]) ?? taskQueue ?? '';
  }

  private histograms(after: Scrape): HistogramSummary[] {
    const out: HistogramSummary[] = [];
    for (const [key, series] of after) {
      if (!series.buckets || !HISTOGRAMS.test(series.name)) continue;
      const taskQueue = series.labels.task_queue;
      if (!taskQueue || !this.names[taskQueue]) continue;
      const earlier = this.before.get(key);
      const count = (series.count ?? 0) - (earlier?.count ?? 0);
      if (count <= 0) continue;
      const buckets = series.buckets.map(([le, n], i) => [le, n - (earlier?.buckets?.[i]?.[1] ?? 0)] as [number, number]);
      const sum = (series.sum ?? 0) - (earlier?.sum ?? 0);
      // Durations are in seconds (useSecondsForDurations) unless the name says milliseconds.
      const toMs = /_milliseconds|_ms\b/.test(series.name) ? 1 : 1000;
      const at = (p: number) => {
        const wanted = (p / 100) * count;
        const bucket = buckets.find(([, n]) => n >= wanted);
        return bucket ? bucket[0] * toMs : Infinity;
      };
      out.push({
        metric: series.name.replace(/^temporal_/, ''),
        taskQueue: this.queueName(taskQueue),
        ...(series.labels.activity_type || series.labels.workflow_type
          ? { type: series.labels.activity_type ?? series.labels.workflow_type }
          : {}),
        count,
        meanMs: round((sum / count) * toMs),
        p50Ms: round(at(50)),
        p99Ms: round(at(99)),
        largestBucketMs: round(Math.max(...buckets.map(([le]) => le).filter(Number.isFinite)) * toMs),
      });
    }
    return out.sort(
      (a, b) => a.metric.localeCompare(b.metric) || a.taskQueue.localeCompare(b.taskQueue) || (a.type ?? '').localeCompare(b.type ?? ''),
    );
  }

  private async sampleSlots() {
    const now = await scrape(this.env.sdkMetricsUrl);
    for (const series of now.values()) {
      const m = /task_slots_(used|available)$/.exec(series.name);
      const taskQueue = series.labels.task_queue;
      if (!m || series.value === undefined || !taskQueue || !this.names[taskQueue]) continue;
      const key = `${taskQueue}/${series.labels.worker_type}`;
      const use = this.slots.get(key) ?? {
        taskQueue: this.queueName(taskQueue),
        workerType: series.labels.worker_type ?? '',
        maxUsed: 0,
        minAvailable: Infinity,
      };
      if (m[1] === 'used') use.maxUsed = Math.max(use.maxUsed, series.value);
      else use.minAvailable = Math.min(use.minAvailable, series.value);
      this.slots.set(key, use);
    }
  }

  private async statements(): Promise<PartProfile['statements']> {
    if (this.statementsUnavailable) return { unavailable: this.statementsUnavailable };
    const rows = await this.env.sql<{ query: string; calls: number; totalMs: number; meanMs: number }[]>`
      select query, calls::int, total_exec_time::float8 as total_ms, mean_exec_time::float8 as mean_ms
      from pg_stat_statements
      where dbid = (select oid from pg_database where datname = current_database()) and query not like '%pg_stat_statements%'
      order by total_exec_time desc limit 10`;
    return rows.map((r) => ({
      query: r.query.replace(/\s+/g, ' ').slice(0, 160),
      calls: r.calls,
      totalMs: round(r.totalMs),
      meanMs: round(r.meanMs, 2),
    }));
  }
}

async function scrape(url: string): Promise<Scrape> {
  const text = await (await fetch(url)).text();
  const out: Scrape = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const [, fullName, labelText = '', valueText] = m;
    const labels: Record<string, string> = {};
    for (const [, k, v] of labelText.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[k!] = v!;
    const value = Number(valueText);
    const part = /_(bucket|sum|count)$/.exec(fullName!)?.[1];
    const name = part ? fullName!.slice(0, -part.length - 1) : fullName!;
    const { le, ...rest } = labels;
    const key = `${name}${JSON.stringify(rest)}`;
    const series = out.get(key) ?? { name, labels: rest };
    if (part === 'bucket') (series.buckets ??= []).push([le === '+Inf' ? Infinity : Number(le), value]);
    else if (part === 'sum') series.sum = value;
    else if (part === 'count') series.count = value;
    else series.value = value;
    out.set(key, series);
  }
  return out;
}
