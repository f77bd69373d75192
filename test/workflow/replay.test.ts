// Histories recorded from released workflow code must replay on the current code: a change that
// would break running callbacks fails here. Record new ones with
// `RECORD_HISTORIES=1 npx vitest run test/workflow` when a release changes the workflow.
// Replayed through the payload codec, as workers do: histories from before encryption pass
// through it as they are; `v3-encrypted-*` ones are sealed with the tests' key.
import { readdir, readFile } from 'node:fs/promises';
import { Worker } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { expect, inject, it } from 'vitest';
import { parsePayloadKeys, temporalDataConverter } from '../../config/payload-codec.js';
import { installRuntime } from '../../worker/runtime.js';
import { TEST_PAYLOAD_KEYS } from '../support/payload-keys.js';

installRuntime('WARN');
const dir = new URL('./histories/', import.meta.url);

it('replays every recorded history on the current workflow code', async () => {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) {
    const history = historyFromJSON(JSON.parse(await readFile(new URL(file, dir), 'utf8')));
    await Worker.runReplayHistory(
      {
        workflowBundle: { codePath: inject('workflowBundlePath') },
        dataConverter: temporalDataConverter(parsePayloadKeys(TEST_PAYLOAD_KEYS)),
      },
      history,
      file,
    );
  }
});
