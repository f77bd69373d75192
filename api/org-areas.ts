// /v1/org-areas: organisation areas, with their active-record limit and duplicate policy.
import { Hono } from 'hono';
import { z } from 'zod';
import { findOrgArea, getParameters, insertOrgArea, listOrgAreas, updateOrgArea } from '../db/configuration.js';
import { DUPLICATE_POLICIES } from '../domain/parameters.js';
import { writeAudit } from '../db/audit.js';
import { actorOf } from './actor.js';
import type { ApiDeps } from './deps.js';
import { problem } from './problem.js';
import { validate } from './validate.js';

export const areaId = z.string().min(1).max(64).regex(/^[A-Za-z0-9][\w.-]*$/, 'letters, digits and . _ - only');

const areaFields = {
  name: z.string().trim().min(1).max(100),
  maxActiveRecords: z.int().min(0).max(10_000_000).nullable(),
  duplicatePolicy: z.enum(DUPLICATE_POLICIES),
};

const createArea = z.strictObject({
  id: areaId,
  name: areaFields.name,
  maxActiveRecords: areaFields.maxActiveRecords.default(null),
  duplicatePolicy: areaFields.duplicatePolicy.optional(),
});
const changeArea = z.strictObject(areaFields).partial();
const idParam = z.object({ id: areaId });

export function orgAreasRouter({ sql }: ApiDeps) {
  return new Hono()
    .get('/', async (c) => c.json({ items: await listOrgAreas(sql) }))

    .post('/', validate('json', createArea), async (c) => {
      const actor = actorOf(c);
      const body = c.req.valid('json');
      const area = { ...body, duplicatePolicy: body.duplicatePolicy ?? (await getParameters(sql)).callbackDuplicatePolicy };
      if (!(await insertOrgArea(sql, area))) throw problem(409, 'already-exists', `organisation area ${body.id} exists`);
      await writeAudit(sql, { actor, action: 'org-area-create', detail: { area }, result: 'ok' });
      c.header('location', `/v1/org-areas/${body.id}`);
      return c.json(area, 201);
    })

    .get('/:id', validate('param', idParam), async (c) => {
      const area = await findOrgArea(sql, c.req.valid('param').id);
      if (!area) throw problem(404, 'not-found', 'no organisation area with this id');
      return c.json(area);
    })

    .patch('/:id', validate('param', idParam), validate('json', changeArea), async (c) => {
      const actor = actorOf(c);
      const changed = await sql.begin(async (tx) => {
        const area = await findOrgArea(tx, c.req.valid('param').id, { lock: true });
        if (!area) throw problem(404, 'not-found', 'no organisation area with this id');
        const next = { ...area, ...c.req.valid('json') };
        await updateOrgArea(tx, next);
        await writeAudit(tx, { actor, action: 'org-area-change', detail: { id: area.id, changes: c.req.valid('json') }, result: 'ok' });
        return next;
      });
      return c.json(changed);
    });
}
