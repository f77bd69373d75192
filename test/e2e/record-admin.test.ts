// The administrator's actions on records, one at a time and in bulk, the CSV export, refusals and
// treatments picked up by running records, and the audit log of all of it: through the API, the
// worker, the Temporal dev server and PostgreSQL.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { temporalDataConverterOf } from '../../config/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TREATMENT } from '../../domain/treatment.js';
import { eventually, newQueue, recordWhen, startStack, uniqueName, type Stack } from '../support/stack.js';

let stack: Stack;
let temporal: Client;
beforeAll(async () => {
  stack = await startStack();
  temporal = new Client({
    connection: await Connection.connect({ address: stack.config.TEMPORAL_ADDRESS }),
    dataConverter: temporalDataConverterOf(stack.config),
  });
});
afterAll(async () => {
  await temporal?.connection.close();
  await stack?.stop();
});

const HOUR = 3_600_000;
const inHours = (h: number) => new Date(Date.now() + h * HOUR).toISOString();
const types = (record: any): string[] => record.history.map((e: any) => e.type);

/** Each test acts as its own administrator, so that its audit entries are its own. */
function as(actor: string) {
  const h = { 'x-actor': actor };
  return {
    get: (path: string) => stack.api.get(path, h),
    post: (path: string, body?: unknown) => stack.api.post(path, body ?? {}, h),
    patch: (path: string, body: unknown) => stack.api.patch(path, body, h),
    delete: (path: string) => stack.api.delete(path, h),
  };
}

async function create(queue: string, extra: Record<string, unknown> = {}) {
  const created = await stack.api.post('/v1/callbacks', { phone: '070-123 45 67', queue, channel: 'ivr', ...extra });
  expect(created.status).toBe(201);
  await recordWhen(stack.api, created.body.id, (r) => r.version >= 2);
  return created.body;
}

/** A record in a call: offered, taken by `agent`, dialled and answered, waiting for feedback. */
async function inCall(queue: string, agent = 'anna') {
  const record = await create(queue);
  await recordWhen(stack.api, record.id, (r) => r.stage === 'offered');
  expect((await stack.api.post(`/v1/callbacks/${record.id}/accept`, { agentId: agent })).status).toBe(200);
  return recordWhen(stack.api, record.id, (r) => r.stage === 'connected');
}

async function auditOf(actor: string) {
  const reply = await stack.api.get(`/v1/audit?actor=${actor}&limit=200`);
  expect(reply.status).toBe(200);
  return reply.body.items as any[];
}

