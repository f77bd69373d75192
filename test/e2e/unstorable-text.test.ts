// Text PostgreSQL cannot store (a NUL, half of a surrogate pair) must never wedge a record: the
// record's workflow refuses it in every update, and text that reaches it anyway (past the API,
// or from a signal) is made storable and saved, so the record and its callers go on.
import { randomUUID } from 'node:crypto';
import { Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import { temporalDataConverterOf } from '../../config/index.js';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialRecord } from '../../domain/record-lifecycle.js';
import { startCallbackWorkflow } from '../../workflows/callback-client.js';
import {
  acceptUpdate,
  administerUpdate,
  callbackWorkflowId,
  duplicateRequestedSignal,
  feedbackUpdate,
  refuseUpdate,
} from '../../workflows/callback-contract.js';
import { callbackRequest } from '../support/fixtures.js';
import { newQueue, recordWhen, startStack, type Stack } from '../support/stack.js';

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

const NUL = 'a\u0000b';
const LONE_SURROGATE = 'a\ud800b';
const types = (record: any): string[] => record.history.map((e: any) => e.type);
/** Well within the activity's retry interval: a save retried for ever never gets there. */
const SOON = 20_000;

async function offeredRecord(queue: string) {
  const created = await stack.api.post('/v1/callbacks', { phone: '070-123 45 67', queue, channel: 'ivr' });
  expect(created.status).toBe(201);
  return recordWhen(stack.api, created.body.id, (r) => r.stage === 'offered');
}

async function refusal(send: () => Promise<unknown>): Promise<string | undefined> {
  const err = await send().then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (err as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return (cause as ApplicationFailure).type ?? undefined;
}

describe('text that cannot be stored', () => {
  it('is a 400 in a refusal and in feedback, and the record goes on', async () => {
    const record = await offeredRecord(await newQueue(stack.api));
    const refused = await stack.api.post(`/v1/callbacks/${record.id}/refuse`, { agentId: 'bob', reason: NUL });
    expect(refused.status).toBe(400);
    expect((await stack.api.post(`/v1/callbacks/${record.id}/accept`, { agentId: 'anna' })).status).toBe(200);
    await recordWhen(stack.api, record.id, (r) => r.stage === 'connected', SOON);
    const feedback = await stack.api.post(`/v1/callbacks/${record.id}/feedback`, {
      agentId: 'anna',
      outcome: 'completed',
      comment: LONE_SURROGATE,
    });
    expect(feedback.status).toBe(400);
    const done = await stack.api.post(`/v1/callbacks/${record.id}/feedback`, { agentId: 'anna', outcome: 'completed', comment: 'sorted' });
    expect(done.status).toBe(200);
    const stored = await recordWhen(stack.api, record.id, (r) => r.status === 'Closed', SOON);
    expect(types(stored)).toEqual(['requested', 'scheduled', 'due', 'offered', 'accepted', 'dialling', 'dialled', 'feedback', 'closed']);
  });

  it('is refused by every update of the workflow itself, sent past the API', async () => {
    const record = await offeredRecord(await newQueue(stack.api));
    const handle = temporal.workflow.getHandle(callbackWorkflowId(record.id));
    const admin = (changes: object) => handle.executeUpdate(administerUpdate, { args: [{ action: 'change', actor: 'ada', changes }] });
    expect(await refusal(() => admin({ comment: NUL }))).toBe('invalid-text');
    expect(await refusal(() => admin({ comment: LONE_SURROGATE }))).toBe('invalid-text');
    expect(await refusal(() => handle.executeUpdate(administerUpdate, { args: [{ action: 'close', actor: 'ada', comment: NUL }] }))).toBe(
      'invalid-text',
    );
    expect(await refusal(() => handle.executeUpdate(refuseUpdate, { args: [{ agentId: 'anna', reason: LONE_SURROGATE }] }))).toBe(
      'invalid-text',
    );
    expect(await refusal(() => handle.executeUpdate(acceptUpdate, { args: [{ agentId: `anna${NUL}` }] }))).toBe('invalid-text');

    const accepted = await stack.api.post(`/v1/callbacks/${record.id}/accept`, { agentId: 'anna' });
    expect(accepted.status).toBe(200);
    await recordWhen(stack.api, record.id, (r) => r.stage === 'connected', SOON);
    const feedback = { agentId: 'anna', outcome: 'completed' as const, comment: NUL };
    expect(await refusal(() => handle.executeUpdate(feedbackUpdate, { args: [feedback] }))).toBe('invalid-text');
    const done = await stack.api.post(`/v1/callbacks/${record.id}/feedback`, { agentId: 'anna', outcome: 'completed', comment: 'sorted' });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'Closed', closeReason: 'completed' });
  });

  it('that reaches a running record anyway is replaced with U+FFFD: the record answers and the table catches up', async () => {
    const record = await offeredRecord(await newQueue(stack.api));
    const handle = temporal.workflow.getHandle(callbackWorkflowId(record.id));
    // A signal has no validator: the customer's "name" as the IVR passed it on.
    await handle.signal(duplicateRequestedSignal, { actor: `ivr:${NUL}`, requestedAt: null });

    const changed = await stack.api.patch(`/v1/callbacks/${record.id}`, { priority: 2 });
    expect(changed.status).toBe(200);
    expect(changed.body.priority).toBe(2);
    const stored = await recordWhen(stack.api, record.id, (r) => r.priority === 2 && r.version >= changed.body.version, SOON);
    const duplicate = stored.history.find((e: any) => e.type === 'duplicate-requested');
    expect(duplicate.actor).toBe('ivr:a\ufffdb');
    // No event is missing from the table: the one the repair rewrote, and those after it.
    const seqs = stored.history.map((e: any) => e.seq);
    expect(seqs.length).toBeGreaterThanOrEqual(stored.version);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
  });

  it('in a record started past the API is stored replaced, and the record is called and gives its place back', async () => {
    const queue = await newQueue(stack.api, { queue: { gateSize: 1 } });
    const request = callbackRequest({
      id: randomUUID(),
      queue,
      orgArea: (await stack.api.get(`/v1/queues/${queue}`)).body.orgArea,
      comment: LONE_SURROGATE,
      contactData: { note: NUL },
    });
    expect(initialRecord(request).comment).toBe(LONE_SURROGATE);
    await startCallbackWorkflow(temporal, stack.config.TEMPORAL_TASK_QUEUE, request);

    const offered = await recordWhen(stack.api, request.id, (r) => r.stage === 'offered', SOON);
    expect(offered).toMatchObject({ comment: 'a\ufffdb', contactData: { note: 'a\ufffdb' } });
    expect(types(offered)).toEqual(['requested', 'scheduled', 'due', 'offered']);

    // Holding the queue's only place: the next record waits until this one gives it back.
    const next = await stack.api.post('/v1/callbacks', { phone: '070-123 45 68', queue, channel: 'ivr' });
    await recordWhen(stack.api, next.body.id, (r) => r.stage === 'due');
    expect((await stack.api.post(`/v1/callbacks/${request.id}/accept`, { agentId: 'anna' })).status).toBe(200);
    await recordWhen(stack.api, request.id, (r) => r.stage === 'connected', SOON);
    const done = await stack.api.post(`/v1/callbacks/${request.id}/feedback`, { agentId: 'anna', outcome: 'completed' });
    expect(done.status).toBe(200);
    await recordWhen(stack.api, next.body.id, (r) => r.stage === 'offered', SOON);
  });
});
