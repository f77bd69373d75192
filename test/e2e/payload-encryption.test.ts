// Customers' data in Temporal: what Temporal stores of a record (its histories, search attributes)
// holds no phone number, name or comment in clear text; the service, and an administrator through
// the codec endpoint, still read it; keys rotate; an erased record leaves no run behind.
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import type { Payload } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { temporalDataConverterOf } from '../../config/index.js';
import { EncryptionCodec, KEY_ID_METADATA, newPayloadKey, parsePayloadKeys } from '../../config/payload-codec.js';
import { recordQuery } from '../../workflows/callback-contract.js';
import { eventually, newQueue, recordWhen, startStack, uniqueName, type Http, type Stack } from '../support/stack.js';

const UI_ORIGIN = 'http://localhost:8233';

let stack: Stack;
let connection: Connection;
/** Sees what Temporal stores, as its database does: no codec. */
let raw: Client;
beforeAll(async () => {
  stack = await startStack({ env: { CODEC_CORS_ORIGINS: UI_ORIGIN } });
  connection = await Connection.connect({ address: stack.config.TEMPORAL_ADDRESS! });
  raw = new Client({ connection });
});
afterAll(async () => {
  await connection?.close();
  await stack?.stop();
});

/** Every byte string of a history as UTF-8 text, so that a clear-text value cannot hide in base64. */
function readable(value: unknown): string {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (Array.isArray(value)) return value.map(readable).join('\n');
  if (value && typeof value === 'object')
    return Object.entries(value)
      .map(([k, v]) => `${k}: ${readable(v)}`)
      .join('\n');
  return String(value);
}

/** A Swedish mobile number the simulated dialler answers (not ending in 0001-0006). */
const phoneDigits = () => `4670${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`.replace(/000[1-6]$/, '0099');

/** A record with personal data everywhere it can be, taken through a whole call to its close. */
async function completedRecord(api: Http) {
  const queue = await newQueue(api);
  const pii = {
    phone: `+${phoneDigits()}`,
    name: `Astrid ${uniqueName('Lindgren')}`,
    comment: `Wants to talk about invoice ${randomUUID().slice(0, 8)}`,
    feedback: `Customer ${randomUUID().slice(0, 8)} was pleased`,
    customerId: `cust-${randomUUID().slice(0, 8)}`,
  };
  const created = await api.post('/v1/callbacks', {
    phone: pii.phone,
    queue,
    channel: 'api',
    comment: pii.comment,
    customerId: pii.customerId,
    contactData: { name: pii.name },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id: string = created.body.id;
  await recordWhen(api, id, (r) => r.stage === 'offered');
  expect((await api.post(`/v1/callbacks/${id}/accept`, { agentId: 'anna' })).status).toBe(200);
  await recordWhen(api, id, (r) => r.stage === 'connected');
  const fb = await api.post(`/v1/callbacks/${id}/feedback`, { agentId: 'anna', outcome: 'completed', comment: pii.feedback });
  expect(fb.status).toBe(200);
  await recordWhen(api, id, (r) => r.status === 'Closed');
  return { id, queue, pii };
}

const startInput = async (id: string): Promise<Payload[]> => {
  const history = await raw.workflow.getHandle(id).fetchHistory();
  return history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads! as Payload[];
};

const toJson = (payloads: Payload[]) => ({
  payloads: payloads.map((p) => ({
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v!).toString('base64')])),
    data: Buffer.from(p.data ?? []).toString('base64'),
  })),
});

