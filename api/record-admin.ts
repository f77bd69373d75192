// The administrator's actions on records (DOMAIN.md §2): change, copy, pause, enable, close and
// delete, one record at a time or in bulk on what a search finds. Each action goes to the record's
// workflow, which refuses what makes no sense in its state (409), and each is written to the
// audit log with its result.
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import { writeAudit } from '../db/audit.js';
import { findQueue } from '../db/configuration.js';
import { findRecord, matchingIds, type RecordCriteria } from '../db/records.js';
import type { CallbackRecord } from '../domain/record.js';
import type { AdminAction, RecordChanges } from '../workflows/callback-contract.js';
import { actorOf } from './actor.js';
import { admit } from './admission.js';
import { audited } from './audited.js';
import { queueName } from './callbacks.js';
import { checkRequestTimes, phoneOrProblem } from './request-checks.js';
import type { ApiDeps } from './deps.js';
import { problem, ProblemError, type Problem } from './problem.js';
import { recordCriteria, toCriteria } from './record-filter.js';
import { administerRecord, deleteRecord } from './record-messages.js';
import { instant, validate } from './validate.js';

/** The most records one bulk action takes: more is refused as a whole, so nothing is half done. */
export const BULK_MAX = 1000;
const BULK_CONCURRENCY = 8;

const idParam = z.object({ id: z.uuid() });

const changeFields = {
  requestedAt: instant.nullable(),
  validUntil: instant.nullable(),
  priority: z.int().min(1).max(9),
  queue: queueName,
  comment: z.string().max(2000).nullable(),
};
const nonEmpty = (o: object) => Object.keys(o).length > 0;

const changeBody = z
  .strictObject({ phone: z.string().min(3).max(32), ...changeFields })
  .partial()
  .refine(nonEmpty, 'name at least one field to change');

const copyBody = z
  .strictObject({
    phone: z.string().min(3).max(32),
    queue: queueName,
    requestedAt: instant,
    validUntil: instant,
    priority: z.int().min(1).max(9),
    comment: z.string().max(2000),
  })
  .partial();

const closeBody = z.strictObject({ comment: z.string().max(2000).optional() });

const bulkBody = z.discriminatedUnion('action', [
  z.strictObject({ action: z.enum(['pause', 'enable', 'delete']), filter: recordCriteria }),
  z.strictObject({ action: z.literal('close'), filter: recordCriteria, comment: z.string().max(2000).optional() }),
  // A phone number belongs to one customer: it is changed record by record, never in bulk.
  z.strictObject({
    action: z.literal('change'),
    filter: recordCriteria,
    changes: z.strictObject(changeFields).partial().refine(nonEmpty, 'name at least one field to change'),
  }),
]);

type ChangeInput = z.infer<typeof changeBody>;

