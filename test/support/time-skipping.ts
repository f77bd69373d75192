// Temporal's time-skipping test server from the pinned binary, with the record workflow's
// search attributes registered (the test server knows none of its own).
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporalExecutable } from '../../dev/temporal-binaries.js';
import { addSearchAttributes } from '../../worker/search-attributes.js';

export async function startTimeSkipping(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: temporalExecutable('testServer') } });
  await addSearchAttributes(env.connection, 'default');
  return env;
}
