// /v1/org-areas: organisation areas, with their active-record limit and duplicate policy.
import { Hono } from 'hono';
import { z } from 'zod';
import { findOrgArea, getParameters, insertOrgArea, listOrgAreas, updateOrgArea } from '../db/configuration.js';
import { DUPLICATE_POLICIES } from '../domain/parameters.js';
import { AUDITED, route, ROLE_SETS } from './access.js';
import { actorOf } from './actor.js';
import { auditedChange } from './audited.js';
import type { ApiDeps } from './deps.js';
import { problem } from './problem.js';
import { orgArea, orgAreaList } from './org-areas.schemas.js';
import { areaId } from './schemas.js';
import { validate } from './validate.js';

const areaFields = {
  name: z.string().trim().min(1).max(100).describe('A name for people'),
  maxActiveRecords: z.int().min(0).max(10_000_000).nullable().describe('At most this many active records in the area; null: no limit'),
  duplicatePolicy: z
    .enum(DUPLICATE_POLICIES)
    .describe('allow; avoid (one active record per number); avoid-same-task-type (one per number and task type)'),
};

/** An area as POST /v1/org-areas takes it (the CSV import reads its rows with it too). */
export const createArea = z.strictObject({
  id: areaId.describe("The area's id, used in URLs and queues"),
  name: areaFields.name,
  maxActiveRecords: areaFields.maxActiveRecords.default(null),
  duplicatePolicy: areaFields.duplicatePolicy.optional(),
});
const changeArea = z.strictObject(areaFields).partial();
const idParam = z.object({ id: areaId.describe("The area's id") });

const routes = {
  list: route({
    summary: 'List organisation areas',
    roles: ROLE_SETS.oversight,
    responses: { 200: { description: 'Every area', schema: orgAreaList } },
  }),
  create: route({
    summary: 'Create an organisation area',
    description: 'Without a duplicatePolicy the area takes the callbackDuplicatePolicy parameter as it is now.',
    roles: ROLE_SETS.admin,
    responses: { 201: { description: 'The area as created', schema: orgArea } },
    problems: ['already-exists'],
    headers: AUDITED,
  }),
  read: route({
    summary: 'Read an organisation area',
    roles: ROLE_SETS.oversight,
    responses: { 200: { description: 'The area', schema: orgArea } },
    problems: ['not-found'],
  }),
  change: route({
    summary: 'Change an organisation area',
    description: 'Its limit and duplicate policy apply to the next request.',
    roles: ROLE_SETS.admin,
    responses: { 200: { description: 'The area as changed', schema: orgArea } },
    problems: ['not-found'],
    headers: AUDITED,
  }),
};

export function orgAreasRouter({ sql }: ApiDeps) {
  return new Hono()
    .get('/', routes.list, async (c) => c.json({ items: await listOrgAreas(sql) }))

    .post('/', routes.create, validate('json', createArea), async (c) => {
      const actor = actorOf(c);
      const body = c.req.valid('json');
      const area = { ...body, duplicatePolicy: body.duplicatePolicy ?? (await getParameters(sql)).callbackDuplicatePolicy };
      await auditedChange(
        sql,
        async (tx) => {
          if (!(await insertOrgArea(tx, area))) throw problem('already-exists', `organisation area ${body.id} exists`);
        },
        () => ({ actor, action: 'org-area-create', detail: { area } }),
      );
      c.header('location', `/v1/org-areas/${body.id}`);
      return c.json(area, 201);
    })

    .get('/:id', routes.read, validate('param', idParam), async (c) => {
      const area = await findOrgArea(sql, c.req.valid('param').id);
      if (!area) throw problem('not-found', 'no organisation area with this id');
      return c.json(area);
    })

    .patch('/:id', routes.change, validate('param', idParam), validate('json', changeArea), async (c) => {
      const actor = actorOf(c);
      const changes = c.req.valid('json');
      const changed = await auditedChange(
        sql,
        async (tx) => {
          const area = await findOrgArea(tx, c.req.valid('param').id, { lock: true });
          if (!area) throw problem('not-found', 'no organisation area with this id');
          const next = { ...area, ...changes };
          await updateOrgArea(tx, next);
          return next;
        },
        (next) => ({ actor, action: 'org-area-change', detail: { id: next.id, changes } }),
      );
      return c.json(changed);
    });
}
