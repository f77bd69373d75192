// Maps what Temporal says about a record's workflow to what the API answers.
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { INPUT_REJECTION, REJECTION } from '../workflows/callback-contract.js';
import { problem, type ProblemError } from './problem.js';

type Refusal = (typeof REJECTION)[keyof typeof REJECTION] | (typeof INPUT_REJECTION)[keyof typeof INPUT_REJECTION];
const REFUSALS = new Set<string>([...Object.values(REJECTION), ...Object.values(INPUT_REJECTION)]);
const isRefusal = (type: string): type is Refusal => REFUSALS.has(type);

/**
 * A record's workflow refused a message: a 409 the client can act on (400 for input it can never take,
 * as api/problem-types.ts holds both to), or a 404.
 */
export function toProblem(err: unknown, recordExists: boolean): ProblemError | null {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type) {
    if (isRefusal(err.cause.type)) return problem(err.cause.type, err.cause.message);
    // A record started by an earlier release runs its workflow's first version, which lacks this message.
    if (/no registered handler for update/i.test(err.cause.message)) {
      return problem(
        'not-supported-for-this-record',
        'this record was made by an earlier release, which does not take this action; it takes it once it has closed or continued as new',
      );
    }
  }
  if (err instanceof WorkflowNotFoundError || isCompletedError(err)) {
    return recordExists
      ? problem('record-closed', 'the record is closed and takes no more actions')
      : problem('not-found', 'no callback record with this id');
  }
  return null;
}

function isCompletedError(err: unknown): boolean {
  return err instanceof Error && /workflow execution already completed/i.test(err.message);
}
