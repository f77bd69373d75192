// A refusal with a stable `type` a client can branch on (services/problem-types.ts lists them),
// thrown by the services and answered by the API as RFC 9457 problem details in its one onError.
// Services live below the API, so the refusal does too.
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export interface Problem {
  type: string;
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

export const problem = (status: ContentfulStatusCode, type: string, title: string, extra: Record<string, unknown> = {}) =>
  new ProblemError({ status, type, title, ...extra });
