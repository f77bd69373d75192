// /v1/audit: who changed or searched for what. Reading it needs an X-Actor but is not itself logged.
import { Hono } from 'hono';
import { z } from 'zod';
import { listAudit, type AuditRecord } from '../db/audit.js';
import { actorOf } from './actor.js';
import type { ApiDeps } from './deps.js';
import { problem } from './problem.js';
import { instant, validate } from './validate.js';

const text = z.string().min(1).max(100);
// Ids are bigserial: at most 18 digits keeps a made-up one inside bigint.
const entryId = z.string().regex(/^\d{1,18}$/);

const listQuery = z
  .strictObject({
    actor: text.optional(),
    action: text.optional(),
    recordId: text.optional(),
    from: instant.optional(),
    to: instant.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(200).optional(),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), {
    message: 'is after to',
    path: ['from'],
  });

const encodeCursor = (e: AuditRecord) => Buffer.from(JSON.stringify([e.at, e.id])).toString('base64url');

function decodeCursor(cursor: string): { at: string; id: string } {
  try {
    const [at, id] = z.tuple([instant, entryId]).parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return { at, id };
  } catch {
    throw problem(400, 'validation-error', 'invalid query', { errors: [{ path: 'cursor', message: 'not a cursor this API gave' }] });
  }
}

export function auditRouter({ sql }: ApiDeps) {
  return new Hono()
    .use(async (c, next) => {
      actorOf(c);
      await next();
    })

    .get('/', validate('query', listQuery), async (c) => {
      const q = c.req.valid('query');
      // One more than asked for tells whether there is a next page, so the last page says so.
      const found = await listAudit(sql, {
        actor: q.actor,
        action: q.action,
        recordId: q.recordId,
        from: q.from,
        to: q.to,
        limit: q.limit + 1,
        after: q.cursor ? decodeCursor(q.cursor) : undefined,
      });
      const items = found.slice(0, q.limit);
      return c.json({ items, nextCursor: found.length > q.limit ? encodeCursor(items.at(-1)!) : null });
    });
}