describe('a record in Temporal', () => {
  let record: Awaited<ReturnType<typeof completedRecord>>;
  beforeAll(async () => {
    record = await completedRecord(stack.api);
  });

  it('leaves no phone number, name or comment in clear text in its history or search attributes', async () => {
    const { id, queue, pii } = record;
    const history = await raw.workflow.getHandle(id).fetchHistory();
    const text = readable(history);
    // The walk reads what is stored in clear: the queue (a search attribute) and the record's id.
    expect(text).toContain(queue);
    expect(text).toContain(id);
    for (const value of [pii.phone, pii.phone.slice(1), pii.name, pii.comment, pii.feedback, pii.customerId])
      expect(text).not.toContain(value);
    const described = await raw.workflow.getHandle(id).describe();
    expect(readable(described.raw)).not.toContain(pii.phone.slice(1));
    // Every payload is sealed, with the id of the key that sealed it.
    expect(text).toContain('binary/encrypted');
    expect(text).toMatch(new RegExp(`${KEY_ID_METADATA}: test-1`));

    if (process.env.RECORD_HISTORIES) {
      const file = new URL('../workflow/histories/v3-encrypted-completed.json', import.meta.url);
      await writeFile(file, JSON.stringify(JSON.parse(historyToJSON(history)), null, 2) + '\n');
    }
  });

  it('reads as before through the codec: the live record, its input, and a replay of its history', async () => {
    const { id, pii } = record;
    const dataConverter = temporalDataConverterOf(stack.config);
    const client = new Client({ connection, dataConverter });
    const live = await client.workflow.getHandle(id).query(recordQuery);
    expect(live).toMatchObject({ id, phone: pii.phone, comment: pii.comment, contactData: { name: pii.name }, status: 'Closed' });
    const history = await client.workflow.getHandle(id).fetchHistory();
    await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter }, history, id);
  });
});

