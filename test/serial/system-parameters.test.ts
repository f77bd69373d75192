// System parameters change what every request meets, so these tests run alone, after the others.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PARAMETERS, PARAMETER_NAMES } from '../../domain/parameters.js';
import { forgetLastAgentsPastRetention } from '../../worker/retention.js';
import { newQueue, recordWhen, startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  for (const name of PARAMETER_NAMES) await stack?.api.put(`/v1/parameters/${name}`, { value: PARAMETERS[name].default });
  await stack?.stop();
});

it('lists every parameter with its value, default and effect', async () => {
  const { body } = await stack.api.get('/v1/parameters');
  const names = body.items.map((p: any) => p.name);
  expect(names).toEqual([
    'enableCallbackService',
    'callbackBufferMax',
    'callbackDuplicatePolicy',
    'waitingListFirst',
    'defaultValidityHours',
    'offerTimeoutSeconds',
    'lastAgentRetentionDays',
    'agentRoutingOrder',
    'afterWrapUp',
    'agentOfflineAfterSeconds',
  ]);
  for (const p of body.items) {
    expect(p.default).toBeDefined();
    expect(p.effect.length).toBeGreaterThan(20);
  }
});

it('refuses requests while the callback service is disabled, and takes them again once enabled', async () => {
  const queue = await newQueue(stack.api);
  expect((await stack.api.put('/v1/parameters/enableCallbackService', { value: false })).body.value).toBe(false);
  const refused = await stack.api.post('/v1/callbacks', { phone: '+46701112233', queue, channel: 'ivr' });
  expect(refused.status).toBe(409);
  expect(refused.body.type).toBe('callback-service-disabled');
  await stack.api.put('/v1/parameters/enableCallbackService', { value: true });
  expect((await stack.api.post('/v1/callbacks', { phone: '+46701112233', queue, channel: 'ivr' })).status).toBe(201);
});

it('writes who changed a parameter to the audit log, and needs to know who', async () => {
  const actor = `ops-${Date.now()}`;
  await stack.api.put('/v1/parameters/callbackBufferMax', { value: 12 }, { 'x-actor': actor });
  await stack.api.put('/v1/parameters/callbackBufferMax', { value: 10 }, { 'x-actor': actor });
  const audit = await stack.api.get(`/v1/audit?actor=${actor}`);
  expect(audit.body.items.map((e: any) => [e.action, e.detail])).toEqual([
    ['parameter-change', { name: 'callbackBufferMax', value: 10 }],
    ['parameter-change', { name: 'callbackBufferMax', value: 12 }],
  ]);
  const asAgent = await stack.as('agent').put('/v1/parameters/callbackBufferMax', { value: 11 });
  expect(asAgent.body).toMatchObject({ status: 403, type: 'forbidden', role: 'agent' });
  expect((await stack.api.get('/v1/parameters')).body.items.find((p: any) => p.name === 'callbackBufferMax').value).toBe(10);
});

it('validates each parameter by its own rule', async () => {
  for (const [name, value] of [
    ['enableCallbackService', 'yes'],
    ['callbackBufferMax', 0],
    ['callbackDuplicatePolicy', 'sometimes'],
  ] as const) {
    const reply = await stack.api.put(`/v1/parameters/${name}`, { value });
    expect(reply.status).toBe(400);
    expect(reply.body.errors[0].path).toBe('value');
  }
  expect((await stack.api.put('/v1/parameters/noSuchThing', { value: 1 })).status).toBe(400);
});

it('gives a new area the duplicate policy the parameter names', async () => {
  await stack.api.put('/v1/parameters/callbackDuplicatePolicy', { value: 'avoid-same-task-type' });
  const created = await stack.api.post('/v1/org-areas', { id: `area-${Date.now()}`, name: 'x' });
  expect(created.body.duplicatePolicy).toBe('avoid-same-task-type');
  await stack.api.put('/v1/parameters/callbackDuplicatePolicy', { value: 'avoid' });
});