describe('one record at a time', () => {
  it('changes phone, time, validity, priority, queue and comment of an Open record', async () => {
    const admin = as(uniqueName('ada'));
    const queue = await newQueue(stack.api);
    const other = await newQueue(stack.api);
    const record = await create(queue, { requestedAt: inHours(2) });
    const changed = await admin.patch(`/v1/callbacks/${record.id}`, {
      phone: '070-765 43 21',
      requestedAt: inHours(3),
      validUntil: inHours(8),
      priority: 2,
      queue: other,
      comment: 'wants the manager',
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ phone: '+46707654321', priority: 2, queue: other, comment: 'wants the manager', status: 'Open' });
    const stored = await recordWhen(stack.api, record.id, (r) => r.queue === other);
    expect(stored.orgArea).not.toBe(record.orgArea);
    const event = stored.history.find((e: any) => e.type === 'changed');
    expect(event.detail.before).toMatchObject({ phone: '+46701234567', priority: 5, queue });
    expect(event.actor).toMatch(/^admin:admin-\w+\/ada-/);

    expect((await admin.patch(`/v1/callbacks/${record.id}`, { requestedAt: inHours(-1) })).body.type).toBe('validation-error');
    const late = await admin.patch(`/v1/callbacks/${record.id}`, { validUntil: inHours(1) });
    expect(late.status).toBe(409);
    expect(late.body.type).toBe('invalid-time');
    expect((await admin.patch(`/v1/callbacks/${record.id}`, { queue: 'no-such-queue' })).status).toBe(422);
    expect((await admin.patch(`/v1/callbacks/${record.id}`, {})).status).toBe(400);
    // Past year 9999 in UTC: PostgreSQL could not store it.
    const farOff = await admin.patch(`/v1/callbacks/${record.id}`, { validUntil: '9999-12-31T23:59:59-14:00' });
    expect(farOff.body).toMatchObject({ status: 400, errors: [{ path: 'validUntil' }] });
    expect((await admin.patch(`/v1/callbacks/${record.id}`, { status: 'Closed' })).status).toBe(400);
    expect((await admin.patch(`/v1/callbacks/${randomUUID()}`, { priority: 1 })).status).toBe(404);
  });

  it('refuses to change, pause or delete a record in a call, with a reason, and closes it when the call ends', async () => {
    const admin = as(uniqueName('ada'));
    const queue = await newQueue(stack.api);
    const record = await inCall(queue);
    for (const reply of [
      await admin.patch(`/v1/callbacks/${record.id}`, { phone: '070-765 43 21' }),
      await admin.post(`/v1/callbacks/${record.id}/pause`),
      await admin.delete(`/v1/callbacks/${record.id}`),
    ]) {
      expect(reply.status).toBe(409);
      expect(reply.type).toBe('application/problem+json');
      expect(reply.body).toMatchObject({ type: 'record-in-call', title: expect.stringContaining('in a call') });
    }
    const closing = await admin.post(`/v1/callbacks/${record.id}/close`, { comment: 'customer asked us to stop' });
    expect(closing.body).toMatchObject({ status: 'Closing' });
    expect((await admin.post(`/v1/callbacks/${record.id}/close`)).body.type).toBe('already-closing');
    const after = await stack.api.post(`/v1/callbacks/${record.id}/feedback`, { agentId: 'anna', outcome: 'customer-not-reached' });
    expect(after.body).toMatchObject({ status: 'Closed', closeReason: 'closed-by-administrator' });
    const stored = await recordWhen(stack.api, record.id, (r) => r.status === 'Closed');
    expect(types(stored)).toEqual(expect.arrayContaining(['closing', 'feedback', 'closed']));
    expect(stored.phone).toBe('+46701234567');
  });

  it('pauses and enables: a paused record is not offered, and keeps its place in line', async () => {
    const admin = as(uniqueName('ada'));
    const queue = await newQueue(stack.api);
    const record = await create(queue);
    await recordWhen(stack.api, record.id, (r) => r.stage === 'offered');
    const paused = await admin.post(`/v1/callbacks/${record.id}/pause`);
    expect(paused.body).toMatchObject({ status: 'Paused', stage: 'paused' });
    expect((await admin.post(`/v1/callbacks/${record.id}/pause`)).body.type).toBe('already-paused');
    expect((await stack.api.post(`/v1/queues/${queue}/next`, { agentId: 'anna' })).status).toBe(204);
    expect((await stack.api.post(`/v1/callbacks/${record.id}/accept`, { agentId: 'anna' })).body.type).toBe('not-offered');
    const enabled = await admin.post(`/v1/callbacks/${record.id}/enable`);
    expect(enabled.body.status).toBe('Open');
    expect((await admin.post(`/v1/callbacks/${record.id}/enable`)).body.type).toBe('not-paused');
    const offered = await recordWhen(stack.api, record.id, (r) => r.stage === 'offered');
    expect(offered.rankAt).toBe(record.rankAt);
  });

  it('closes an Open record at once', async () => {
    const admin = as(uniqueName('ada'));
    const queue = await newQueue(stack.api);
    const record = await create(queue, { requestedAt: inHours(1) });
    const closed = await admin.post(`/v1/callbacks/${record.id}/close`);
    expect(closed.body).toMatchObject({ status: 'Closed', closeReason: 'closed-by-administrator' });
    expect((await admin.post(`/v1/callbacks/${record.id}/close`)).body.type).toBe('record-closed');
    expect((await admin.post(`/v1/callbacks/${record.id}/pause`)).body.type).toBe('record-closed');
  });

  it('deletes a record: gone from the table and from Temporal, open or closed', async () => {
    const admin = as(uniqueName('ada'));
    const queue = await newQueue(stack.api);
    const open = await create(queue, { requestedAt: inHours(1) });
    const closed = await create(queue, { requestedAt: inHours(1) });
    await admin.post(`/v1/callbacks/${closed.id}/close`);
    await recordWhen(stack.api, closed.id, (r) => r.status === 'Closed');
    for (const id of [open.id, closed.id]) {
      expect((await admin.delete(`/v1/callbacks/${id}`)).status).toBe(204);
      expect((await stack.api.get(`/v1/callbacks/${id}`)).status).toBe(404);
      const [events] = await stack.sql`select count(*)::int as n from callback_events where record_id = ${id}`;
      expect(events!.n).toBe(0);
    }
    // Temporal deletes a closed execution in the background, some seconds after it is asked to.
    for (const id of [open.id, closed.id]) {
      const message = await eventually(
        () =>
          temporal.workflow
            .getHandle(id)
            .describe()
            .then(
              () => undefined,
              (err: Error) => err.message,
            ),
        90_000,
        'the workflow execution to be deleted',
      );
      expect(message).toMatch(/not found/i);
    }
    expect((await admin.delete(`/v1/callbacks/${open.id}`)).status).toBe(404);
  });

  it('copies a record, closed or not, into a new one that says where it came from', async () => {
    const admin = as(uniqueName('ada'));
    const queue = await newQueue(stack.api);
    const source = await create(queue, { requestedAt: inHours(1), taskType: 'invoice', priority: 3, comment: 'first' });
    await admin.post(`/v1/callbacks/${source.id}/close`);
    const copy = await admin.post(`/v1/callbacks/${source.id}/copy`, { requestedAt: inHours(4), comment: 'second try' });
    expect(copy.status).toBe(201);
    expect(copy.body).toMatchObject({
      phone: source.phone,
      queue,
      taskType: 'invoice',
      priority: 3,
      comment: 'second try',
      channel: 'admin',
      copiedFrom: source.id,
      status: 'Open',
    });
    expect(copy.body.id).not.toBe(source.id);
    const stored = await recordWhen(stack.api, copy.body.id, (r) => r.version >= 2);
    expect(stored.history[0]).toMatchObject({ type: 'requested', detail: { copiedFrom: source.id } });
    expect((await admin.post(`/v1/callbacks/${randomUUID()}/copy`)).status).toBe(404);
  });

  it('refuses to copy an active record into an area that avoids duplicates', async () => {
    const admin = as(uniqueName('ada'));
    const queue = await newQueue(stack.api, { area: { duplicatePolicy: 'avoid' } });
    const source = await create(queue, { requestedAt: inHours(1) });
    const copy = await admin.post(`/v1/callbacks/${source.id}/copy`);
    expect(copy.status).toBe(409);
    expect(copy.body).toMatchObject({ type: 'duplicate', existing: source.id });
  });

  it('writes configuration changes to the audit log too', async () => {
    const actor = uniqueName('ops');
    const admin = as(actor);
    const area = uniqueName('area');
    expect((await admin.post('/v1/org-areas', { id: area, name: 'North' })).status).toBe(201);
    expect((await admin.patch(`/v1/org-areas/${area}`, { maxActiveRecords: 40 })).status).toBe(200);
    const queue = uniqueName('q');
    const created = await admin.post('/v1/queues', { name: queue, orgArea: area, timeZone: 'Europe/Stockholm', openingHours: {} });
    expect(created.status).toBe(201);
    expect((await admin.patch(`/v1/queues/${queue}`, { offerTimeoutSeconds: 60 })).status).toBe(200);
    const entries = (await auditOf(actor)).reverse();
    expect(entries.map((e) => e.action)).toEqual(['org-area-create', 'org-area-change', 'queue-create', 'queue-change']);
    expect(entries[1].detail).toEqual({ id: area, changes: { maxActiveRecords: 40 } });
    expect(entries[3].detail).toEqual({ queue, changes: { offerTimeoutSeconds: 60 } });
  });

  it('knows who acts from the key, and the person a system acts for from X-Actor', async () => {
    const queue = await newQueue(stack.api);
    const record = await create(queue, { requestedAt: inHours(1) });
    expect((await stack.api.post(`/v1/callbacks/${record.id}/pause`, {}, { 'x-actor': '' })).status).toBe(200);
    expect((await stack.api.post(`/v1/callbacks/${record.id}/enable`, {}, { 'x-actor': 'anna.s' })).status).toBe(200);
    const integration = stack.as('integration', { 'x-actor': 'crm-user.7' });
    expect((await integration.post(`/v1/callbacks/${record.id}/close`, {})).status).toBe(200);
    const entries = (await stack.api.get(`/v1/audit?recordId=${record.id}`)).body.items.reverse();
    const adminKey = stack.actor.split('/')[0]!;
    expect(entries.map((e: any) => [e.action, e.actor])).toEqual([
      ['pause', adminKey],
      ['enable', `${adminKey}/anna.s`],
      ['close', `${adminKey.replace('admin', 'integration')}/crm-user.7`],
    ]);
    const bad = await stack.api.post(`/v1/callbacks/${record.id}/pause`, {}, { 'x-actor': 'not a name' });
    expect(bad.body).toMatchObject({ status: 400, type: 'validation-error', errors: [{ path: 'X-Actor' }] });
  });
});

