// /v1/treatments: what happens after each outcome, as an organisation area's standard set and as
// a queue's exception to it. Changes apply at the next decision of every record concerned.
import { Hono } from 'hono';
import { z } from 'zod';
import { writeAudit } from '../db/audit.js';
import { findOrgArea, findQueue } from '../db/configuration.js';
import { deleteTreatment, effectiveTreatment, listTreatments, upsertTreatment, type TreatmentScope } from '../db/treatments.js';
import { TREATABLE_OUTCOMES, type Outcome, type TreatableOutcome } from '../domain/record.js';
import { COUNTED_OUTCOMES, DEFAULT_TREATMENT, type Treatment } from '../domain/treatment.js';
import { AUDITED, route, ROLE_SETS } from './access.js';
import { actorOf } from './actor.js';
import type { ApiDeps } from './deps.js';
import { problem } from './problem.js';
import { effectiveTreatment as effectiveAnswer, savedTreatment, treatmentDefaults, treatmentList } from './treatments.schemas.js';
import { areaId, queueName } from './schemas.js';
import { validate } from './validate.js';

/** A week: a longer pause is a new request, not a retry. */
const MAX_DELAY_MINUTES = 10_080;

/** The outcomes no set can change, for the documentation the defaults route gives. */
const FIXED_OUTCOMES: Record<Exclude<Outcome, TreatableOutcome>, string> = {
  answered: 'connects the agent',
  completed: 'closes the record',
  expired: 'closes the record',
  'agent-not-reached': 'the agent did not answer the call to their device: back to the queue, not counted as an attempt',
  'reestablish-later': "takes the customer's new time (closes when its closeAfter threshold is reached)",
};

const rule = z
  .discriminatedUnion('action', [
    z.strictObject({ action: z.literal('close').describe('Close the record, with the outcome as its reason') }),
    z.strictObject({
      action: z.literal('postpone').describe('Try again later, keeping the place in line'),
      delayMinutes: z.int().min(0).max(MAX_DELAY_MINUTES).describe('Minutes until the next try; 0: as soon as possible'),
    }),
  ])
  .describe('What to do after this outcome');

// A record with an enum key is exhaustive in zod 4: every treatable outcome, and no other key.
const treatment = z
  .strictObject({
    onOutcome: z.record(z.enum(TREATABLE_OUTCOMES), rule).describe('Every treatable outcome with its rule'),
    closeAfter: z
      .partialRecord(z.enum(COUNTED_OUTCOMES), z.int().min(1).max(100))
      .default({})
      .describe('Close at the Nth occurrence of an outcome, whatever its rule says'),
    maxAttempts: z.int().min(1).max(100).nullable().describe('Close after this many dials in all; null: no limit'),
  })
  .superRefine((t, ctx) => {
    for (const outcome of TREATABLE_OUTCOMES) {
      if (t.closeAfter[outcome] !== undefined && t.onOutcome[outcome].action === 'close') {
        ctx.addIssue({
          code: 'custom',
          path: ['closeAfter', outcome],
          message: `never applies: ${outcome} already closes the record at its first occurrence`,
        });
      }
    }
  }) satisfies z.ZodType<Treatment>;

const areaParam = z.object({ area: areaId.describe("The organisation area's id") });
const queueParam = z.object({ queue: queueName.describe("The queue's name") });

const setDoc = (scope: string) =>
  route({
    summary: `Set the treatment set of ${scope}`,
    description: 'Every treatable outcome must be named; applies to running records at their next decision.',
    roles: ROLE_SETS.admin,
    responses: { 200: { description: 'The effective set and where it comes from', schema: savedTreatment } },
    problems: ['not-found'],
    headers: AUDITED,
  });
const resetDoc = (scope: string, fallback: string) =>
  route({
    summary: `Remove the treatment set of ${scope}`,
    description: `It falls back to ${fallback}.`,
    roles: ROLE_SETS.admin,
    responses: { 204: { description: 'Removed' } },
    problems: ['not-found'],
    headers: AUDITED,
  });
const readDoc = (scope: string) =>
  route({
    summary: `The effective treatment set of ${scope}`,
    roles: ROLE_SETS.oversight,
    responses: { 200: { description: 'The set and where it comes from (queue, org-area or default)', schema: effectiveAnswer } },
    problems: ['not-found'],
  });

