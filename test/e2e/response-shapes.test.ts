// Every route's success answer, through the real stack, against its schema (api/*.schemas.ts):
// the schemas are the published contract (OpenAPI), so a field added, dropped or changed in an
// answer fails here. Records are driven into the states that change what an answer holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { health } from '../../api/app.js';
import { auditPage } from '../../api/audit.schemas.js';
import { callbackRecordView, createdRecord, recordPage, recordWithHistory } from '../../api/callbacks.schemas.js';
import { orgArea, orgAreaList } from '../../api/org-areas.schemas.js';
import { parameter, parameterList } from '../../api/parameters.schemas.js';
import { nextRecordAnswer, queueConfig, queueList, queueStatus } from '../../api/queues.schemas.js';
import { bulkResult, copiedRecord } from '../../api/record-admin.schemas.js';
import { effectiveTreatment, savedTreatment, treatmentDefaults, treatmentList } from '../../api/treatments.schemas.js';
import { WEEKDAYS } from '../../domain/queue-config.js';
import { DEFAULT_TREATMENT } from '../../domain/treatment.js';
import { newQueue, recordWhen, startStack, uniqueName, type Reply, type Stack } from '../support/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
const allDay = Object.fromEntries(WEEKDAYS.map((d) => [d, [{ from: '00:00', to: '24:00' }]]));

/** The reply has `status` and its body is exactly what `schema` describes; returns the parsed body. */
function expectShape<S extends z.ZodType>(schema: S, reply: Reply, status = 200): z.infer<S> {
  expect(reply.status, JSON.stringify(reply.body)).toBe(status);
  expect(reply.type).toMatch(/^application\/json/);
  const parsed = schema.safeParse(reply.body);
  if (!parsed.success) {
    throw new Error(`the answer does not match its schema:\n${z.prettifyError(parsed.error)}\n${JSON.stringify(reply.body, null, 2)}`);
  }
  return parsed.data;
}

async function create(queue: string, extra: Record<string, unknown> = {}) {
  const reply = await stack.api.post('/v1/callbacks', { phone: '070-123 45 67', queue, channel: 'ivr', ...extra });
  return expectShape(createdRecord, reply, 201);
}

/** A record offered in its queue (the queue's only one, so that /next takes it). */
async function offered(queue: string, extra: Record<string, unknown> = {}) {
  const record = await create(queue, extra);
  await recordWhen(stack.api, record.id, (r) => r.stage === 'offered');
  return record;
}

const connected = (id: string) => recordWhen(stack.api, id, (r) => r.stage === 'connected');

describe('the schemas themselves', () => {
  it('refuse a field the contract does not name, also where one schema extends another', async () => {
    const queue = await newQueue(stack.api);
    const record = await create(queue, { requestedAt: inHours(1) });
    expect(createdRecord.safeParse({ ...record, surprise: 1 }).success).toBe(false);
    const { duplicate: _, ...plain } = record;
    expect(callbackRecordView.safeParse(plain).success).toBe(true);
    expect(callbackRecordView.safeParse(record).success).toBe(false);
    expect(callbackRecordView.safeParse({ ...plain, copiedFrom: undefined }).success).toBe(false);
  });
});