describe('the codec endpoint for the Temporal Web UI', () => {
  let id: string;
  let pii: { phone: string };
  beforeAll(async () => {
    ({ id, pii } = await completedRecord(stack.api));
  });
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(stack.apiUrl + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers },
      body: JSON.stringify(body),
    });
  const admin = () => ({ authorization: `Bearer ${stack.keys.admin}` });
  const decoded = async (res: Response) => {
    const body = (await res.json()) as ReturnType<typeof toJson>;
    return body.payloads.map((p) => Buffer.from(p.data, 'base64').toString('utf8')).join('\n');
  };

  it('decodes a history payload for an administrator, with the key in a header or in the path', async () => {
    const sealed = toJson(await startInput(id));
    expect(Buffer.from(sealed.payloads[0]!.data, 'base64').toString('utf8')).not.toContain(pii.phone);
    const byHeader = await post('/codec/decode', sealed, admin());
    expect(byHeader.status).toBe(200);
    expect(await decoded(byHeader)).toContain(pii.phone);
    const byPath = await post(`/codec/${encodeURIComponent(stack.keys.admin)}/decode`, sealed);
    expect(byPath.status).toBe(200);
    expect(await decoded(byPath)).toContain(pii.phone);
  });

  it('encodes what it decodes back', async () => {
    const clear = {
      payloads: [{ metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('"hello"').toString('base64') }],
    };
    const sealed = await post('/codec/encode', clear, admin());
    expect(sealed.status).toBe(200);
    const sealedBody = (await sealed.json()) as ReturnType<typeof toJson>;
    expect(Buffer.from(sealedBody.payloads[0]!.metadata.encoding!, 'base64').toString()).toBe('binary/encrypted');
    expect(await decoded(await post('/codec/decode', sealedBody, admin()))).toBe('"hello"');
  });

  it('refuses anyone but an administrator, and bad bodies', async () => {
    const sealed = toJson(await startInput(id));
    expect((await post('/codec/decode', sealed)).status).toBe(401);
    expect((await post('/codec/decode', sealed, { authorization: 'Bearer cbk_nope_nope' })).status).toBe(401);
    expect((await post('/codec/nope/decode', sealed)).status).toBe(401);
    for (const role of ['agent', 'integration', 'ivr', 'web'] as const) {
      const res = await post('/codec/decode', sealed, { authorization: `Bearer ${stack.keys[role]}` });
      expect(res.status, role).toBe(403);
      expect(await res.text()).not.toContain(pii.phone);
    }
    const bad = await post('/codec/decode', { payloads: [{ data: 'not base64!' }] }, admin());
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    const foreign = await new EncryptionCodec(parsePayloadKeys(newPayloadKey('elsewhere'))).encode([
      { metadata: {}, data: Buffer.from('x') },
    ]);
    const unknown = await post('/codec/decode', toJson(foreign), admin());
    expect(unknown.status).toBe(422);
    expect(((await unknown.json()) as { type: string }).type).toBe('undecodable-payload');
  });

  it("answers the Web UI's CORS preflight for its origin only", async () => {
    const preflight = (origin: string) =>
      fetch(`${stack.apiUrl}/codec/decode`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' },
      });
    const ui = await preflight(UI_ORIGIN);
    expect(ui.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(ui.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-namespace');
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

it('rotates keys: records sealed with the old key go on under the new one, and both decode', async () => {
  const k1 = newPayloadKey('k1');
  const k2 = newPayloadKey('k2');
  const taskQueue = `test-${randomUUID()}`;
  const before = await startStack({ env: { PAYLOAD_KEYS: k1, TEMPORAL_TASK_QUEUE: taskQueue } });
  let id: string;
  let phone: string;
  try {
    const queue = await newQueue(before.api);
    phone = `+${phoneDigits()}`;
    const created = await before.api.post('/v1/callbacks', {
      phone,
      queue,
      channel: 'api',
      requestedAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    id = created.body.id;
    await recordWhen(before.api, id, (r) => r.history.some((e: any) => e.type === 'scheduled'));
  } finally {
    await before.stop();
  }
  const after = await startStack({ env: { PAYLOAD_KEYS: `${k1},${k2}`, PAYLOAD_KEY_ID: 'k2', TEMPORAL_TASK_QUEUE: taskQueue } });
  try {
    expect((await after.api.patch(`/v1/callbacks/${id}`, { requestedAt: null })).status).toBe(200);
    await recordWhen(after.api, id, (r) => r.stage === 'offered');
    expect((await after.api.post(`/v1/callbacks/${id}/accept`, { agentId: 'bo' })).status).toBe(200);
    await recordWhen(after.api, id, (r) => r.stage === 'connected');
    await after.api.post(`/v1/callbacks/${id}/feedback`, { agentId: 'bo', outcome: 'completed' });
    const closed = await recordWhen(after.api, id, (r) => r.status === 'Closed');
    expect(closed.phone).toBe(phone);

    const text = readable(await raw.workflow.getHandle(id).fetchHistory());
    expect(text).toMatch(new RegExp(`${KEY_ID_METADATA}: k1`));
    expect(text).toMatch(new RegExp(`${KEY_ID_METADATA}: k2`));
    expect(text).not.toContain(phone.slice(1));
    // The old key is needed as long as histories it sealed are kept.
    const k2Only = new EncryptionCodec(parsePayloadKeys(k2));
    await expect(k2Only.decode(await startInput(id))).rejects.toThrow(/k1/);
    const both = new EncryptionCodec(parsePayloadKeys(`${k1},${k2}`, 'k2'));
    expect(readable(await both.decode(await startInput(id)))).toContain(phone);
  } finally {
    await after.stop();
  }
});

it('erases every run of a deleted record from Temporal, a reset one included', async () => {
  const queue = await newQueue(stack.api);
  const created = await stack.api.post('/v1/callbacks', {
    phone: `+${phoneDigits()}`,
    queue,
    channel: 'api',
    requestedAt: new Date(Date.now() + 3_600_000).toISOString(),
  });
  const id: string = created.body.id;
  // The row says `waiting` from its insert on: wait for the workflow's first task instead.
  const firstTask = await eventually(async () => {
    const history = await raw.workflow.getHandle(id).fetchHistory();
    return history.events!.find((e) => e.workflowTaskCompletedEventAttributes) ?? undefined;
  });
  const first = await raw.workflow.getHandle(id).describe();
  // An operator resets the record's workflow: a new run, the old one closed beside it.
  await raw.workflowService.resetWorkflowExecution({
    namespace: 'default',
    workflowExecution: { workflowId: id, runId: first.runId },
    workflowTaskFinishEventId: firstTask.eventId,
    reason: 'test',
    requestId: randomUUID(),
  });
  await eventually(async () => ((await raw.workflow.getHandle(id).describe()).runId !== first.runId ? true : undefined));
  await eventually(async () => {
    let n = 0;
    for await (const _ of raw.workflow.list({ query: `WorkflowId = '${id}'` })) n += 1;
    return n === 2 ? true : undefined;
  });

  expect((await stack.api.delete(`/v1/callbacks/${id}`)).status).toBe(204);
  // Temporal deletes executions in the background, some seconds after it is asked to.
  await eventually(
    async () => {
      let n = 0;
      for await (const _ of raw.workflow.list({ query: `WorkflowId = '${id}'` })) n += 1;
      return n === 0 ? true : undefined;
    },
    90_000,
    'every run to be deleted',
  );
  await expect(raw.workflow.getHandle(id, first.runId).describe()).rejects.toThrow(/not found/i);
});
