// What operations see, from the API and a worker running as their own processes: health and
// readiness, metrics that the Grafana dashboard and the alert rules really find, JSON log lines
// with the request's and the record's ids, and no phone number or secret in any of them.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  exportedMetricNames,
  processEnv,
  sampleValue,
  startApiProcess,
  startWorkerProcess,
  type ServiceProcess,
} from '../support/processes.js';
import { eventually, http, keysForEveryRole, newQueue, recordWhen, testSql } from '../support/stack.js';

const sql = testSql();
let api: ServiceProcess & { url: string };
let worker: ServiceProcess & { metricsUrl: string };
let keys: Awaited<ReturnType<typeof keysForEveryRole>>;

beforeAll(async () => {
  // The worker logs at DEBUG: the SDK's, the Core's and the workflows' lines all pass the scrub.
  const env = processEnv({ LOG_LEVEL: 'DEBUG', SERVICE_LOG_LEVEL: 'debug' });
  [api, worker, keys] = await Promise.all([startApiProcess(env), startWorkerProcess(env), keysForEveryRole(sql)]);
});
afterAll(async () => {
  for (const p of [api, worker]) p?.child.kill('SIGTERM');
  await Promise.all([api?.exited, worker?.exited]);
  await sql.end();
});

const phone = `+4670${String(Math.floor(Math.random() * 9_000_000) + 1_000_000)}`;
const national = `0${phone.slice(3, 5)}-${phone.slice(5, 8)} ${phone.slice(8, 10)} ${phone.slice(10)}`;

async function text(url: string) {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
}

