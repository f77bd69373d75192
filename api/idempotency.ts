// The Idempotency-Key header as the services read it, and the answer kept under it sent back.
import type { Context } from 'hono';
import type { StoredResponse } from '../db/admission.js';
import { problem } from './problem.js';

/**
 * The request's Idempotency-Key, if it has one, kept apart per API key: two systems that happen
 * to use the same key never get each other's answers.
 */
export function idempotencyKeyOf(c: Context): string | undefined {
  const key = c.req.header('idempotency-key');
  if (key === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,200}$/.test(key)) {
    throw problem('validation-error', 'invalid Idempotency-Key header', {
      errors: [{ path: 'Idempotency-Key', message: '1 to 200 printable characters' }],
    });
  }
  return `${c.get('caller').keyId}:${key}`;
}

/** Sends a response made by admitAndRespond, first or replayed, the same way. */
export function send(c: Context, response: StoredResponse): Response {
  return c.body(response.body, response.status as 200, response.headers);
}
