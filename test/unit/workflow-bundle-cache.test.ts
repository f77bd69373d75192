// The workflow bundle's cache key follows the workflows' imports: a change to a file the bundle
// holds, or to a package version, makes a new bundle; anything else reuses the one on disk.
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { cachedWorkflowBundle, workflowBundleKey } from '../../worker/workflow-bundle-cache.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'bundle-key-'));
  await write('workflows/index.ts', "export { record } from './record.js';\nexport * from './gate.js';\n");
  await write(
    'workflows/record.ts',
    [
      "import { proxyActivities } from '@temporalio/workflow';",
      "import type { Activities } from '../activities/index.js';",
      'import {',
      '  decide,',
      '  type Decision,',
      "} from '../domain/rules.js';",
      "import { DateTime } from 'luxon';",
      'export async function record() {}',
    ].join('\n'),
  );
  await write('workflows/gate.ts', 'export async function gate() {}\n');
  await write('domain/rules.ts', 'export const decide = () => 1;\nexport type Decision = number;\n');
  await write('activities/index.ts', 'export interface Activities { save(): Promise<void> }\n');
  await write('notes.md', 'not code\n');
  await write('node_modules/luxon/package.json', '{ "version": "3.7.2" }');
  await write('node_modules/@temporalio/workflow/package.json', '{ "version": "1.24.0" }');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function write(path: string, text: string) {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await writeFile(join(root, path), text);
}

const keyOf = async () => workflowBundleKey(join(root, 'workflows/index.ts'), root);

it('covers the files the workflows import, multi-line imports included, and the versions of their packages', async () => {
  const { files, packages } = await keyOf();
  expect(files).toEqual(['domain/rules.ts', 'workflows/gate.ts', 'workflows/index.ts', 'workflows/record.ts']);
  expect(packages).toMatchObject({ luxon: '3.7.2', '@temporalio/workflow': '1.24.0' });
});

it('changes when a bundled source or a package version changes, and only then', async () => {
  const first = (await keyOf()).key;
  expect((await keyOf()).key).toBe(first);
  // Not in the bundle: a type-only import is erased, and other files are not imported.
  await write('activities/index.ts', 'export interface Activities { save(): Promise<void>; load(): Promise<void> }\n');
  await write('notes.md', 'still not code\n');
  expect((await keyOf()).key).toBe(first);

  await write('domain/rules.ts', 'export const decide = () => 2;\nexport type Decision = number;\n');
  const second = (await keyOf()).key;
  expect(second).not.toBe(first);
  await write('node_modules/@temporalio/workflow/package.json', '{ "version": "1.25.0" }');
  expect((await keyOf()).key).not.toBe(second);
});

it('builds once per version of the sources, then reuses the bundle on disk', async () => {
  const cacheDir = join(root, 'cache');
  const builds: string[] = [];
  const build = async (path: string) => {
    builds.push(path);
    return `// bundle ${builds.length}`;
  };
  const workflowsPath = join(root, 'workflows/index.ts');
  const first = await cachedWorkflowBundle({ workflowsPath, cacheDir, build });
  expect(first.hit).toBe(false);
  const again = await cachedWorkflowBundle({ workflowsPath, cacheDir, build });
  expect(again).toEqual({ ...first, hit: true });
  expect(builds).toHaveLength(1);

  await write('workflows/gate.ts', 'export async function gate() { return 1; }\n');
  const changed = await cachedWorkflowBundle({ workflowsPath, cacheDir, build });
  expect(changed.hit).toBe(false);
  expect(changed.codePath).not.toBe(first.codePath);
  expect(builds).toHaveLength(2);
  expect((await readdir(cacheDir)).sort()).toEqual([first.codePath, changed.codePath].map((p) => p.slice(cacheDir.length + 1)).sort());
});
