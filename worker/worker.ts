// Builds the worker that runs callback workflows and their activities.
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index.js';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export interface WorkerDeps extends Omit<ActivityDeps, 'taskQueue'> {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** A prebuilt bundle (tests build it once); otherwise the worker bundles at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
}

export async function createWorker({ connection, namespace, taskQueue, workflowBundle, ...deps }: WorkerDeps) {
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    activities: createActivities({ ...deps, taskQueue }),
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    // Let a dial in progress finish when the worker is asked to stop.
    shutdownGraceTime: '30 seconds',
  });
}