describe('health, organisation areas and queues', () => {
  it('answers as described', async () => {
    expectShape(health, await stack.api.get('/healthz'));

    const id = uniqueName('area');
    const area = expectShape(orgArea, await stack.api.post('/v1/org-areas', { id, name: 'Shapes' }), 201);
    expect(area.maxActiveRecords).toBeNull();
    expectShape(
      orgArea,
      await stack.api.post('/v1/org-areas', {
        id: uniqueName('area'),
        name: 'Limited',
        maxActiveRecords: 5,
        duplicatePolicy: 'avoid-same-task-type',
      }),
      201,
    );
    expectShape(orgArea, await stack.api.get(`/v1/org-areas/${id}`));
    expectShape(orgArea, await stack.api.patch(`/v1/org-areas/${id}`, { maxActiveRecords: 100, duplicatePolicy: 'allow' }));
    expect(expectShape(orgAreaList, await stack.api.get('/v1/org-areas')).items.map((a) => a.id)).toContain(id);

    const name = uniqueName('q');
    const queue = expectShape(
      queueConfig,
      await stack.api.post('/v1/queues', {
        name,
        orgArea: id,
        timeZone: 'Europe/Stockholm',
        openingHours: {
          monday: [
            { from: '08:00', to: '12:00' },
            { from: '13:00', to: '17:00' },
          ],
          saturday: [],
        },
      }),
      201,
    );
    expect(queue).toMatchObject({ gateSize: null, offerTimeoutSeconds: null, acceptsCallbacks: true });
    expectShape(queueConfig, await stack.api.get(`/v1/queues/${name}`));
    expectShape(
      queueConfig,
      await stack.api.patch(`/v1/queues/${name}`, { gateSize: 3, offerTimeoutSeconds: 60, maxActiveRecords: 10, openingHours: allDay }),
    );
    expect(expectShape(queueList, await stack.api.get('/v1/queues')).items.map((q) => q.name)).toContain(name);

    const status = expectShape(queueStatus, await stack.api.get(`/v1/queues/${name}/status`));
    expect(status).toMatchObject({ openNow: true, callbackOffered: true, expectedWaitSeconds: null });
    const refusing = await newQueue(stack.api, { area: { maxActiveRecords: 0 }, queue: { acceptsCallbacks: false, openingHours: {} } });
    const refused = expectShape(queueStatus, await stack.api.get(`/v1/queues/${refusing}/status`));
    expect(refused.notOfferedBecause).toEqual(['queue-not-accepting-callbacks', 'org-area-limit-reached']);
  });
});

describe('requests for a callback', () => {
  it('answers a new record, a duplicate and a replayed request as described', async () => {
    const queue = await newQueue(stack.api, { area: { duplicatePolicy: 'avoid' } });
    const full = await create(queue, {
      phone: '+46 70 555 12 34',
      channel: 'api',
      createdBy: 'crm',
      requestedAt: inHours(2),
      validUntil: inHours(30),
      priority: 2,
      taskType: 'invoice question',
      customerId: 'M-1001',
      ani: '070-765 43 21',
      comment: 'about the March invoice',
      language: 'en-GB',
      contactData: { invoice: '2025-0042', segment: 'gold' },
      waitingListOf: 'anna',
    });
    expect(full).toMatchObject({ duplicate: false, status: 'Open', stage: 'waiting', waitingListOf: 'anna', copiedFrom: null });

    const again = await stack.api.post('/v1/callbacks', { phone: '070-555 12 34', queue, channel: 'web' });
    expect(expectShape(createdRecord, again, 200)).toMatchObject({ id: full.id, duplicate: true });

    const key = uniqueName('key');
    const body = { phone: '070-111 22 33', queue, channel: 'ivr' };
    const first = expectShape(createdRecord, await stack.api.post('/v1/callbacks', body, { 'idempotency-key': key }), 201);
    const replayed = expectShape(createdRecord, await stack.api.post('/v1/callbacks', body, { 'idempotency-key': key }), 201);
    expect(replayed).toEqual(first);
  });
});