/** Metric names a PromQL expression uses (ours, the SDK's and the process's). */
function metricsIn(expr: string): string[] {
  return [...expr.replace(/"[^"]*"/g, '""').matchAll(/\b(?:http|callback|temporal|process|nodejs)_[a-zA-Z0-9_:]+/g)].map((m) => m[0]);
}

it('answers /healthz and /readyz on the API and the worker', async () => {
  for (const base of [api.url, worker.metricsUrl]) {
    expect((await text(`${base}/healthz`)).status).toBe(200);
    const ready = await text(`${base}/readyz`);
    expect(ready.status, ready.body).toBe(200);
    const checks = JSON.parse(ready.body).checks;
    expect(checks).toMatchObject({ postgres: 'ok', temporal: 'ok', migrations: 'ok' });
  }
});

it('runs a callback through, then exports what the dashboard and the alerts read, and logs it without the phone number or any secret', async () => {
  const admin = http(api.url, { authorization: `Bearer ${keys.admin}`, 'x-actor': 'ops' });
  const web = http(api.url, { authorization: `Bearer ${keys.byRole.web}` });
  // The agent's desktop platform: an integration key acts for the named agent.
  const agent = http(api.url, { authorization: `Bearer ${keys.byRole.integration}` });
  const queue = await newQueue(admin, { queue: { gateSize: 3 } });

  const requestId = `obs-${Date.now()}`;
  const created = await web.post('/v1/callbacks', { phone: national, queue, channel: 'web' }, { 'x-request-id': requestId });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect(created.headers.get('x-request-id')).toBe(requestId);
  const id: string = created.body.id;
  const token: string = created.body.selfServiceToken;
  const own = await web.get('/v1/self-service/callback', { 'callback-token': token });
  expect(own.status).toBe(200);
  // A request id that is not a tame token is replaced, never echoed.
  const odd = await admin.get(`/v1/callbacks?phone=${encodeURIComponent(phone)}`, { 'x-request-id': 'a b\u00e9' });
  expect(odd.body.items.map((r: any) => r.id)).toContain(id);
  expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

  await recordWhen(admin, id, (r) => r.stage === 'offered', 60_000);
  // While it is offered: its queue's gate holds its permit, and the gauges show it (read every 10 s).
  await eventually(
    async () => {
      const m = (await text(`${worker.metricsUrl}/metrics`)).body;
      return sampleValue(m, 'callback_gate_permits_in_use', { queue }) === 1 &&
        sampleValue(m, 'callback_gate_size', { queue }) === 3 &&
        sampleValue(m, 'callback_records', { queue, stage: 'offered' }) === 1
        ? true
        : undefined;
    },
    30_000,
    "the gate's permit in the gauges",
  );
  expect((await agent.post(`/v1/queues/${queue}/next`, { agentId: 'obs-anna' })).status).toBe(200);
  await recordWhen(admin, id, (r) => r.stage === 'connected', 60_000);
  expect((await agent.post(`/v1/callbacks/${id}/feedback`, { agentId: 'obs-anna', outcome: 'completed' })).status).toBe(200);
  await recordWhen(admin, id, (r) => r.status === 'Closed');

  const apiMetrics = await text(`${api.url}/metrics`);
  expect(apiMetrics.type).toContain('text/plain');
  expect(
    sampleValue(apiMetrics.body, 'http_requests_total', { route: '/v1/callbacks', method: 'POST', status: '201' }),
  ).toBeGreaterThanOrEqual(1);
  expect(sampleValue(apiMetrics.body, 'callback_records_created_total', { channel: 'web' })).toBeGreaterThanOrEqual(1);
  expect(
    sampleValue(apiMetrics.body, 'callback_accept_duration_seconds_count', { action: 'next', result: 'taken' }),
  ).toBeGreaterThanOrEqual(1);
  // The record's id is a label nowhere: routes are patterns.
  expect(apiMetrics.body).not.toContain(id);

  // The worker counts when its saves commit; the SDK's exporter is read through the same listener.
  const workerMetrics = await eventually(async () => {
    const m = await text(`${worker.metricsUrl}/metrics`);
    return sampleValue(m.body, 'callback_records_closed_total', { reason: 'completed' }) >= 1 &&
      m.body.includes('temporal_workflow_task_schedule_to_start_latency_bucket')
      ? m
      : undefined;
  }, 30_000);
  expect(sampleValue(workerMetrics.body, 'callback_dial_outcomes_total', { outcome: 'answered' })).toBeGreaterThanOrEqual(1);
  expect(sampleValue(workerMetrics.body, 'callback_due_to_offered_seconds_count', { queue })).toBe(1);
  expect(sampleValue(workerMetrics.body, 'callback_system_state_up')).toBe(1);
  for (const name of [
    'temporal_worker_task_slots_available',
    'temporal_sticky_cache_size',
    'temporal_activity_schedule_to_start_latency_bucket',
  ]) {
    expect(workerMetrics.body).toContain(name);
  }

  // Every metric the dashboard and the alert rules name is one the processes export.
  const exported = new Set([...exportedMetricNames(apiMetrics.body), ...exportedMetricNames(workerMetrics.body)]);
  const dashboard = JSON.parse(readFileSync('deploy/grafana/dashboards/callback-service.json', 'utf8'));
  const panelExprs: string[] = dashboard.panels.flatMap((p: any) => (p.targets ?? []).map((t: any) => t.expr));
  expect(panelExprs.length).toBeGreaterThan(15);
  const rules = parse(readFileSync('deploy/prometheus/alerts.yml', 'utf8'));
  const alerts: any[] = rules.groups.flatMap((g: any) => g.rules);
  for (const rule of alerts) {
    expect(rule).toMatchObject({
      alert: expect.any(String),
      expr: expect.any(String),
      labels: { severity: expect.stringMatching(/^(warning|critical)$/) },
    });
    expect(rule.annotations.summary).toEqual(expect.any(String));
  }
  // The four that the issue names: schedule-to-start latency, due-to-offered lag, webhook failures, API 5xx.
  const alertExprs = alerts.map((r) => r.expr as string);
  for (const needed of [
    'temporal_workflow_task_schedule_to_start_latency_bucket',
    'callback_due_to_offered_seconds_bucket',
    'callback_webhook_deliveries_total',
    'http_requests_total{status=~"5..',
  ]) {
    expect(
      alertExprs.some((e) => e.includes(needed)),
      needed,
    ).toBe(true);
  }
  const missing = [...new Set([...panelExprs, ...alertExprs].flatMap(metricsIn))].filter((n) => !exported.has(n));
  expect(missing).toEqual([]);

  // Logs: JSON lines; the request's line carries its id; the worker's lines name the record.
  const apiLines = api.logLines();
  expect(apiLines.find((l) => l.requestId === requestId && l.msg === 'request')).toMatchObject({
    route: '/v1/callbacks',
    status: 201,
    level: 'info',
  });
  await eventually(
    async () => (worker.logLines().some((l) => l.recordId === id && l.source === 'temporal') ? true : undefined),
    30_000,
    'a worker log line naming the record',
  );
  for (const line of [...apiLines, ...worker.logLines()])
    expect(line).toMatchObject({ level: expect.any(String), time: expect.any(String) });

  const everything = [...api.output, ...worker.output].join('\n');
  const digits = phone.slice(1);
  for (const secret of [
    digits,
    digits.slice(2),
    national,
    token,
    keys.admin,
    keys.byRole.web,
    keys.byRole.agent,
    keys.byRole.integration,
  ]) {
    expect(everything.includes(secret), `the logs hold ${secret.slice(0, 6)}…`).toBe(false);
  }
});