describe('agents refusing', () => {
  it('a refused record stays in the queue for others; the refusing agent is not given it again', async () => {
    const queue = await newQueue(stack.api);
    const record = await create(queue);
    await recordWhen(stack.api, record.id, (r) => r.stage === 'offered');
    const refused = await stack.api.post(`/v1/callbacks/${record.id}/refuse`, { agentId: 'anna', reason: 'no Finnish' });
    expect(refused.body).toMatchObject({ status: 'Active', stage: 'offered', refusedBy: ['anna'], outcomeCounts: { refused: 1 } });
    expect((await stack.api.post(`/v1/callbacks/${record.id}/refuse`, { agentId: 'anna', reason: 'again' })).body.type).toBe(
      'already-refused',
    );
    expect((await stack.api.post(`/v1/callbacks/${record.id}/refuse`, { agentId: 'anna' })).status).toBe(400);
    expect((await stack.api.post(`/v1/queues/${queue}/next`, { agentId: 'anna' })).status).toBe(204);
    const taken = await stack.api.post(`/v1/queues/${queue}/next`, { agentId: 'bob' });
    expect(taken.body).toMatchObject({ id: record.id, agentId: 'bob' });
  });
});

describe('treatments and running records', () => {
  it('a running record follows the queue treatment as changed, at its next decision', async () => {
    const queue = await newQueue(stack.api);
    const record = await create(queue, { phone: '070-000 00 01' }); // busy
    await recordWhen(stack.api, record.id, (r) => r.stage === 'offered');
    const treatment = structuredClone(DEFAULT_TREATMENT);
    treatment.onOutcome.busy = { action: 'postpone', delayMinutes: 0 };
    expect((await stack.api.put(`/v1/treatments/queues/${queue}`, treatment)).status).toBe(200);
    await stack.api.post(`/v1/callbacks/${record.id}/accept`, { agentId: 'anna' });
    await recordWhen(stack.api, record.id, (r) => r.attempts === 1 && r.stage === 'offered');

    treatment.onOutcome.busy = { action: 'close' };
    expect((await stack.api.put(`/v1/treatments/queues/${queue}`, treatment)).status).toBe(200);
    await stack.api.post(`/v1/callbacks/${record.id}/accept`, { agentId: 'anna' });
    const closed = await recordWhen(stack.api, record.id, (r) => r.status === 'Closed');
    expect(closed).toMatchObject({ closeReason: 'busy', attempts: 2 });
  });
});

