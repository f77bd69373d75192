// A local Temporal dev server (the Temporal CLI's), with this project's search attributes.
import { readdir, readFile } from 'node:fs/promises';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { stopAndWait } from './processes.js';
import { SEARCH_ATTRIBUTES } from '../workflows/callback-contract.js';
import { temporalExecutable } from './temporal-binaries.js';

export interface DevServerOptions {
  /** Persist workflows to this SQLite file; in memory without it. */
  dbFilename?: string;
  port?: number;
  uiPort?: number;
  namespace?: string;
  /** The Web UI decodes payloads through this codec endpoint (the API's /codec). */
  uiCodecEndpoint?: string;
}

export async function startTemporalDevServer({ dbFilename, port, uiPort, namespace, uiCodecEndpoint }: DevServerOptions) {
  if (dbFilename) await stopLeftoverServer(dbFilename);
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: temporalExecutable('cli'),
      dbFilename,
      port,
      namespace,
      ...(uiPort ? { ui: true, uiPort } : {}),
      searchAttributes: Object.values(SEARCH_ATTRIBUTES),
      log: { format: 'pretty', level: 'error' },
      ...(uiCodecEndpoint ? { extraArgs: ['--ui-codec-endpoint', uiCodecEndpoint] } : {}),
    },
  });
}

/** A start killed with SIGKILL leaves its dev server running on the file (and its ports): stop it. */
async function stopLeftoverServer(dbFilename: string) {
  if (process.platform !== 'linux') return;
  const ours = (cmdline: string) => cmdline.includes('\0start-dev\0') && cmdline.includes(`\0--db-filename\0${dbFilename}\0`);
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry);
    if (pid && pid !== process.pid && ours(await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => ''))) pids.push(pid);
  }
  await stopAndWait(pids, 'SIGTERM', 20_000);
}
