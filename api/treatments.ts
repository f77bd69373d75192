// /v1/treatments: what happens after each outcome, as an organisation area's standard set and as
// a queue's exception to it. Changes apply at the next decision of every record concerned.
import { Hono } from 'hono';
import { z } from 'zod';
import { writeAudit } from '../db/audit.js';
import { findOrgArea, findQueue } from '../db/configuration.js';
import {
  deleteTreatment,
  effectiveTreatment,
  listTreatments,
  upsertTreatment,
  type TreatmentScope,
} from '../db/treatments.js';
import { TREATABLE_OUTCOMES, type Outcome, type TreatableOutcome } from '../domain/record.js';
import { DEFAULT_TREATMENT, type Treatment } from '../domain/treatment.js';
import { actorOf } from './actor.js';
import { queueName } from './callbacks.js';
import type { ApiDeps } from './deps.js';
import { areaId } from './org-areas.js';
import { problem } from './problem.js';
import { validate } from './validate.js';

/** A week: a longer pause is a new request, not a retry. */
const MAX_DELAY_MINUTES = 10_080;

/** The outcomes no set can change, for the documentation the defaults route gives. */
const FIXED_OUTCOMES: Record<Exclude<Outcome, TreatableOutcome>, string> = {
  answered: 'connects the agent',
  completed: 'closes the record',
  expired: 'closes the record',
  'reestablish-later': "takes the customer's new time (closes when its closeAfter threshold is reached)",
};

const rule = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('close') }),
  z.strictObject({ action: z.literal('postpone'), delayMinutes: z.int().min(0).max(MAX_DELAY_MINUTES) }),
]);

// A record with an enum key is exhaustive in zod 4: every treatable outcome, and no other key.
const treatment = z
  .strictObject({
    onOutcome: z.record(z.enum(TREATABLE_OUTCOMES), rule),
    closeAfter: z.partialRecord(z.enum([...TREATABLE_OUTCOMES, 'reestablish-later']), z.int().min(1).max(100)).default({}),
    maxAttempts: z.int().min(1).max(100).nullable(),
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

const areaParam = z.object({ area: areaId });
const queueParam = z.object({ queue: queueName });

export function treatmentsRouter({ sql }: ApiDeps) {
  async function requireArea(id: string) {
    if (!(await findOrgArea(sql, id))) throw problem(404, 'not-found', 'no organisation area with this id');
  }
  async function requireQueue(name: string) {
    if (!(await findQueue(sql, name))) throw problem(404, 'not-found', 'no queue with this name');
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
      await writeAudit(tx, { actor, action: 'treatment-reset', detail: { scope, name, treatment: removed?.treatment ?? null }, result: 'ok' });
    });
  }

  return new Hono()
    .get('/defaults', (c) => c.json({ treatment: DEFAULT_TREATMENT, fixedOutcomes: FIXED_OUTCOMES }))

    .get('/', async (c) => c.json({ items: await listTreatments(sql) }))

    .get('/org-areas/:area', validate('param', areaParam), async (c) => {
      const { area } = c.req.valid('param');
      await requireArea(area);
      return c.json(await effectiveTreatment(sql, { orgArea: area }));
    })

    .put('/org-areas/:area', validate('param', areaParam), validate('json', treatment), async (c) => {
      const actor = actorOf(c);
      const { area } = c.req.valid('param');
      await requireArea(area);
      return c.json(await change('org-area', area, c.req.valid('json'), actor));
    })

    .delete('/org-areas/:area', validate('param', areaParam), async (c) => {
      const actor = actorOf(c);
      const { area } = c.req.valid('param');
      await requireArea(area);
      await reset('org-area', area, actor);
      return c.body(null, 204);
    })

    .get('/queues/:queue', validate('param', queueParam), async (c) => {
      const { queue } = c.req.valid('param');
      await requireQueue(queue);
      return c.json(await effectiveTreatment(sql, { queue }));
    })

    .put('/queues/:queue', validate('param', queueParam), validate('json', treatment), async (c) => {
      const actor = actorOf(c);
      const { queue } = c.req.valid('param');
      await requireQueue(queue);
      return c.json(await change('queue', queue, c.req.valid('json'), actor));
    })

    .delete('/queues/:queue', validate('param', queueParam), async (c) => {
      const actor = actorOf(c);
      const { queue } = c.req.valid('param');
      await requireQueue(queue);
      await reset('queue', queue, actor);
      return c.body(null, 204);
    });
}