describe("an agent's work and a queue's status", () => {
  it('answers next, refuse, accept and feedback, and the record with its history, as described', async () => {
    const queue = await newQueue(stack.api, { queue: { openingHours: allDay } });

    // Refused by one agent, taken by the next, completed: closed with a full history.
    const first = await offered(queue);
    const refusal = expectShape(
      callbackRecordView,
      await stack.api.post(`/v1/callbacks/${first.id}/refuse`, { agentId: 'bob', reason: 'wrong language' }),
    );
    expect(refusal.refusedBy).toEqual(['bob']);
    const taken = expectShape(nextRecordAnswer, await stack.api.post(`/v1/queues/${queue}/next`, { agentId: 'anna' }));
    expect(taken).toMatchObject({ id: first.id, stage: 'accepted', agentId: 'anna' });
    await connected(first.id);
    expect(expectShape(callbackRecordView, await stack.api.post(`/v1/callbacks/${first.id}/accept`, { agentId: 'anna' })).stage).toBe(
      'connected',
    );
    const done = expectShape(
      callbackRecordView,
      await stack.api.post(`/v1/callbacks/${first.id}/feedback`, { agentId: 'anna', outcome: 'completed', comment: 'sorted' }),
    );
    expect(done).toMatchObject({ status: 'Closed', closeReason: 'completed' });
    await recordWhen(stack.api, first.id, (r) => r.status === 'Closed');
    const history = expectShape(recordWithHistory, await stack.api.get(`/v1/callbacks/${first.id}`));
    expect(history.history.map((e) => e.type)).toEqual(
      expect.arrayContaining([
        'requested',
        'scheduled',
        'due',
        'offered',
        'refused',
        'accepted',
        'dialling',
        'dialled',
        'feedback',
        'closed',
      ]),
    );

    // Accepted directly, then to the agent's own waiting list at the customer's new time.
    const second = await offered(queue);
    expect(expectShape(callbackRecordView, await stack.api.post(`/v1/callbacks/${second.id}/accept`, { agentId: 'anna' })).stage).toBe(
      'accepted',
    );
    await connected(second.id);
    const later = expectShape(
      callbackRecordView,
      await stack.api.post(`/v1/callbacks/${second.id}/feedback`, {
        agentId: 'anna',
        outcome: 'reestablish-later',
        requestedAt: inHours(3),
        toOwnWaitingList: true,
      }),
    );
    expect(later).toMatchObject({ status: 'Open', stage: 'waiting', waitingListOf: 'anna' });

    // Closed by an administrator during the call: Closing, then closed when the call ends.
    const third = await offered(queue);
    expectShape(nextRecordAnswer, await stack.api.post(`/v1/queues/${queue}/next`, { agentId: 'carl' }));
    await connected(third.id);
    const closing = expectShape(
      callbackRecordView,
      await stack.api.post(`/v1/callbacks/${third.id}/close`, { comment: 'customer wrote in' }),
    );
    expect(closing.status).toBe('Closing');
    expect(closing.closeRequest).not.toBeNull();
    const ended = expectShape(
      callbackRecordView,
      await stack.api.post(`/v1/callbacks/${third.id}/feedback`, { agentId: 'carl', outcome: 'customer-not-reached' }),
    );
    expect(ended.closeReason).toBe('closed-by-administrator');

    // A busy line: postponed by its treatment, with the outcome counted.
    const busy = await offered(queue, { phone: '+46700000001' });
    expectShape(nextRecordAnswer, await stack.api.post(`/v1/queues/${queue}/next`, { agentId: 'anna' }));
    await recordWhen(stack.api, busy.id, (r) => r.latestOutcome === 'busy' && r.stage === 'waiting');
    const postponed = expectShape(recordWithHistory, await stack.api.get(`/v1/callbacks/${busy.id}`));
    expect(postponed.outcomeCounts).toEqual({ busy: 1 });

    expect((await stack.api.post(`/v1/queues/${queue}/next`, { agentId: 'anna' })).status).toBe(204);

    await create(queue, { requestedAt: inHours(5) });
    const status = expectShape(queueStatus, await stack.api.get(`/v1/queues/${queue}/status`));
    expect(status.records.scheduled).toBeGreaterThan(0);
    expect(status.expectedWaitBasis.acceptances).toBeGreaterThanOrEqual(3);
    expect(status.expectedWaitSeconds).toEqual(expect.any(Number));
  });
});