const routes = {
  defaults: route({
    summary: "The product's default treatment set",
    description: 'With the outcomes whose handling is fixed, and why.',
    roles: ROLE_SETS.oversight,
    responses: { 200: { description: 'The default set and the fixed outcomes', schema: treatmentDefaults } },
  }),
  list: route({
    summary: 'Every stored treatment set',
    roles: ROLE_SETS.oversight,
    responses: { 200: { description: 'The sets of areas and queues', schema: treatmentList } },
  }),
  readArea: readDoc('an organisation area'),
  setArea: setDoc('an organisation area'),
  resetArea: resetDoc('an organisation area', "the product's defaults"),
  readQueue: readDoc('a queue'),
  setQueue: setDoc('a queue'),
  resetQueue: resetDoc('a queue', "its area's set"),
};

export function treatmentsRouter({ sql }: ApiDeps) {
  async function requireArea(id: string) {
    if (!(await findOrgArea(sql, id))) throw problem('not-found', 'no organisation area with this id');
  }
  async function requireQueue(name: string) {
    if (!(await findQueue(sql, name))) throw problem('not-found', 'no queue with this name');
  }

  /** Stores the set and its audit entry together: no change goes unrecorded. */
  async function change(scope: TreatmentScope, name: string, set: Treatment, actor: string) {
    const saved = await sql.begin(async (tx) => {
      const row = await upsertTreatment(tx, { scope, name, treatment: set, updatedBy: actor });
      await writeAudit(tx, { actor, action: 'treatment-change', detail: { scope, name, treatment: row.treatment }, result: 'ok' });
      return row;
    });
    return { treatment: saved.treatment, source: scope, updatedBy: saved.updatedBy, updatedAt: saved.updatedAt };
  }

  /** The audit entry keeps the set that was removed (null when none was stored). */
  async function reset(scope: TreatmentScope, name: string, actor: string) {
    await sql.begin(async (tx) => {
      const removed = await deleteTreatment(tx, scope, name);
      await writeAudit(tx, {
        actor,
        action: 'treatment-reset',
        detail: { scope, name, treatment: removed?.treatment ?? null },
        result: 'ok',
      });
    });
  }

  return new Hono()
    .get('/defaults', routes.defaults, (c) => c.json({ treatment: DEFAULT_TREATMENT, fixedOutcomes: FIXED_OUTCOMES }))

    .get('/', routes.list, async (c) => c.json({ items: await listTreatments(sql) }))

    .get('/org-areas/:area', routes.readArea, validate('param', areaParam), async (c) => {
      const { area } = c.req.valid('param');
      await requireArea(area);
      return c.json(await effectiveTreatment(sql, { orgArea: area }));
    })

    .put('/org-areas/:area', routes.setArea, validate('param', areaParam), validate('json', treatment), async (c) => {
      const actor = actorOf(c);
      const { area } = c.req.valid('param');
      await requireArea(area);
      return c.json(await change('org-area', area, c.req.valid('json'), actor));
    })

    .delete('/org-areas/:area', routes.resetArea, validate('param', areaParam), async (c) => {
      const actor = actorOf(c);
      const { area } = c.req.valid('param');
      await requireArea(area);
      await reset('org-area', area, actor);
      return c.body(null, 204);
    })

    .get('/queues/:queue', routes.readQueue, validate('param', queueParam), async (c) => {
      const { queue } = c.req.valid('param');
      await requireQueue(queue);
      return c.json(await effectiveTreatment(sql, { queue }));
    })

    .put('/queues/:queue', routes.setQueue, validate('param', queueParam), validate('json', treatment), async (c) => {
      const actor = actorOf(c);
      const { queue } = c.req.valid('param');
      await requireQueue(queue);
      return c.json(await change('queue', queue, c.req.valid('json'), actor));
    })

    .delete('/queues/:queue', routes.resetQueue, validate('param', queueParam), async (c) => {
      const actor = actorOf(c);
      const { queue } = c.req.valid('param');
      await requireQueue(queue);
      await reset('queue', queue, actor);
      return c.body(null, 204);
    });
}