describe('in bulk, on what a search finds', () => {
  async function batch(n: number) {
    const queue = await newQueue(stack.api);
    const taskType = uniqueName('task');
    const records = [];
    for (let i = 0; i < n; i++) records.push(await create(queue, { requestedAt: inHours(1), taskType }));
    return { queue, taskType, ids: records.map((r) => r.id).sort() };
  }

  it('pauses, changes, enables, closes and deletes every matching record, and says how each went', async () => {
    const actor = uniqueName('ada');
    const admin = as(actor);
    const { queue, taskType, ids } = await batch(4);
    const filter = { queue, taskType };

    const paused = await admin.post('/v1/callbacks/bulk', { action: 'pause', filter });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ matched: 4, succeeded: 4, failed: 0 });
    expect(paused.body.results.map((r: any) => r.id).sort()).toEqual(ids);

    const changed = await admin.post('/v1/callbacks/bulk', { action: 'change', filter, changes: { priority: 1 } });
    expect(changed.body).toMatchObject({ matched: 4, succeeded: 4 });
    await eventually(async () => {
      const list = await stack.api.get(`/v1/callbacks?queue=${queue}&status=Paused`);
      return list.body.items.length === 4 && list.body.items.every((r: any) => r.priority === 1) ? true : undefined;
    });

    await admin.post(`/v1/callbacks/${ids[0]}/enable`);
    const enabled = await admin.post('/v1/callbacks/bulk', { action: 'enable', filter });
    expect(enabled.body).toMatchObject({ matched: 4, succeeded: 3, failed: 1 });
    expect(enabled.body.results.find((r: any) => !r.ok)).toMatchObject({ id: ids[0], problem: { status: 409, type: 'not-paused' } });

    await admin.post(`/v1/callbacks/${ids[1]}/close`);
    await recordWhen(stack.api, ids[1]!, (r) => r.status === 'Closed');
    const closed = await admin.post('/v1/callbacks/bulk', {
      action: 'close',
      filter: { ...filter, status: 'Open' },
      comment: 'campaign over',
    });
    expect(closed.body).toMatchObject({ matched: 3, succeeded: 3 });

    const deleted = await admin.post('/v1/callbacks/bulk', { action: 'delete', filter });
    expect(deleted.body).toMatchObject({ matched: 4, succeeded: 4 });
    expect((await stack.api.get(`/v1/callbacks?queue=${queue}`)).body.items).toEqual([]);

    const audit = await auditOf(actor);
    expect(audit.filter((e) => e.action === 'bulk-delete')).toMatchObject([{ filter, detail: { matched: 4 }, result: 'ok' }]);
    expect(
      audit
        .filter((e) => e.action === 'delete')
        .map((e) => e.recordId)
        .sort(),
    ).toEqual(ids);
  });

  it('refuses a bulk action without criteria, with a bad filter or with a phone change', async () => {
    const actor = uniqueName('ada');
    const admin = as(actor);
    expect((await admin.post('/v1/callbacks/bulk', { action: 'pause', filter: {} })).body).toMatchObject({
      status: 400,
      type: 'validation-error',
    });
    expect((await admin.post('/v1/callbacks/bulk', { action: 'pause', filter: { status: 'Sleeping' } })).status).toBe(400);
    expect((await admin.post('/v1/callbacks/bulk', { action: 'explode', filter: { queue: 'x' } })).status).toBe(400);
    expect(
      (await admin.post('/v1/callbacks/bulk', { action: 'change', filter: { queue: 'x' }, changes: { phone: '070-1234567' } })).status,
    ).toBe(400);
    expect((await admin.post('/v1/callbacks/bulk', { action: 'close', filter: { phone: 'not a number' } })).status).toBe(400);
    const refusals = (await auditOf(actor)).reverse();
    expect(refusals.map((e) => [e.action, e.result, e.filter])).toEqual([
      ['bulk-pause', 'validation-error', {}],
      ['bulk-close', 'validation-error', { phone: 'not a number' }],
    ]);
  });
});

