// The statistics' measurement: a history of over a million events (150,000 records over 120 days
// in 20 queues, of realistic shapes) written straight into a fresh database, then a 90-day report
// before the rollups (computed from the history, as it would be without them) and after
// (migration 018 applied to that history, then the report as GET /v1/stats reads it), the
// EXPLAIN of its queries, and what the rollups' triggers cost each save of the history.
//
//   npx tsx bench/statistics.ts          (DATABASE_URL: a server to make a scratch database on; else an embedded one)
//   STATS_BENCH_RECORDS=20000 npx tsx bench/statistics.ts     (a smaller run; STATS_BENCH_KEEP=1 keeps its database)
//
// Writes bench/results/statistics.json and prints the same.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { connect, type Sql } from '../db/connect.js';
import { migrate } from '../db/migrate.js';
import { connectPercentiles, dailyMeasures, statsQueues } from '../db/stats.js';
import { startEmbeddedPostgres } from '../dev/embedded-postgres.js';
import { buildReport } from '../domain/stats.js';

const RECORDS = Number(process.env.STATS_BENCH_RECORDS ?? 150_000);
const DAYS = 120;
const QUEUES = 20;
const ZONES = ['Europe/Stockholm', 'Europe/London', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney'];
const MIGRATIONS = new URL('../db/migrations/', import.meta.url);
const STATS_MIGRATION = '018_statistics.sql';
const DAY_MS = 86_400_000;

/** A seeded generator, so that two runs measure the same history. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Event {
  recordId: string;
  seq: number;
  at: Date;
  type: string;
  actor: string;
  detail: Record<string, unknown>;
}

/**
 * One record's life as the workflow writes it: requested (ASAP, at a later time, or an appointment),
 * offered, sometimes refused or timed out, dialled until answered (then mostly completed, now and
 * then re-established later) or three attempts, now and then closed by an administrator; records
 * whose next step lies after `now` are still open.
 */
function lifeOf(rand: () => number, queue: string, scheduleId: string, now: number) {
  const id = randomUUID();
  const created = now - DAYS * DAY_MS + rand() * (DAYS * DAY_MS - 3_600_000);
  const channel = (['ivr', 'ivr', 'ivr', 'web', 'web', 'web', 'agent', 'admin', 'api', 'api'] as const)[Math.floor(rand() * 10)]!;
  const appointment = rand() < 0.1;
  const requestedAt = appointment
    ? Math.ceil((created + DAY_MS * (1 + rand() * 2)) / 3_600_000) * 3_600_000
    : rand() < 0.15
      ? created + rand() * 48 * 3_600_000
      : null;
  const events: Event[] = [];
  let t = created;
  const push = (type: string, actor: string, detail: Record<string, unknown> = {}) =>
    events.push({ recordId: id, seq: events.length + 1, at: new Date(t), type, actor, detail });
  const wait = (meanSeconds: number) => (t += -Math.log(1 - rand()) * meanSeconds * 1000);
  push('requested', `${channel}:${channel}`, { queue, requestedAt: requestedAt && new Date(requestedAt).toISOString() });
  push('scheduled', 'system', { dueAt: new Date(requestedAt ?? created).toISOString() });
  t = Math.max(t, requestedAt ?? t);
  let attempts = 0;
  let closeReason: string | null = null;
  let latestOutcome: string | null = null;
  while (t < now && closeReason === null) {
    push('due', 'system', { queue });
    push('offered', 'system', { queue });
    wait(240);
    if (rand() < 0.08) {
      push('refused', 'agent:a1', { reason: 'in another call' });
      wait(60);
    }
    if (rand() < 0.04) {
      push('offer-timeout', 'system', { outcome: 'lost-during-routing', decision: { action: 'postpone', delayMinutes: 0 } });
      wait(120);
    }
    if (rand() < 0.03) {
      closeReason = 'closed-by-administrator';
      push('closed', 'admin:ada', { reason: closeReason });
      break;
    }
    push('accepted', 'agent:a2');
    attempts += 1;
    wait(5);
    push('dialling', 'agent:a2', { attempt: attempts });
    wait(15);
    const r = rand();
    latestOutcome = r < 0.7 ? 'answered' : r < 0.9 ? 'no-answer' : 'busy';
    push('dialled', 'dialler', { attempt: attempts, outcome: latestOutcome });
    if (latestOutcome === 'answered') {
      wait(300);
      const f = rand();
      if (f < 0.88) {
        latestOutcome = 'completed';
        push('feedback', 'agent:a2', { outcome: 'completed' });
        closeReason = 'completed';
        push('closed', 'agent:a2', { reason: closeReason });
        break;
      }
      if (f < 0.95) {
        const dueAt = new Date(t + DAY_MS).toISOString();
        push('feedback', 'agent:a2', { outcome: 'reestablish-later', requestedAt: dueAt });
        push('rescheduled', 'agent:a2', { dueAt });
        t += DAY_MS;
        continue;
      }
      latestOutcome = 'customer-not-reached';
      push('feedback', 'agent:a2', { outcome: 'customer-not-reached' });
    }
    if (attempts >= 3) {
      closeReason = 'too-many-attempts';
      push('closed', 'system', { reason: closeReason, outcome: latestOutcome });
      break;
    }
    push('postponed', 'system', { outcome: latestOutcome, delayMinutes: 30 });
    t += 30 * 60_000;
  }
  const closed = closeReason !== null;
  const row = {
    id,
    phone: `+4670${String(Math.floor(rand() * 1e7)).padStart(7, '0')}`,
    queue,
    orgArea: 'bench',
    channel,
    createdBy: channel,
    requestedAt: requestedAt === null ? null : new Date(requestedAt),
    priority: 5,
    status: closed ? 'Closed' : 'Open',
    stage: closed ? 'closed' : 'waiting',
    dueAt: new Date(t),
    rankAt: new Date(requestedAt ?? created),
    attempts,
    latestOutcome,
    closeReason,
    closedAt: closed ? new Date(t) : null,
    createdAt: new Date(created),
    version: events.length,
    scheduleId: appointment ? scheduleId : null,
    slotStart: appointment ? new Date(requestedAt!) : null,
    slotEnd: appointment ? new Date(requestedAt! + 3_600_000) : null,
  };
  return { row, events };
}

const queueName = (i: number) => `bench-q${String(i + 1).padStart(2, '0')}`;

/** Every migration before the statistics': the database as it was when its history grew. */
async function migrateBeforeStatistics(sql: Sql): Promise<void> {
  const files = (await readdir(MIGRATIONS)).filter((f) => f.endsWith('.sql') && f < STATS_MIGRATION).sort();
  await sql.begin(async (tx) => {
    await tx`create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())`;
    for (const name of files) {
      await tx.unsafe(await readFile(new URL(name, MIGRATIONS), 'utf8'));
      await tx`insert into schema_migrations (name) values (${name})`;
    }
  });
}

async function configure(sql: Sql): Promise<void> {
  await sql`insert into org_areas (id, name, duplicate_policy) values ('bench', 'Bench', 'allow')`;
  for (let i = 0; i < QUEUES; i++) {
    await sql`insert into queues (name, org_area, time_zone, opening_hours) values (${queueName(i)}, 'bench', ${ZONES[i % ZONES.length]!}, '{}')`;
    await sql`
      insert into schedules (id, name, org_area, queue, time_zone, week, capacity, horizon_days, minimum_notice_minutes, identification, priority)
      values (${`s-${queueName(i)}`}, 'Bench', 'bench', ${queueName(i)}, ${ZONES[i % ZONES.length]!}, '{}', 10, 30, 0, 'none', 5)`;
  }
}

async function insertEvents(sql: Sql, events: Event[]): Promise<void> {
  await sql`
    insert into callback_events (record_id, seq, at, type, actor, detail)
    select * from unnest(
      ${sql.array(events.map((e) => e.recordId))}::text[], ${sql.array(events.map((e) => e.seq))}::int[],
      ${sql.array(events.map((e) => e.at.toISOString()))}::timestamptz[], ${sql.array(events.map((e) => e.type))}::text[],
      ${sql.array(events.map((e) => e.actor))}::text[], ${sql.array(events.map((e) => JSON.stringify(e.detail)))}::jsonb[])`;
}

/** The history, in batches: each batch's records, then their events. Returns the number of events. */
async function loadHistory(sql: Sql, now: number): Promise<number> {
  const rand = random(16);
  const weights = Array.from({ length: QUEUES }, (_, i) => 1 / (i + 2));
  const sum = weights.reduce((a, b) => a + b, 0);
  const pickQueue = () => {
    let x = rand() * sum;
    for (let i = 0; i < QUEUES; i++) if ((x -= weights[i]!) <= 0) return i;
    return QUEUES - 1;
  };
  let count = 0;
  const BATCH = 2_000;
  for (let done = 0; done < RECORDS; done += BATCH) {
    const lives = Array.from({ length: Math.min(BATCH, RECORDS - done) }, () => {
      const q = pickQueue();
      return lifeOf(rand, queueName(q), `s-${queueName(q)}`, now);
    });
    await sql`insert into callbacks ${sql(lives.map((l) => l.row))}`;
    const events = lives.flatMap((l) => l.events);
    for (let i = 0; i < events.length; i += 20_000) await insertEvents(sql, events.slice(i, i + 20_000));
    count += events.length;
    if ((done / BATCH) % 10 === 0) process.stdout.write(`  ${done + lives.length} records, ${count} events\n`);
  }
  return count;
}

/** Best and median of `runs` runs, in ms. */
async function timing(runs: number, fn: () => Promise<unknown>) {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  return { bestMs: Math.round(ms[0]!), medianMs: Math.round(ms[Math.floor(runs / 2)]!), runs };
}

/**
 * The 90-day report computed from the history, as it would be without rollups: the same counts
 * per queue, local day and measure, and the connect times' percentiles. It leaves out what needs a
 * look back along each record (appointments kept and missed, the re-established time), so it is
 * the cheapest such query, and still has to read the whole period's history.
 */
async function reportFromHistory(sql: Sql, from: string, to: string) {
  const counted = await sql`
    with e as (
      select c.queue, (e.at at time zone q.time_zone)::date as day, e.type, e.detail, c.channel, c.attempts
      from callback_events e join callbacks c on c.id = e.record_id join queues q on q.name = c.queue
      where e.at >= ${from}::date - 1 and e.at < ${to}::date + 2
        and e.type in ('requested', 'refused', 'offer-timeout', 'dialled', 'closed')
    )
    select queue, day, measure, sum(value) from (
      select queue, day, case type when 'requested' then 'requested:' || channel when 'refused' then 'offer-refused'
        when 'offer-timeout' then 'offer-timeout' when 'closed' then 'closed:' || (detail ->> 'reason') else 'connected' end as measure, 1 as value
      from e where type <> 'dialled' or detail ->> 'outcome' = 'answered'
      union all
      select queue, day, 'completed-attempts', attempts from e where type = 'closed' and detail ->> 'reason' = 'completed'
    ) m where day between ${from}::date and ${to}::date group by 1, 2, 3`;
  const connects = await sql`
    select c.queue, (e.at at time zone q.time_zone)::date as day,
      percentile_cont(0.5) within group (order by extract(epoch from e.at - greatest(c.created_at, c.requested_at))) as p50,
      percentile_cont(0.9) within group (order by extract(epoch from e.at - greatest(c.created_at, c.requested_at))) as p90
    from callback_events e join callbacks c on c.id = e.record_id join queues q on q.name = c.queue
    where e.at >= ${from}::date - 1 and e.at < ${to}::date + 2 and e.type = 'dialled' and e.detail ->> 'outcome' = 'answered'
      and (e.at at time zone q.time_zone)::date between ${from}::date and ${to}::date
    group by grouping sets ((1, 2), (1))`;
  return counted.length + connects.length;
}

/** What GET /v1/stats does for the period (less HTTP): the rollups' rows made into the report. */
async function reportFromRollups(sql: Sql, from: string, to: string, queues?: string[]) {
  const measures = await dailyMeasures(sql, { from, to, queues });
  const names = queues ?? [...new Set(measures.map((m) => m.queue))].sort();
  return buildReport({ from, to }, await statsQueues(sql, names), measures, await connectPercentiles(sql, { from, to, queues: names }));
}

/** EXPLAIN (ANALYZE, BUFFERS) of the report's queries, captured as db/stats.ts sends them. */
async function explainReport(url: string, from: string, to: string): Promise<Record<string, string[]>> {
  const sent: { query: string; parameters: unknown[] }[] = [];
  const capturing = connect({
    url,
    max: 1,
    prepare: false,
    // Not postgres.js's own look-up of the array types.
    debug: (_c, query, parameters) => {
      if (!/\bpg_type\b/.test(query)) sent.push({ query, parameters });
    },
  });
  try {
    await dailyMeasures(capturing, { from, to });
    await connectPercentiles(capturing, { from, to, queues: [queueName(0), queueName(1)] });
    const plans: Record<string, string[]> = {};
    for (const [what, { query, parameters }] of [
      ['daily measures, every queue', sent[0]!],
      ['connect percentiles, two queues', sent[1]!],
    ] as const) {
      const rows = await capturing.unsafe(`explain (analyze, buffers) ${query}`, parameters as never[]);
      plans[what] = rows.map((r) => String(r['QUERY PLAN']));
    }
    return plans;
  } finally {
    await capturing.end({ timeout: 5 });
  }
}

/**
 * What the rollups cost the history's writes: records saved as the workflow saves them (the row
 * and the step's new events, one transaction per step), with the triggers on and off in turn.
 */
async function saveCost(sql: Sql, now: number) {
  const rand = random(7);
  const save = async (life: ReturnType<typeof lifeOf>) => {
    const { row, events } = life;
    await sql.begin(async (tx) => {
      await tx`insert into callbacks ${tx({ ...row, status: 'Open', stage: 'waiting', closeReason: null, closedAt: null, attempts: 0 })}`;
      await insertEvents(tx as unknown as Sql, events.slice(0, 1));
    });
    for (let i = 1; i < events.length; i++) {
      await sql.begin(async (tx) => {
        const last = i === events.length - 1;
        await tx`update callbacks set version = ${i + 1}, attempts = ${row.attempts}, status = ${last ? row.status : 'Active'},
          close_reason = ${last ? row.closeReason : null}, updated_at = now() where id = ${row.id}`;
        await insertEvents(tx as unknown as Sql, events.slice(i, i + 1));
      });
    }
    return events.length;
  };
  const measure = async (triggers: boolean) => {
    const action = triggers ? 'enable' : 'disable';
    await sql.unsafe(`alter table callback_events ${action} trigger callback_events_stats`);
    let saves = 0;
    const t = performance.now();
    for (let i = 0; i < 60; i++) saves += await save(lifeOf(rand, queueName(i % QUEUES), `s-${queueName(i % QUEUES)}`, now - DAY_MS));
    return { saves, ms: performance.now() - t };
  };
  const on = { saves: 0, ms: 0 };
  const off = { saves: 0, ms: 0 };
  for (let round = 0; round < 2; round++) {
    for (const [triggers, sum] of [
      [true, on],
      [false, off],
    ] as const) {
      const r = await measure(triggers);
      sum.saves += r.saves;
      sum.ms += r.ms;
    }
  }
  await sql`alter table callback_events enable trigger callback_events_stats`;
  const perSave = (s: { saves: number; ms: number }) => Number((s.ms / s.saves).toFixed(3));
  return { savesEach: on.saves, msPerSaveWithTriggers: perSave(on), msPerSaveWithout: perSave(off) };
}

async function main() {
  const embedded = process.env.DATABASE_URL ? null : await startEmbeddedPostgres({});
  const server = process.env.DATABASE_URL ?? embedded!.url;
  const admin = connect({ url: server, max: 1 });
  const dbName = `stats_bench_${randomUUID().slice(0, 8)}`;
  await admin.unsafe(`create database ${dbName}`);
  const url = Object.assign(new URL(server), { pathname: `/${dbName}` }).toString();
  const sql = connect({ url, max: 4 });
  try {
    const now = Date.now();
    await migrateBeforeStatistics(sql);
    await configure(sql);
    console.log(`loading ${RECORDS} records over ${DAYS} days in ${QUEUES} queues`);
    let t = performance.now();
    const events = await loadHistory(sql, now);
    const loadSeconds = (performance.now() - t) / 1000;
    await sql`vacuum analyze`;
    const to = new Date(now - DAY_MS).toISOString().slice(0, 10);
    const from = new Date(now - 90 * DAY_MS).toISOString().slice(0, 10);
    const yearFrom = new Date(now - 366 * DAY_MS).toISOString().slice(0, 10);

    console.log('before: the report from the history');
    const before = {
      everyQueue90Days: await timing(3, () => reportFromHistory(sql, from, to)),
    };

    console.log(`applying ${STATS_MIGRATION} to the history (its rollups counted from it)`);
    t = performance.now();
    const applied = await migrate(sql);
    const migrationSeconds = (performance.now() - t) / 1000;
    await sql`vacuum analyze`;
    const [rollups] = await sql<{ dailyRows: number; connectRows: number }[]>`
      select (select count(*)::int from stats_daily) as daily_rows, (select count(*)::int from stats_connects) as connect_rows`;

    console.log('after: the report from the rollups');
    const after = {
      everyQueue90Days: await timing(7, () => reportFromRollups(sql, from, to)),
      oneQueue90Days: await timing(7, () => reportFromRollups(sql, from, to, [queueName(0)])),
      everyQueue366Days: await timing(5, () => reportFromRollups(sql, yearFrom, to)),
      measuresQueryOnly: await timing(7, () => dailyMeasures(sql, { from, to })),
      percentilesQueryOnly: await timing(7, () =>
        connectPercentiles(sql, { from, to, queues: Array.from({ length: QUEUES }, (_, i) => queueName(i)) }),
      ),
    };
    const explain = await explainReport(url, from, to);
    console.log('the triggers: saves of the history with and without them');
    const writes = await saveCost(sql, now);

    const results = {
      at: new Date().toISOString(),
      database: embedded ? 'embedded PostgreSQL' : `DATABASE_URL (${new URL(server).host})`,
      history: { records: RECORDS, events, days: DAYS, queues: QUEUES, loadSeconds: Math.round(loadSeconds) },
      period: { from, to },
      before,
      migration: { applied, seconds: Number(migrationSeconds.toFixed(1)), ...rollups },
      after,
      writes,
      explain,
    };
    await mkdir(new URL('./results/', import.meta.url), { recursive: true });
    await writeFile(new URL('./results/statistics.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
    console.log(JSON.stringify(results, null, 2));
  } finally {
    await sql.end({ timeout: 5 });
    if (process.env.STATS_BENCH_KEEP) console.log(`kept the database ${dbName}`);
    else await admin.unsafe(`drop database if exists ${dbName}`);
    await admin.end({ timeout: 5 });
    await embedded?.stop();
  }
}

await main();