export function recordAdminRouter(deps: ApiDeps) {
  const { sql, defaultCountry } = deps;

  /** The API's share of a change: input checks against the clock, and the new queue's area. */
  async function toChanges(input: ChangeInput): Promise<RecordChanges> {
    checkRequestTimes(input);
    const changes: RecordChanges = {};
    if (input.phone !== undefined) changes.phone = phoneOrProblem(input.phone, defaultCountry, 'phone');
    if (input.requestedAt !== undefined) changes.requestedAt = input.requestedAt && new Date(input.requestedAt).toISOString();
    if (input.validUntil !== undefined) changes.validUntil = input.validUntil && new Date(input.validUntil).toISOString();
    if (input.priority !== undefined) changes.priority = input.priority;
    if (input.comment !== undefined) changes.comment = input.comment;
    if (input.queue !== undefined) {
      const queue = await findQueue(sql, input.queue);
      if (!queue) throw problem(422, 'unknown-queue', `no queue ${input.queue}`, { errors: [{ path: 'queue', message: 'unknown queue' }] });
      changes.queue = { name: queue.name, orgArea: queue.orgArea };
    }
    return changes;
  }

  /** One action on one record, audited; `bulk` names the bulk action it is part of. */
  function act(id: string, action: AdminAction, detail: Record<string, unknown> = {}): Promise<CallbackRecord | null> {
    return audited(sql, { actor: action.actor, action: action.action, recordId: id, detail }, async () => {
      if (action.action === 'delete') {
        await deleteRecord(deps, id, action.actor);
        return null;
      }
      return administerRecord(deps, id, action);
    });
  }

  /** What a bulk action will do, and to which records; refused as a whole when it cannot be done. */
  async function prepareBulk(body: z.infer<typeof bulkBody>, actor: string) {
    const criteria = toCriteria(body.filter, defaultCountry, 'filter.phone');
    if (!nonEmpty(criteria)) {
      throw problem(400, 'validation-error', 'invalid request body', {
        errors: [{ path: 'filter', message: 'a bulk action needs at least one criterion' }],
      });
    }
    const action: AdminAction =
      body.action === 'change'
        ? { action: 'change', actor, changes: await toChanges(body.changes) }
        : body.action === 'close'
          ? { action: 'close', actor, comment: body.comment }
          : { action: body.action, actor };
    const ids = await matchingIds(sql, criteria, BULK_MAX + 1);
    if (ids.length > BULK_MAX) {
      throw problem(422, 'too-many-records', `the filter matches more than ${BULK_MAX} records; narrow it`, { limit: BULK_MAX });
    }
    return { action, ids, criteria };
  }

  return new Hono()
    .patch('/:id', validate('param', idParam), validate('json', changeBody), async (c) => {
      const actor = actorOf(c);
      const { id } = c.req.valid('param');
      const input = c.req.valid('json');
      const record = await audited(sql, { actor, action: 'change', recordId: id, detail: { changes: input } }, async () =>
        administerRecord(deps, id, { action: 'change', actor, changes: await toChanges(input) }),
      );
      return c.json(record);
    })

    .post('/:id/pause', validate('param', idParam), async (c) => {
      return c.json(await act(c.req.valid('param').id, { action: 'pause', actor: actorOf(c) }));
    })

    .post('/:id/enable', validate('param', idParam), async (c) => {
      return c.json(await act(c.req.valid('param').id, { action: 'enable', actor: actorOf(c) }));
    })

    .post('/:id/close', validate('param', idParam), validate('json', closeBody), async (c) => {
      const { comment } = c.req.valid('json');
      return c.json(await act(c.req.valid('param').id, { action: 'close', actor: actorOf(c), comment }, { comment }));
    })

    .delete('/:id', validate('param', idParam), async (c) => {
      await act(c.req.valid('param').id, { action: 'delete', actor: actorOf(c) });
      return c.body(null, 204);
    })

    .post('/:id/copy', validate('param', idParam), validate('json', copyBody), async (c) => {
      const actor = actorOf(c);
      const { id } = c.req.valid('param');
      const over = c.req.valid('json');
      const copy = await audited(sql, { actor, action: 'copy', recordId: id, detail: { overrides: over } }, async () => {
        const source = await findRecord(sql, id);
        if (!source) throw problem(404, 'not-found', 'no callback record with this id');
        const now = new Date();
        const requestedAt = over.requestedAt ? new Date(over.requestedAt) : null;
        // The source's validity goes with the copy while it is still ahead.
        const validUntil = over.validUntil
          ? new Date(over.validUntil)
          : source.validUntil && Date.parse(source.validUntil) > now.getTime()
            ? new Date(source.validUntil)
            : null;
        checkRequestTimes({ requestedAt: requestedAt?.toISOString(), validUntil: validUntil?.toISOString() });
        const { status, body } = await admit(deps, {
          id: randomUUID(),
          phone: over.phone ? phoneOrProblem(over.phone, defaultCountry, 'phone') : source.phone,
          queue: over.queue ?? source.queue,
          channel: 'admin',
          createdBy: actor,
          taskType: source.taskType,
          requestedAt: requestedAt?.toISOString() ?? null,
          validUntil: validUntil?.toISOString() ?? null,
          priority: over.priority ?? source.priority,
          customerId: source.customerId,
          ani: source.ani,
          comment: over.comment ?? source.comment,
          language: source.language,
          contactData: source.contactData,
          createdAt: now.toISOString(),
          waitingListOf: null,
          copiedFrom: source.id,
        });
        const record = body as CallbackRecord & { duplicate: boolean };
        if (status !== 201) {
          throw problem(409, 'duplicate', 'the customer has an active record already, and the area avoids duplicates', {
            existing: record.id,
          });
        }
        return record;
      });
      c.header('location', `/v1/callbacks/${copy.id}`);
      return c.json(copy, 201);
    })

    .post('/bulk', validate('json', bulkBody), async (c) => {
      const actor = actorOf(c);
      const body = c.req.valid('json');
      const what = body.action === 'change' ? { changes: body.changes } : body.action === 'close' ? { comment: body.comment ?? null } : {};
      let prepared: { action: AdminAction; ids: string[]; criteria: RecordCriteria };
      try {
        prepared = await prepareBulk(body, actor);
      } catch (err) {
        // Refused as a whole (bad criteria or changes, too many records): audited as such, with the filter as given.
        if (err instanceof ProblemError) {
          await writeAudit(sql, { actor, action: `bulk-${body.action}`, filter: body.filter, detail: what, result: err.problem.type });
        }
        throw err;
      }
      const { action, ids, criteria } = prepared;
      await writeAudit(sql, { actor, action: `bulk-${body.action}`, filter: criteria, detail: { matched: ids.length, ...what }, result: 'ok' });

      const results: ({ id: string; ok: true; status: string } | { id: string; ok: false; problem: Problem })[] = [];
      let next = 0;
      const worker = async () => {
        while (next < ids.length) {
          const id = ids[next++]!;
          try {
            const record = await act(id, action, { bulk: true, ...what });
            results.push({ id, ok: true, status: record?.status ?? 'Deleted' });
          } catch (err) {
            // One record's failure is that record's result: the others go on, and the answer says what was done.
            if (err instanceof ProblemError) results.push({ id, ok: false, problem: err.problem });
            else {
              console.error(`[api] bulk ${body.action} of record ${id} failed`, err);
              results.push({ id, ok: false, problem: { status: 500, type: 'internal-error', title: 'internal error' } });
            }
          }
        }
      };
      await Promise.all(Array.from({ length: BULK_CONCURRENCY }, worker));
      const succeeded = results.filter((r) => r.ok).length;
      return c.json({ action: body.action, matched: ids.length, succeeded, failed: ids.length - succeeded, results });
    });
}
