// Histories recorded from released workflow code must replay on the current code: a change that
// would break running callbacks fails here. Record new ones with
// `RECORD_HISTORIES=1 npx vitest run test/workflow` when a release changes the workflow.
import { readdir, readFile } from 'node:fs/promises';
import { Worker } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { expect, inject, it } from 'vitest';
import { installRuntime } from '../../worker/runtime.js';

installRuntime('WARN');
const dir = new URL('./histories/', import.meta.url);

it('replays every recorded history on the current workflow code', async () => {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) {
    const history = historyFromJSON(JSON.parse(await readFile(new URL(file, dir), 'utf8')));
    await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, history, file);
  }
});