describe('administration of records', () => {
  it('answers change, pause, enable, close, copy, bulk actions and search as described', async () => {
    const queue = await newQueue(stack.api);
    const other = await newQueue(stack.api);
    const record = await create(queue, { requestedAt: inHours(2) });
    await recordWhen(stack.api, record.id, (r) => r.version >= 2);

    const changed = expectShape(
      callbackRecordView,
      await stack.api.patch(`/v1/callbacks/${record.id}`, {
        priority: 1,
        comment: 'VIP',
        validUntil: inHours(24),
        requestedAt: null,
        queue: other,
      }),
    );
    expect(changed).toMatchObject({ priority: 1, queue: other, requestedAt: null });
    expect(expectShape(callbackRecordView, await stack.api.post(`/v1/callbacks/${record.id}/pause`)).status).toBe('Paused');
    expect(expectShape(callbackRecordView, await stack.api.post(`/v1/callbacks/${record.id}/enable`)).status).toBe('Open');
    const closed = expectShape(callbackRecordView, await stack.api.post(`/v1/callbacks/${record.id}/close`, { comment: 'asked by phone' }));
    expect(closed).toMatchObject({ status: 'Closed', closeReason: 'closed-by-administrator' });

    const copy = expectShape(
      copiedRecord,
      await stack.api.post(`/v1/callbacks/${record.id}/copy`, { requestedAt: inHours(4), comment: 'second try' }),
      201,
    );
    expect(copy.copiedFrom).toBe(record.id);
    expect(expectShape(recordWithHistory, await stack.api.get(`/v1/callbacks/${copy.id}`)).copiedFrom).toBe(record.id);

    // Bulk: one record that refuses (not paused) and one that takes the action.
    const paused = await create(queue, { requestedAt: inHours(3) });
    await recordWhen(stack.api, paused.id, (r) => r.version >= 2);
    expectShape(callbackRecordView, await stack.api.post(`/v1/callbacks/${paused.id}/pause`));
    const open = await create(queue, { requestedAt: inHours(3) });
    await recordWhen(stack.api, open.id, (r) => r.version >= 2);
    const enabled = expectShape(bulkResult, await stack.api.post('/v1/callbacks/bulk', { action: 'enable', filter: { queue } }));
    expect(enabled).toMatchObject({ matched: 2, succeeded: 1, failed: 1 });
    expect(enabled.results.find((r) => !r.ok)).toMatchObject({ id: open.id, problem: { status: 409, type: 'not-paused' } });
    const changedInBulk = expectShape(
      bulkResult,
      await stack.api.post('/v1/callbacks/bulk', { action: 'change', filter: { queue, status: 'Open' }, changes: { priority: 7 } }),
    );
    expect(changedInBulk.succeeded).toBe(2);
    const erased = expectShape(
      bulkResult,
      await stack.api.post('/v1/callbacks/bulk', { action: 'delete', filter: { queue: other, status: 'Open' } }),
    );
    expect(erased.results).toEqual([{ id: copy.id, ok: true, status: 'Deleted' }]);

    // A full page has a cursor, also when nothing follows: the next page is then empty.
    const page = expectShape(recordPage, await stack.api.get(`/v1/callbacks?queue=${queue}&limit=2`));
    expect(page.items.map((r) => r.id)).toEqual([open.id, paused.id]);
    expect(page.nextCursor).not.toBeNull();
    const last = expectShape(recordPage, await stack.api.get(`/v1/callbacks?queue=${queue}&limit=2&cursor=${page.nextCursor}`));
    expect(last).toEqual({ items: [], nextCursor: null });

    const gone = await create(queue, { requestedAt: inHours(1) });
    const deleted = await stack.api.delete(`/v1/callbacks/${gone.id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeNull();

    const csv = await stack.api.get(`/v1/callbacks/export.csv?queue=${queue}`);
    expect(csv.status).toBe(200);
    expect(csv.type).toMatch(/^text\/csv/);
    // fetch's text() drops the byte-order mark the export starts with.
    expect(csv.body).toMatch(/^\uFEFF?id,status,stage,/);
  });
});

describe('system parameters', () => {
  it('lists them and answers a change with the changed one, as described', async () => {
    const list = expectShape(parameterList, await stack.api.get('/v1/parameters'));
    expect(list.items.map((p) => p.name).sort()).toEqual([
      'afterWrapUp',
      'agentOfflineAfterSeconds',
      'agentRoutingOrder',
      'callbackBufferMax',
      'callbackDuplicatePolicy',
      'defaultValidityHours',
      'enableCallbackService',
      'lastAgentRetentionDays',
      'offerTimeoutSeconds',
      'waitingListFirst',
    ]);
    // Set to the value it has: parameters are system-wide, and other tests run alongside.
    const current = list.items.find((p) => p.name === 'lastAgentRetentionDays')!;
    const set = expectShape(parameter, await stack.api.put('/v1/parameters/lastAgentRetentionDays', { value: current.value }));
    expect(set).toEqual(current);
  });
});

describe('treatments', () => {
  it('answers the defaults, the stored sets and what applies where, as described', async () => {
    const defaults = expectShape(treatmentDefaults, await stack.api.get('/v1/treatments/defaults'));
    expect(defaults.treatment).toEqual(DEFAULT_TREATMENT);

    const queue = await newQueue(stack.api);
    const area = (await stack.api.get(`/v1/queues/${queue}`)).body.orgArea as string;
    expect(expectShape(effectiveTreatment, await stack.api.get(`/v1/treatments/org-areas/${area}`)).source).toBe('default');
    expect(expectShape(effectiveTreatment, await stack.api.get(`/v1/treatments/queues/${queue}`)).source).toBe('default');

    const areaSet = { ...DEFAULT_TREATMENT, closeAfter: { 'answering-machine': 2 }, maxAttempts: 5 };
    expect(expectShape(savedTreatment, await stack.api.put(`/v1/treatments/org-areas/${area}`, areaSet)).source).toBe('org-area');
    expect(expectShape(effectiveTreatment, await stack.api.get(`/v1/treatments/queues/${queue}`)).source).toBe('org-area');
    const queueSet = { ...DEFAULT_TREATMENT, onOutcome: { ...DEFAULT_TREATMENT.onOutcome, busy: { action: 'close' } }, maxAttempts: null };
    expect(expectShape(savedTreatment, await stack.api.put(`/v1/treatments/queues/${queue}`, queueSet)).source).toBe('queue');
    expect(expectShape(effectiveTreatment, await stack.api.get(`/v1/treatments/queues/${queue}`))).toMatchObject({
      source: 'queue',
      treatment: queueSet,
    });
    expect(expectShape(effectiveTreatment, await stack.api.get(`/v1/treatments/org-areas/${area}`)).source).toBe('org-area');

    const stored = expectShape(treatmentList, await stack.api.get('/v1/treatments'));
    expect(stored.items.filter((t) => t.name === area || t.name === queue).map((t) => t.scope)).toEqual(['org-area', 'queue']);

    for (const path of [`/v1/treatments/queues/${queue}`, `/v1/treatments/org-areas/${area}`]) {
      const reset = await stack.api.delete(path);
      expect(reset.status).toBe(204);
      expect(reset.body).toBeNull();
    }
  });
});

describe('the audit log', () => {
  it('answers pages of entries as described', async () => {
    const queue = await newQueue(stack.api);
    const record = await create(queue, { requestedAt: inHours(1) });
    await recordWhen(stack.api, record.id, (r) => r.version >= 2);
    await stack.api.post(`/v1/callbacks/${record.id}/pause`);
    await stack.api.post(`/v1/callbacks/${record.id}/pause`); // refused: audited with its problem type
    await stack.api.post(`/v1/callbacks/${record.id}/close`, { comment: 'done' });
    await stack.api.get(`/v1/callbacks?queue=${queue}`); // a search: audited with its filter

    const first = expectShape(auditPage, await stack.api.get(`/v1/audit?recordId=${record.id}&limit=2`));
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const rest = expectShape(auditPage, await stack.api.get(`/v1/audit?recordId=${record.id}&limit=2&cursor=${first.nextCursor}`));
    expect([...first.items, ...rest.items].map((e) => e.result)).toEqual(['ok', 'already-paused', 'ok']);
    expect(rest.nextCursor).toBeNull();
    // Every entry the shared database holds, whoever wrote it, has the same shape.
    expectShape(auditPage, await stack.api.get('/v1/audit?limit=200'));
  });
});
