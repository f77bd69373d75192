// Starts what the tests share: a Temporal dev server, the database (DATABASE_URL, or an
// embedded PostgreSQL when it is not set) with the schema, and the workflow bundle built once.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { connect } from '../../db/connect.js';
import { migrate } from '../../db/migrate.js';
import { startEmbeddedPostgres } from '../../dev/embedded-postgres.js';
import { startTemporalDevServer } from '../../dev/temporal-dev-server.js';
import { WORKFLOWS_PATH } from '../../worker/run.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    databaseUrl: string;
    embeddedDb: boolean;
    workflowBundlePath: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = await mkdtemp(join(tmpdir(), 'callback-tests-'));
  const [temporal, pg, bundle] = await Promise.all([
    startTemporalDevServer({}),
    process.env.DATABASE_URL ? null : startEmbeddedPostgres({}),
    bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger }),
  ]);
  const databaseUrl = process.env.DATABASE_URL ?? pg!.url;
  const sql = connect({ url: databaseUrl, max: 1 });
  await resetSchema(sql);
  await migrate(sql);
  await sql.end();

  const workflowBundlePath = join(dir, 'workflow-bundle.js');
  await writeFile(workflowBundlePath, bundle.code);
  project.provide('temporalAddress', temporal.address);
  project.provide('databaseUrl', databaseUrl);
  project.provide('embeddedDb', !!pg);
  project.provide('workflowBundlePath', workflowBundlePath);

  return async () => {
    await temporal.teardown();
    await pg?.stop();
    await rm(dir, { recursive: true, force: true });
  };
}

/** A test database starts empty, so that a changed migration is tested as a fresh install. */
async function resetSchema(sql: ReturnType<typeof connect>) {
  await sql.unsafe('drop schema if exists public cascade; create schema public');
}

const quietLogger = {
  log() {},
  trace() {},
  debug() {},
  info() {},
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};
