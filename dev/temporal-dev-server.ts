// A local Temporal dev server (the Temporal CLI's), with this project's search attributes.
import { TestWorkflowEnvironment } from '@temporalio/testing';
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
