// A fuzz pass over every operation of /openapi.json, with every role: text PostgreSQL cannot store
// (NUL, lone surrogates), control characters, huge and deeply nested values, wrong types, __proto__
// keys and wrong content types, in every body field, query parameter, path parameter and audited
// header. Seeded, so every run sends the same requests (ids aside). No answer may be a 5xx, and a
// refused request may leave nothing behind: every row that appeared, or configuration that changed,
// must be one a 2xx answer made.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { ROLES, type Role } from '../../domain/roles.js';
import { leavesOf, sampleOf, seededRandom, withLeaf } from '../support/fuzz.js';
import { startStack, type Stack } from '../support/stack.js';

type Json = Record<string, any>;

const SEED = 20_261_224;
const CONCURRENCY = 4;
/** A request unanswered this long is a failure of its own, counted apart from the statuses. */
const ANSWER_WITHIN_MS = 15_000;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

// Every string the fuzz sends carries the suffix, so that rows it made can be told from those of
// tests running beside it in the same database.
const sfx = `fz${randomUUID().slice(0, 6)}`;
const area = `${sfx}-area`;
const queue = `${sfx}-q`;
const schedule = `${sfx}-s`;

interface Case {
  what: string;
  operation: string;
  role: Role;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

interface Fixtures {
  recordId: string;
  bookedId: string;
  slotStart: string;
  token: string;
  keyId: string;
  webhookId: string;
  agentId: string;
  parameter: { name: string; value: unknown };
}

async function makeFixtures(): Promise<Fixtures> {
  const api = stack.api;
  const ok = <T>(reply: { status: number; body: T }, what: string): T => {
    if (reply.status >= 300) throw new Error(`fuzz fixture ${what}: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  };
  const allDay = [{ from: '00:00', to: '24:00' }];
  const days = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
  ok(await api.post('/v1/org-areas', { id: area, name: area, duplicatePolicy: 'allow' }), 'area');
  ok(
    await api.post('/v1/queues', {
      name: queue,
      orgArea: area,
      timeZone: 'Europe/Stockholm',
      openingHours: Object.fromEntries(days.map((d) => [d, allDay])),
    }),
    'queue',
  );
  const week = Object.fromEntries(days.map((d) => [d, { periods: [{ from: '08:00', to: '20:00' }], minutesPerAppointment: 15 }]));
  ok(await api.post('/v1/schedules', { id: schedule, name: schedule, queue, week, capacity: 1000, minimumNoticeMinutes: 0 }), 'schedule');
  const later = new Date(Date.now() + 30 * 86_400_000).toISOString();
  const record = ok(await api.post('/v1/callbacks', { phone: '+46701234567', queue, channel: 'api', requestedAt: later }), 'record');
  const web = ok(await stack.as('web').post('/v1/callbacks', { phone: '+46701234599', queue, channel: 'web' }), 'web record');
  const slot = ok(
    await api.get(`/v1/schedules/${schedule}/next-free-slot?after=${new Date(Date.now() + 2 * 86_400_000).toISOString()}`),
    'slot',
  ).slot;
  const booked = ok(
    await api.post(`/v1/schedules/${schedule}/bookings`, { slotStart: slot.start, channel: 'ivr', phone: '+46701234577' }),
    'booking',
  );
  const key = ok(await api.post('/v1/api-keys', { name: `${sfx}-key`, role: 'agent' }), 'key');
  const webhook = ok(
    await api.post('/v1/webhooks', { url: 'https://hooks.example/fuzz', events: ['closed'], description: sfx }),
    'webhook',
  );
  const agent = ok(await api.post('/v1/agents', { id: `${sfx}-agent`, displayName: 'Fuzz', queues: [{ queue }] }), 'agent');
  ok(await api.post('/v1/people', { id: agent.id, role: 'agent', password: `${sfx}-a-long-password` }), 'person');
  const parameters = ok(await api.get('/v1/parameters'), 'parameters').items as { name: string; value: unknown }[];
  return {
    recordId: record.id,
    bookedId: booked.record.id,
    slotStart: slot.start,
    token: web.selfServiceToken,
    keyId: key.id,
    webhookId: webhook.id,
    agentId: agent.id,
    // Its present value: a request that passes changes nothing other tests see.
    parameter: parameters.find((p) => p.name === 'lastAgentRetentionDays')!,
  };
}

/** Values a schema cannot tell, by field name; the rest comes from the schema. */
function knownValues(f: Fixtures) {
  const text = `${sfx}-text`;
  const values: Record<string, unknown> = {
    phone: '+46701234567',
    ani: '+46701234568',
    queue,
    orgArea: area,
    channel: 'api',
    agentId: `${sfx}-agent`,
    timeZone: 'Europe/Stockholm',
    language: 'sv',
    name: `${sfx}-name`,
    url: 'https://hooks.example/fuzz',
    events: ['closed'],
    from: '08:00',
    to: '12:00',
    date: '2030-12-24',
    slotStart: f.slotStart,
    value: f.parameter.value,
    role: 'agent',
    customerId: text,
    createdBy: text,
    taskType: text,
    comment: text,
    description: text,
    reason: text,
    note: text,
    cursor: text,
  };
  let made = 0;
  return (name: string) => (name === 'id' ? `${sfx}-new-${++made}` : values[name]);
}

function pathParam(path: string, name: string, f: Fixtures): string {
  if (name === 'queue') return queue;
  if (name === 'area') return area;
  if (name === 'date') return '2030-12-24';
  if (name === 'recordId') return f.bookedId;
  if (name === 'deliveryId') return '1';
  if (name === 'name') return f.parameter.name;
  if (path.startsWith('/v1/callbacks')) return f.recordId;
  if (path.startsWith('/v1/org-areas')) return area;
  if (path.startsWith('/v1/schedules')) return schedule;
  if (path.startsWith('/v1/api-keys')) return f.keyId;
  if (path.startsWith('/v1/webhooks')) return f.webhookId;
  if (path.startsWith('/v1/agents') || path.startsWith('/v1/people')) return f.agentId;
  // No import is made here: its reads answer 404, which the fuzz holds to the same rules.
  if (path.startsWith('/v1/imports')) return `${sfx}-no-such-import`;
  throw new Error(`no value for path parameter ${name} of ${path}`);
}

const deep = (depth: number) => JSON.parse('['.repeat(depth) + ']'.repeat(depth));
const MUST_REFUSE = [`${sfx}\u0000`, `${sfx}\ud800`, `\udc00${sfx}`];
const OTHER_VALUES: unknown[] = [
  `${sfx}\u0001\u0008\u000b\u001b\u007f\u0085\u2028\ufeff`,
  `${sfx}${'x'.repeat(60_000)}`,
  deep(2_000),
  Array.from({ length: 5_000 }, (_, i) => i),
  1e308,
  -1,
  2 ** 53 + 1,
  0.5,
  null,
  true,
  {},
  JSON.parse('{"__proto__":{"polluted":true}}'),
  `${sfx} ${'\u{1F600}'.repeat(50)}`,
];

/** Whole bodies: [what, content type (null: none), body]. */
function wholeBodies(base: unknown): [string, string | null, string | Uint8Array][] {
  const json = JSON.stringify(base);
  const bytes = new TextEncoder().encode(json);
  return [
    ['text/plain', 'text/plain', json],
    ['no content type', null, bytes],
    ['a form', 'application/x-www-form-urlencoded', 'a=b'],
    ['multipart', 'multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--'],
    ['malformed JSON', 'application/json', json.slice(0, -1)],
    ['an empty body', 'application/json', ''],
    ['whitespace', 'application/json', '  \n'],
    ['null', 'application/json', 'null'],
    ['an array', 'application/json', `[${json}]`],
    ['a string', 'application/json', JSON.stringify(`${sfx}\u0000`)],
    ['a number', 'application/json', '12'],
    ['__proto__ at the top', 'application/json', `{"__proto__":{"admin":true},${json.slice(1)}`.replace(',}', '}')],
    ['constructor.prototype', 'application/json', JSON.stringify({ ...(base as object), constructor: { prototype: { polluted: true } } })],
    ['a duplicate key', 'application/json', json.replace(/^\{/, '{"x":1,"x":2,')],
    [
      'invalid UTF-8',
      'application/json',
      Uint8Array.from([...bytes.slice(0, -1), 0x2c, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    ],
    ['over the size limit', 'application/json', JSON.stringify({ ...(base as object), padding: 'x'.repeat(70_000) })],
    ['nested 50,000 deep', 'application/json', '['.repeat(50_000) + ']'.repeat(50_000)],
  ];
}

const PATH_VALUES = ['%00', `${sfx}%00`, '%ED%A0%80', `${sfx}%01%1F`, 'x'.repeat(5_000), '..', '%2F', '%25', '__proto__', '%F0%9F%98%80'];
const QUERY_VALUES = ['%00', `${sfx}%00`, '%ED%A0%80', `${sfx}%01%7F`, 'x'.repeat(6_000), '0x10', '1e1', '', '-1', '%C0%80'];

function casesOf(doc: Json, f: Fixtures): Case[] {
  const rnd = seededRandom(SEED);
  const known = knownValues(f);
  const cases: Case[] = [];
  let n = 0;
  for (const [template, operations] of Object.entries<Json>(doc.paths)) {
    for (const [method, op] of Object.entries<Json>(operations)) {
      const operation = `${method.toUpperCase()} ${template}`;
      // Routes anyone may call (sign-in, the providers' callbacks) name no roles: any key then.
      const allowed = (op['x-roles'] as Role[] | undefined) ?? ROLES;
      const params = (op.parameters ?? []) as Json[];
      const pathValues = Object.fromEntries(params.filter((p) => p.in === 'path').map((p) => [p.name, pathParam(template, p.name, f)]));
      const pathWith = (over: Record<string, string> = {}) =>
        template.replace(/\{(\w+)\}/g, (_, name: string) => over[name] ?? encodeURIComponent(pathValues[name]!));
      const bodySchema = op.requestBody?.content['application/json']?.schema;
      const base = bodySchema ? sampleOf(bodySchema, known) : undefined;
      const baseHeaders: Record<string, string> = { 'x-actor': 'fuzz' };
      if (template.startsWith('/v1/self-service')) baseHeaders['callback-token'] = f.token;
      const add = (what: string, c: Partial<Case>) => {
        // Mostly a role the route admits, so that the request reaches its validation; now and
        // then any role, so that refusals by role are fuzzed too.
        const role = n++ % 7 === 6 ? rnd.pick(ROLES) : allowed[n % allowed.length]!;
        cases.push({ what, operation, role, method: method.toUpperCase(), path: pathWith(), headers: { ...baseHeaders }, ...c });
      };
      const json = (value: unknown) => ({ headers: { ...baseHeaders, 'content-type': 'application/json' }, body: JSON.stringify(value) });

      if (bodySchema) {
        for (const leaf of leavesOf(base)) {
          for (const value of [...MUST_REFUSE, ...rnd.some(OTHER_VALUES, 5)])
            add(`body ${leaf.join('.')}`, json(withLeaf(base, leaf, value)));
        }
        for (const [what, type, body] of wholeBodies(base)) {
          add(`body: ${what}`, { headers: { ...baseHeaders, ...(type ? { 'content-type': type } : {}) }, body });
        }
      }
      for (const p of params.filter((p) => p.in === 'path')) {
        for (const value of PATH_VALUES) add(`path ${p.name}`, { path: pathWith({ [p.name]: value }), ...(bodySchema ? json(base) : {}) });
      }
      for (const p of params.filter((p) => p.in === 'query')) {
        for (const value of ['%00', ...rnd.some(QUERY_VALUES.slice(1), 4)])
          add(`query ${p.name}`, { path: `${pathWith()}?${p.name}=${value}` });
      }
      add('query __proto__', { path: `${pathWith()}?__proto__=${sfx}&constructor=x` });
      if (params.some((p) => p.in === 'header' && p.name === 'X-Actor')) {
        for (const actor of [`${sfx}\u0001`, `${sfx}\u00e9`, 'x'.repeat(4_000)])
          add('header X-Actor', { headers: { ...baseHeaders, 'x-actor': actor }, ...(bodySchema ? json(base) : {}) });
      }
      // Last, the plausible request with every role: it may delete what the others used.
      for (const role of ROLES) {
        cases.push({
          what: 'as sampled',
          operation,
          role,
          method: method.toUpperCase(),
          path: pathWith(),
          headers: { ...baseHeaders },
          ...(bodySchema ? json(base) : {}),
        });
      }
    }
  }
  return cases;
}

interface Outcome {
  c: Case;
  status: number;
  text: string;
}

async function send(c: Case): Promise<Outcome> {
  try {
    const res = await fetch(stack.apiUrl + c.path, {
      method: c.method,
      headers: { authorization: `Bearer ${stack.keys[c.role]}`, ...c.headers },
      body: c.body,
      signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
    });
    // An event stream answers at once and never ends: its status is the answer.
    if (res.headers.get('content-type')?.startsWith('text/event-stream')) {
      await res.body?.cancel();
      return { c, status: res.status, text: 'an event stream' };
    }
    return { c, status: res.status, text: await res.text() };
  } catch (err) {
    if ((err as Error).name === 'TimeoutError') return { c, status: -1, text: 'no answer' };
    // A control character in a header: Node's HTTP parser answers a bare 400 and closes the
    // connection before the app sees the request, which fetch reports as a failure.
    return { c, status: 0, text: String(err) };
  }
}

/** Rows the fuzz could have made, each as the parts of its key, with its content. */
async function fuzzRows(): Promise<Map<string, { key: string[]; content: string }>> {
  const sql = stack.sql;
  const like = `%${sfx}%`;
  const ours = `${stack.actor.split('/')[0]}%`;
  const rows = [
    ...(await sql`select 'callback' as t, array[id::text] as key, '' as content from callbacks where queue = ${queue} or org_area = ${area} or created_by like ${like}`),
    ...(await sql`select 'org-area' as t, array[id] as key, to_jsonb(a) - 'updated_at' - 'created_at' as content from org_areas a where id like ${like}`),
    ...(await sql`select 'queue' as t, array[name] as key, to_jsonb(q) - 'updated_at' - 'created_at' as content from queues q where name like ${like}`),
    ...(await sql`select 'schedule' as t, array[id] as key, to_jsonb(s) - 'updated_at' - 'created_at' as content from schedules s where id like ${like}`),
    ...(await sql`select 'exception' as t, array[schedule_id, date::text] as key, to_jsonb(e) as content from schedule_exceptions e where schedule_id like ${like}`),
    ...(await sql`select 'treatment' as t, array[scope, name] as key, treatment as content from treatments where name like ${like}`),
    ...(await sql`select 'webhook' as t, array[id::text] as key, to_jsonb(w) - 'updated_at' as content from webhook_subscriptions w where created_by like ${ours}`),
    ...(await sql`select 'agent' as t, array[id] as key, to_jsonb(a) - 'updated_at' - 'created_at' || jsonb_build_object('queues', (select jsonb_agg(to_jsonb(q) order by q.queue) from agent_queues q where q.agent_id = a.id)) as content from agents a where id like ${like}`),
    // A refused sign-in counts against the account on purpose: the lockout's counters are left out.
    ...(await sql`select 'person' as t, array[id] as key, to_jsonb(p) - 'updated_at' - 'created_at' - 'failed_attempts' - 'lockouts' - 'locked_until' as content from people p where id like ${like}`),
    ...(await sql`select 'session' as t, array[id_sha256] as key, '' as content from sessions where person_id like ${like}`),
    ...(await sql`select 'api-key' as t, array[id] as key, to_jsonb(k) - 'last_used_at' as content from api_keys k where created_by like ${ours} or name like ${like}`),
    ...(await sql`select 'parameter' as t, array[name] as key, value as content from system_parameters`),
  ];
  return new Map(rows.map((r) => [`${r.t} ${r.key.join(' ')}`, { key: r.key as string[], content: JSON.stringify(r.content) }]));
}

// A soak: CI runs it once, on the machine's PostgreSQL, not again on the embedded one.
it.skipIf(inject('embeddedDb'))('answers every fuzzed request with less than 500, and a refused one leaves nothing behind', async () => {
  const f = await makeFixtures();
  const doc = (await stack.api.get('/openapi.json')).body;
  const cases = casesOf(doc, f);
  const before = await fuzzRows();

  const started = Date.now();
  const outcomes: Outcome[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < cases.length) outcomes.push(await send(cases[next++]!));
    }),
  );
  const after = await fuzzRows();

  // What a 2xx answer did: its path and body name what it made or changed.
  const accepted = outcomes
    .filter((o) => o.status >= 200 && o.status < 300 && o.c.method !== 'GET')
    .map((o) => `${decodeURIComponent(o.c.path)}\n${o.text}`);
  const explained = (key: string[]) => accepted.some((text) => key.every((part) => text.includes(part)));
  const appeared = [...after].filter(([id]) => !before.has(id));
  const changed = [...after].filter(([id, row]) => before.has(id) && before.get(id)!.content !== row.content);
  const unexplained = [...appeared, ...changed].filter(([, row]) => !explained(row.key)).map(([id]) => id);

  const serverErrors = outcomes.filter((o) => o.status >= 500 || o.status === -1);
  const classes = new Map<string, number>();
  for (const o of outcomes) {
    const name = o.status === 0 ? 'connection failed' : o.status === -1 ? 'no answer' : `${Math.floor(o.status / 100)}xx`;
    classes.set(name, (classes.get(name) ?? 0) + 1);
  }
  const byClass = [...classes].sort().map(([name, count]) => `${name}: ${count}`);
  const rolesByOperation = new Map<string, Set<Role>>();
  for (const { c } of outcomes) rolesByOperation.set(c.operation, (rolesByOperation.get(c.operation) ?? new Set()).add(c.role));
  console.log(
    `fuzz (seed ${SEED}): ${outcomes.length} requests over ${rolesByOperation.size} operations in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
      `${byClass.join(', ')}; 5xx or no answer: ${serverErrors.length}; rows made or changed by 2xx answers: ${appeared.length + changed.length - unexplained.length}; ` +
      `made or changed by refused requests: ${unexplained.length}`,
  );
  const notSent = new Set(outcomes.filter((o) => o.status === 0).map((o) => `${o.c.what}: ${o.text.slice(0, 100)}`));
  if (notSent.size) console.log(`connection failed: ${[...notSent].join('; ')}`);

  expect(
    serverErrors.map((o) => `${o.status} ${o.c.role} ${o.c.method} ${o.c.path.slice(0, 120)} (${o.c.what}): ${o.text.slice(0, 200)}`),
  ).toEqual([]);
  expect(unexplained).toEqual([]);
  expect(outcomes.filter((o) => o.status === 0).length).toBeLessThan(outcomes.length / 100);
  expect(outcomes.length).toBeGreaterThan(2_000);
  expect(rolesByOperation.size).toBe(Object.values<Json>(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0));
  for (const [operation, roles] of rolesByOperation) expect([operation, roles.size]).toEqual([operation, ROLES.length]);
});