it('gives a record requested without validUntil the default validity, counted from its calling time', async () => {
  const queue = await newQueue(stack.api);
  expect((await stack.api.put('/v1/parameters/defaultValidityHours', { value: 2 })).body.value).toBe(2);
  const asap = await stack.api.post('/v1/callbacks', { phone: '+46701112233', queue, channel: 'ivr' });
  expect(Date.parse(asap.body.validUntil) - Date.parse(asap.body.createdAt)).toBe(2 * 3_600_000);
  const requestedAt = new Date(Date.now() + 86_400_000).toISOString();
  const later = await stack.api.post('/v1/callbacks', { phone: '+46701112234', queue, channel: 'ivr', requestedAt });
  expect(Date.parse(later.body.validUntil) - Date.parse(requestedAt)).toBe(2 * 3_600_000);
  const validUntil = new Date(Date.now() + 3 * 86_400_000).toISOString();
  const own = await stack.api.post('/v1/callbacks', { phone: '+46701112235', queue, channel: 'ivr', requestedAt, validUntil });
  expect(own.body.validUntil).toBe(validUntil);
  await stack.api.put('/v1/parameters/defaultValidityHours', { value: null });
  const none = await stack.api.post('/v1/callbacks', { phone: '+46701112236', queue, channel: 'ivr', requestedAt });
  expect(none.body.validUntil).toBeNull();
});

it('routes an agent to their own waiting list first, or to one line, by the routing order', async () => {
  for (const waitingListFirst of [true, false]) {
    const queue = await newQueue(stack.api);
    await stack.api.put('/v1/parameters/waitingListFirst', { value: waitingListFirst });
    const team = await stack.api.post('/v1/callbacks', { phone: '+46701112237', queue, channel: 'ivr', priority: 1 });
    const own = await stack.api.post('/v1/callbacks', {
      phone: '+46701112238',
      queue,
      channel: 'agent',
      priority: 5,
      waitingListOf: 'anna',
    });
    for (const r of [team, own]) await recordWhen(stack.api, r.body.id, (x) => x.stage === 'offered');
    const next = await stack.api.post(`/v1/queues/${queue}/next`, { agentId: 'anna' });
    expect(next.body.id).toBe(waitingListFirst ? own.body.id : team.body.id);
  }
});

it("hands a waiting-list offer to the whole queue after the parameter's offer timeout, for a queue without its own", async () => {
  const queue = await newQueue(stack.api);
  expect((await stack.api.get(`/v1/queues/${queue}`)).body.offerTimeoutSeconds).toBeNull();
  await stack.api.put('/v1/parameters/offerTimeoutSeconds', { value: 1 });
  const record = await stack.api.post('/v1/callbacks', { phone: '+46701112239', queue, channel: 'agent', waitingListOf: 'anna' });
  const widened = await recordWhen(stack.api, record.body.id, (r) => r.stage === 'offered' && r.waitingListOf === null);
  expect(widened.history.find((e: any) => e.type === 'offer-timeout').detail).toMatchObject({ waitingListOf: 'anna', to: 'queue' });
  await stack.api.put('/v1/parameters/offerTimeoutSeconds', { value: 120 });
});

it("forgets the last agent's name of records closed longer ago than the retention", async () => {
  const queue = await newQueue(stack.api);
  const created = await stack.api.post('/v1/callbacks', {
    phone: '+46701112240',
    queue,
    channel: 'ivr',
    requestedAt: new Date(Date.now() + 3_600_000).toISOString(),
  });
  const id = created.body.id;
  await recordWhen(stack.api, id, (r) => r.version >= 2);
  await stack.api.post(`/v1/callbacks/${id}/close`);
  await recordWhen(stack.api, id, (r) => r.status === 'Closed');
  await stack.sql`update callbacks set latest_agent = 'anna' where id = ${id}`; // as if anna had called
  await stack.api.put('/v1/parameters/lastAgentRetentionDays', { value: 1 });
  expect(await forgetLastAgentsPastRetention(stack.sql)).toBe(0);
  expect((await stack.api.get(`/v1/callbacks/${id}`)).body.latestAgent).toBe('anna');
  await stack.sql`update callbacks set closed_at = now() - interval '2 days' where id = ${id}`;
  expect(await forgetLastAgentsPastRetention(stack.sql)).toBeGreaterThanOrEqual(1);
  expect((await stack.api.get(`/v1/callbacks/${id}`)).body.latestAgent).toBeNull();
  await stack.api.put('/v1/parameters/lastAgentRetentionDays', { value: null });
});

it('validates the new parameters by their own rules', async () => {
  for (const [name, value] of [
    ['waitingListFirst', 'sometimes'],
    ['defaultValidityHours', 0],
    ['defaultValidityHours', 1.5],
    ['offerTimeoutSeconds', null],
    ['offerTimeoutSeconds', 0],
    ['lastAgentRetentionDays', -1],
  ] as const) {
    const reply = await stack.api.put(`/v1/parameters/${name}`, { value });
    expect(reply.status, `${name}=${value}`).toBe(400);
  }
});
