// `npm run bench` still runs end to end (its own Temporal dev server, the service and the bare
// baseline), at a tiny size: the lifecycle part only, with the workflow bundle the tests built.
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, inject, it } from 'vitest';
import { WORKFLOWS_PATH } from '../../worker/run.js';
import { workflowBundleKey } from '../../worker/workflow-bundle-cache.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

it('measures lifecycles against bare workflows, prints the table and writes the run as JSON', async () => {
  const out = await mkdtemp(join(tmpdir(), 'bench-out-'));
  const cache = await mkdtemp(join(tmpdir(), 'bench-bundles-'));
  dirs.push(out, cache);
  await copyFile(inject('workflowBundlePath'), join(cache, `workflow-bundle-${(await workflowBundleKey(WORKFLOWS_PATH)).key}.js`));
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: inject('databaseUrl'),
      BENCH_PARTS: 'lifecycle',
      BENCH_N: '4',
      BENCH_CONCURRENCY: '2',
      BENCH_OUT: out,
      WORKFLOW_BUNDLE_CACHE_DIR: cache,
    },
    timeout: 120_000,
  });
  expect(stdout).toMatch(/lifecycle\s+creations\/s \(N=4, c=2\)/);
  const [file] = await readdir(out);
  const run = JSON.parse(await readFile(join(out, file!), 'utf8'));
  expect(run.lifecycle).toMatchObject({ n: 4, concurrency: 2 });
  expect(run.lifecycle.activitiesPerLifecycle).toBeGreaterThan(0);
  for (const rate of [run.lifecycle.creationsPerSecond, run.lifecycle.bareStartsPerSecond, run.lifecycle.lifecyclesPerSecond]) {
    expect(rate).toBeGreaterThan(0);
  }
  expect(run.lifecycle.acceptMs.n).toBe(4);
  expect(run.profile.lifecycle.histograms.some((h: { taskQueue: string }) => h.taskQueue === 'bare')).toBe(true);
});
