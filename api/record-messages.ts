// Messages from the API to a record's workflow, with the workflow's refusals turned into problems.
import type { CallbackRecord } from '../domain/record.js';
import { findRecord } from '../db/records.js';
import { acceptUpdate, callbackWorkflowId } from '../workflows/callback-contract.js';
import type { ApiDeps } from './deps.js';
import { toProblem } from './temporal-errors.js';

export async function sendToRecord<T>({ sql }: ApiDeps, id: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw toProblem(err, (await findRecord(sql, id)) !== null) ?? err;
  }
}

/** The agent takes the record; the workflow's update validator lets exactly one agent win. */
export function acceptRecord(deps: ApiDeps, id: string, agentId: string): Promise<CallbackRecord> {
  const handle = deps.temporal.workflow.getHandle(callbackWorkflowId(id));
  return sendToRecord(deps, id, () => handle.executeUpdate(acceptUpdate, { args: [{ agentId }] }));
}
