// A refusal with a stable `type` a client can branch on (services/problem-types.ts lists them),
// thrown by the services and answered by the API as RFC 9457 problem details in its one onError.
// Services live below the API, so the refusal does too.
// The status comes from the catalogue, so a type missing from it does not compile.
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { PROBLEM_TYPES, type ProblemType } from './problem-types.js';

export interface Problem {
  type: ProblemType;
  title: string;
  status: ContentfulStatusCode;
  detail?: string;
  [extension: string]: unknown;
}

export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
}

export const problem = (type: ProblemType, title: string, extra: Record<string, unknown> = {}) =>
  new ProblemError({ status: PROBLEM_TYPES[type][0], type, title, ...extra });