describe('search, export and the audit log', () => {
  it('exports a search as CSV, safe to open in a spreadsheet', async () => {
    const admin = as(uniqueName('ada'));
    const queue = await newQueue(stack.api);
    const a = await create(queue, { requestedAt: inHours(1), comment: '=HYPERLINK("http://evil")' });
    const b = await create(queue, { requestedAt: inHours(2), comment: 'line one\nline "two", and more' });
    const csv = await admin.get(`/v1/callbacks/export.csv?queue=${queue}`);
    expect(csv.status).toBe(200);
    expect(csv.type).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="callbacks-/);
    const text: string = csv.body;
    expect(text.startsWith('id,status,stage,closeReason,phone,queue')).toBe(true);
    // The byte-order mark that makes Excel read UTF-8 (fetch's text() hides it).
    const raw = await fetch(`${stack.apiUrl}/v1/callbacks/export.csv?queue=${queue}`, {
      headers: { authorization: `Bearer ${stack.keys.admin}` },
    });
    expect([...new Uint8Array(await raw.arrayBuffer()).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text).toContain(`${a.id},Open,waiting,,+46701234567,${queue}`);
    expect(text).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(text).toContain('"line one\nline ""two"", and more"');
    expect(text.match(/\r\n/g)).toHaveLength(3);
    expect(text.indexOf(b.id)).toBeLessThan(text.indexOf(a.id)); // newest first
    expect((await admin.get('/v1/callbacks/export.csv?colour=red')).status).toBe(400);
  });

  it('writes every search, export and action, with who, what, which filter and how it went', async () => {
    const actor = uniqueName('auditor');
    const admin = as(actor);
    const queue = await newQueue(stack.api);
    const record = await create(queue, { requestedAt: inHours(1) });
    await admin.get(`/v1/callbacks?queue=${queue}&phone=070-123 45 67`);
    await admin.get(`/v1/callbacks/export.csv?queue=${queue}`);
    await admin.post(`/v1/callbacks/${record.id}/pause`);
    await admin.post(`/v1/callbacks/${record.id}/pause`);
    await admin.patch(`/v1/callbacks/${record.id}`, { priority: 1 });
    await admin.post('/v1/callbacks/bulk', { action: 'enable', filter: { queue } });

    const entries = (await auditOf(actor)).reverse();
    expect(entries.map((e) => [e.action, e.result, e.recordId])).toEqual([
      ['search', 'ok', null],
      ['export', 'ok', null],
      ['pause', 'ok', record.id],
      ['pause', 'already-paused', record.id],
      ['change', 'ok', record.id],
      ['bulk-enable', 'ok', null],
      ['enable', 'ok', record.id],
    ]);
    expect(entries[0].filter).toEqual({ queue, phone: '+46701234567' });
    expect(entries[4].detail).toEqual({ changes: { priority: 1 } });
    expect(entries[5]).toMatchObject({ filter: { queue }, detail: { matched: 1 } });
    const byRecord = await stack.api.get(`/v1/audit?recordId=${record.id}`);
    expect(byRecord.body.items).toHaveLength(4);
  });
});
