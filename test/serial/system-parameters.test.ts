// System parameters change what every request meets, so these tests run alone, after the others.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newQueue, startStack, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.api.put('/v1/parameters/enableCallbackService', { value: true });
  await stack?.stop();
});

it('lists every parameter with its value, default and effect', async () => {
  const { body } = await stack.api.get('/v1/parameters');
  const names = body.items.map((p: any) => p.name);
  expect(names).toEqual(expect.arrayContaining(['enableCallbackService', 'callbackBufferMax', 'callbackDuplicatePolicy']));
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
  const anonymous = await stack.api.put('/v1/parameters/callbackBufferMax', { value: 11 }, { 'x-actor': '' });
  expect(anonymous.body.type).toBe('actor-required');
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
