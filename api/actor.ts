// Who is acting: the `X-Actor` header names the person or system behind an administrative action
// or a search, for the audit log. Until API keys carry an identity (issue 6) it is the caller's word.
import type { Context } from 'hono';
import { problem } from './problem.js';

const ACTOR = /^[\w.@:+-]{1,100}$/;

export function actorOf(c: Context): string {
  const actor = c.req.header('x-actor');
  if (actor === undefined) {
    throw problem(400, 'actor-required', 'this action is audited: say who acts in the X-Actor header', {
      errors: [{ path: 'X-Actor', message: 'required' }],
    });
  }
  if (!ACTOR.test(actor)) {
    throw problem(400, 'validation-error', 'invalid X-Actor header', {
      errors: [{ path: 'X-Actor', message: '1 to 100 letters, digits and . _ @ : + - only' }],
    });
  }
  return actor;
}
