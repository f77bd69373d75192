// Errors as RFC 9457 problem details, with a stable `type` a client can branch on.
import type { Context } from 'hono';
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

export function problemResponse(c: Context, p: Problem): Response {
  return c.body(JSON.stringify({ ...p, instance: c.req.path }), p.status, {
    'content-type': 'application/problem+json',
  });
}
