// Who is acting, for the audit log: the API key's name, and, when a system acts for a person,
// the person it names in `X-Actor` (`crm-prod/anna.svensson`). The header alone proves nothing;
// the key does.
import type { Context } from 'hono';
import { problem } from './problem.js';

const ACTOR = /^[\w.@:+-]{1,100}$/;

export function actorOf(c: Context): string {
  const { name, kind } = c.get('caller');
  // A signed-in person is the actor: nobody else's name goes with theirs.
  if (kind === 'person') return name;
  const person = c.req.header('x-actor');
  if (person === undefined || person === '') return name;
  if (!ACTOR.test(person)) {
    throw problem('validation-error', 'invalid X-Actor header', {
      errors: [{ path: 'X-Actor', message: '1 to 100 letters, digits and . _ @ : + - only' }],
    });
  }
  return `${name}/${person}`;
}
