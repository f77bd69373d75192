// Errors as RFC 9457 problem details, with a stable `type` a client can branch on. The status comes
// from the catalogue (api/problem-types.ts), so a type missing from it does not compile.
import type { Context } from 'hono';
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

export function problemResponse(c: Context, p: Problem): Response {
  return c.body(JSON.stringify({ ...p, instance: c.req.path }), p.status, {
    'content-type': 'application/problem+json',
  });
}
