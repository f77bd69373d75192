// /v1/audit: who changed or searched for what.
import { Hono } from 'hono';
import { z } from 'zod';
import { listAudit } from '../db/audit.js';
import { route, ROLE_SETS } from './access.js';
import type { ApiDeps } from './deps.js';
import { auditPage } from './audit.schemas.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { instant, queryInt } from './schemas.js';
import { validate } from './validate.js';

const text = z.string().min(1).max(100);
// Ids are bigserial: at most 18 digits keeps a made-up one inside bigint.
const entryId = z.string().regex(/^\d{1,18}$/);

const listQuery = z
  .strictObject({
    actor: text.optional().describe('Entries by this actor (a key name, or key/person)'),
    action: text.optional().describe('Entries of this action: search, export, change, close, parameter-change ...'),
    recordId: text.optional().describe('Entries about this record'),
    from: instant.optional().describe('Entries at or after this instant'),
    to: instant.optional().describe('Entries before this instant'),
    limit: queryInt(1, 200).default(50).describe('Entries a page'),
    cursor: z.string().max(200).optional().describe("The previous page's nextCursor"),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), {
    message: 'is after to',
    path: ['from'],
  });

const cursorKey = z.tuple([instant, entryId]);
const afterEntry = ([at, id]: [string, string]) => ({ at, id });

const read = route({
  summary: 'Read the audit log',
  description: 'Who changed, searched or exported what, newest first, a page at a time. Reading it is not itself logged.',
  roles: ROLE_SETS.admin,
  responses: { 200: { description: 'A page of entries', schema: auditPage } },
});

export function auditRouter({ sql }: ApiDeps) {
  return new Hono().get('/', read, validate('query', listQuery), async (c) => {
    const q = c.req.valid('query');
    // One more than asked for tells whether there is a next page, so the last page says so.
    const found = await listAudit(sql, {
      actor: q.actor,
      action: q.action,
      recordId: q.recordId,
      from: q.from,
      to: q.to,
      limit: q.limit + 1,
      after: q.cursor ? afterEntry(decodeCursor(q.cursor, cursorKey)) : undefined,
    });
    const items = found.slice(0, q.limit);
    return c.json({ items, nextCursor: found.length > q.limit ? encodeCursor(items.at(-1)!.at, items.at(-1)!.id) : null });
  });
}
