// A worker run from source takes its workflow bundle from the cache when the sources have not
// changed: it starts without bundling, and its workflows run.
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { startWorker, WORKFLOWS_PATH, type RunningWorker } from '../../worker/run.js';
import { workflowBundleKey } from '../../worker/workflow-bundle-cache.js';
import { newQueue, recordWhen, startStack, type Stack } from '../support/stack.js';

let stack: Stack;
let worker: RunningWorker | undefined;
let cacheDir: string;
beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'bundle-cache-'));
  stack = await startStack({ withoutWorker: true, env: { WORKFLOW_BUNDLE_CACHE_DIR: cacheDir } });
});
afterAll(async () => {
  await worker?.stop();
  await stack?.stop();
  await rm(cacheDir, { recursive: true, force: true });
});

it('starts from the bundle cached for the current sources, and runs the workflows with it', async () => {
  // The bundle the tests built from these sources, put where the cache keeps it for them.
  const { key } = await workflowBundleKey(WORKFLOWS_PATH);
  const cached = join(cacheDir, `workflow-bundle-${key}.js`);
  await mkdir(cacheDir, { recursive: true });
  await copyFile(inject('workflowBundlePath'), cached);
  const before = await stat(cached);

  worker = await startWorker(stack.config, stack.sql);
  const queue = await newQueue(stack.api);
  const created = await stack.api.post('/v1/callbacks', { phone: '+46701234567', queue, channel: 'api' });
  expect(created.status).toBe(201);
  await recordWhen(stack.api, created.body.id, (r) => r.stage === 'offered');

  // Not bundled again: the file is the one put there, and nothing else was written.
  expect(await readdir(cacheDir)).toEqual([`workflow-bundle-${key}.js`]);
  expect((await stat(cached)).mtimeMs).toBe(before.mtimeMs);
  expect(await readFile(cached, 'utf8')).toBe(await readFile(inject('workflowBundlePath'), 'utf8'));
});
