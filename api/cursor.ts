// Page cursors: the sort key of a page's last item, opaque to the client. One that this API did
// not give is a 400, never a query with made-up bounds.
import type { ZodTuple } from 'zod';
import type { z } from 'zod';
import { problem } from './problem.js';

export const encodeCursor = (...key: string[]): string => Buffer.from(JSON.stringify(key)).toString('base64url');

export function decodeCursor<T extends ZodTuple>(cursor: string, key: T): z.infer<T> {
  try {
    return key.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw problem('validation-error', 'invalid query', { errors: [{ path: 'cursor', message: 'not a cursor this API gave' }] });
  }
}
