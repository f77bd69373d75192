// A release upgrade with records in flight: workers of the previous release run records into every
// kind of wait, stop, and workers of this release (a changed workflow, behind `patched()`) pick the
// same runs up and finish them. Here the change is 'phone-not-searchable': the previous release put
// the phone number in a search attribute, this one removes it from the runs it takes over.
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { temporalDataConverterOf } from '../../config/index.js';
import { startWorker, WORKFLOWS_PATH, type RunningWorker } from '../../worker/run.js';
import { registerSearchAttributes } from '../../worker/search-attributes.js';
import { LEGACY_PHONE_ATTRIBUTE } from '../../workflows/callback-contract.js';
import { eventually, newQueue, recordWhen, startStack, type Stack } from '../support/stack.js';

const PREVIOUS_RELEASE = fileURLToPath(new URL('./upgrade/previous-release.ts', import.meta.url));

let stack: Stack;
let connection: Connection;
let client: Client;
let worker: RunningWorker | null = null;
beforeAll(async () => {
  stack = await startStack({ withoutWorker: true });
  connection = await Connection.connect({ address: stack.config.TEMPORAL_ADDRESS! });
  client = new Client({ connection, dataConverter: temporalDataConverterOf(stack.config) });
  // A namespace that ran the previous release has its phone attribute registered.
  await registerSearchAttributes(connection, 'default', [LEGACY_PHONE_ATTRIBUTE]);
});
afterAll(async () => {
  await worker?.stop();
  await connection?.close();
  await stack?.stop();
});

const phoneAttribute = async (id: string) =>
  (await client.workflow.getHandle(id).describe()).typedSearchAttributes.get(LEGACY_PHONE_ATTRIBUTE);

it('finishes records the previous release started, on the new workflow code', async () => {
  const previous = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    webpackConfigHook: (config) => ({
      ...config,
      resolve: { ...config.resolve, alias: { ...(config.resolve?.alias as object), '@temporalio/workflow$': PREVIOUS_RELEASE } },
    }),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: (m: string) => console.error(m) },
  });
  worker = await startWorker(stack.config, stack.sql, { workflowBundle: { code: previous.code } });

  const { api } = stack;
  const queue = await newQueue(api, { queue: { gateSize: 5 } });
  const create = async (phone: string, body: Record<string, unknown> = {}) =>
    (await api.post('/v1/callbacks', { phone, queue, channel: 'api', ...body })).body.id as string;
  const waiting = await create('+46701110011', { requestedAt: new Date(Date.now() + 3_600_000).toISOString() });
  const offered = await create('+46701110022');
  const inCall = await create('+46701110033');
  await recordWhen(api, waiting, (r) => r.history.some((e: any) => e.type === 'scheduled'));
  await recordWhen(api, offered, (r) => r.stage === 'offered');
  await recordWhen(api, inCall, (r) => r.stage === 'offered');
  expect((await api.post(`/v1/callbacks/${inCall}/accept`, { agentId: 'anna' })).status).toBe(200);
  await recordWhen(api, inCall, (r) => r.stage === 'connected');
  // The previous release: the phone number is a search attribute.
  expect(await phoneAttribute(offered)).toEqual('+46701110022');

  await worker.stop();
  worker = await startWorker(stack.config, stack.sql, { workflowBundle: { codePath: inject('workflowBundlePath') } });

  expect((await api.post(`/v1/callbacks/${inCall}/feedback`, { agentId: 'anna', outcome: 'completed' })).status).toBe(200);
  expect((await api.post(`/v1/callbacks/${offered}/accept`, { agentId: 'bo' })).status).toBe(200);
  await recordWhen(api, offered, (r) => r.stage === 'connected');
  expect((await api.post(`/v1/callbacks/${offered}/feedback`, { agentId: 'bo', outcome: 'completed' })).status).toBe(200);
  expect((await api.patch(`/v1/callbacks/${waiting}`, { requestedAt: null })).status).toBe(200);
  await recordWhen(api, waiting, (r) => r.stage === 'offered');
  expect((await api.post(`/v1/callbacks/${waiting}/accept`, { agentId: 'cy' })).status).toBe(200);
  await recordWhen(api, waiting, (r) => r.stage === 'connected');
  expect((await api.post(`/v1/callbacks/${waiting}/feedback`, { agentId: 'cy', outcome: 'completed' })).status).toBe(200);

  for (const id of [waiting, offered, inCall]) {
    const record = await recordWhen(api, id, (r) => r.status === 'Closed');
    expect(record.closeReason).toBe('completed');
    // One dial per attempt, across the upgrade.
    expect(record.history.filter((e: any) => e.type === 'dialling')).toHaveLength(1);
    // The new release took the phone number out of the run's search attributes.
    expect(await eventually(async () => ((await phoneAttribute(id)) === undefined ? true : undefined))).toBe(true);
  }
});
