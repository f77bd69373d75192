// The service's own Prometheus metrics, one registry per running part (the API, the worker), so
// that the two can run in one process (npm start, the tests) without sharing names. The Temporal
// SDK's worker metrics come from its own exporter; the worker's /metrics appends them.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Seconds, from a few milliseconds to a minute: requests and Temporal round trips. */
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
/** Seconds, from a second to an hour: how long a due record waits for room in its queue. */
const LAG_BUCKETS = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

export function apiMetrics() {
  const registry = new Registry();
  registry.setDefaultLabels({ component: 'api' });
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by method, route (the pattern, e.g. /v1/callbacks/:id) and status.',
      labelNames: ['method', 'route', 'status'] as const,
      registers,
    }),
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from a request arriving to its answer, by method, route and status.',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: REQUEST_BUCKETS,
      registers,
    }),
    created: new Counter({
      name: 'callback_records_created_total',
      help: 'Callback records created (admitted and committed), by channel.',
      labelNames: ['channel'] as const,
      registers,
    }),
    accept: new Histogram({
      name: 'callback_accept_duration_seconds',
      help: "Time an agent waits for an accept or /next to answer (the record's update and its saved state), by action and result.",
      labelNames: ['action', 'result'] as const,
      buckets: REQUEST_BUCKETS,
      registers,
    }),
  };
}
export type ApiMetrics = ReturnType<typeof apiMetrics>;

export function workerMetrics() {
  const registry = new Registry();
  registry.setDefaultLabels({ component: 'worker' });
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    closed: new Counter({
      name: 'callback_records_closed_total',
      help: 'Callback records closed, by close reason.',
      labelNames: ['reason'] as const,
      registers,
    }),
    dialOutcomes: new Counter({
      name: 'callback_dial_outcomes_total',
      help: "Dial attempts finished, by the dialler's outcome.",
      labelNames: ['outcome'] as const,
      registers,
    }),
    dueToOffered: new Histogram({
      name: 'callback_due_to_offered_seconds',
      help: 'Time from a record falling due (its calling time) to its offer in the queue, by queue.',
      labelNames: ['queue'] as const,
      buckets: LAG_BUCKETS,
      registers,
    }),
    webhookDeliveries: new Counter({
      name: 'callback_webhook_deliveries_total',
      help: 'Webhook delivery attempts, by result: delivered, failed (to be retried) or given-up.',
      labelNames: ['result'] as const,
      registers,
    }),
  };
}
export type WorkerMetrics = ReturnType<typeof workerMetrics>;

/** What the system-wide gauges read at scrape time (from PostgreSQL and the gates). */
export interface SystemState {
  records: { queue: string; stage: string; count: number }[];
  gates: { queue: string; size: number; holders: number; waiters: number }[];
  webhookOutbox: { state: string; count: number }[];
}

/**
 * Gauges of the whole system, read when scraped and kept for `cacheMs` so that several scrapers
 * (or workers) do not each query the database and the gates. Every worker exports the same values:
 * aggregate them with max, not sum.
 */
export function systemGauges(registry: Registry, read: () => Promise<SystemState>, cacheMs = 10_000): void {
  let cached: { at: number; state: Promise<SystemState> } | null = null;
  const EMPTY: SystemState = { records: [], gates: [], webhookOutbox: [] };
  let up = 1;
  // A failed read leaves the gauges empty and `callback_system_state_up` at 0 instead of failing the scrape.
  const state = (): Promise<SystemState> => {
    if (!cached || Date.now() - cached.at > cacheMs) {
      const reading = read().then(
        (s) => ((up = 1), s),
        () => ((up = 0), (cached = null), EMPTY),
      );
      cached = { at: Date.now(), state: reading };
    }
    return cached.state;
  };
  const registers = [registry];
  new Gauge({
    name: 'callback_system_state_up',
    help: 'Whether the last read of the system-wide gauges (PostgreSQL and the gates) succeeded.',
    registers,
    async collect() {
      await state();
      this.set(up);
    },
  });
  new Gauge({
    name: 'callback_records',
    help: 'Records not closed, by queue and stage (from PostgreSQL; the same in every worker).',
    labelNames: ['queue', 'stage'] as const,
    registers,
    async collect() {
      this.reset();
      for (const r of (await state()).records) this.set({ queue: r.queue, stage: r.stage }, r.count);
    },
  });
  new Gauge({
    name: 'callback_gate_permits_in_use',
    help: "Permits held in each queue's gate (from the gate's state query).",
    labelNames: ['queue'] as const,
    registers,
    async collect() {
      this.reset();
      for (const g of (await state()).gates) this.set({ queue: g.queue }, g.holders);
    },
  });
  new Gauge({
    name: 'callback_gate_size',
    help: "Each queue's gate size: at most this many of its records are offered or with an agent at once.",
    labelNames: ['queue'] as const,
    registers,
    async collect() {
      this.reset();
      for (const g of (await state()).gates) this.set({ queue: g.queue }, g.size);
    },
  });
  new Gauge({
    name: 'callback_gate_waiters',
    help: "Due records waiting in each queue's gate for a permit.",
    labelNames: ['queue'] as const,
    registers,
    async collect() {
      this.reset();
      for (const g of (await state()).gates) this.set({ queue: g.queue }, g.waiters);
    },
  });
  new Gauge({
    name: 'callback_webhook_outbox',
    help: 'Webhook deliveries in the outbox, by state (pending, failed).',
    labelNames: ['state'] as const,
    registers,
    async collect() {
      this.reset();
      for (const w of (await state()).webhookOutbox) this.set({ state: w.state }, w.count);
    },
  });
}
