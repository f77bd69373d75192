// Errors as RFC 9457 problem details, with a stable `type` a client can branch on. The status comes
// from the catalogue (api/problem-types.ts), so a type missing from it does not compile.
import type { Context } from 'hono';
import type { Problem } from '../services/problem.js';

export { problem, ProblemError, type Problem } from '../services/problem.js';

export function problemResponse(c: Context, p: Problem): Response {
  return c.body(JSON.stringify({ ...p, instance: c.req.path }), p.status, {
    'content-type': 'application/problem+json',
  });
}
