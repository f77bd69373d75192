// The administrator's actions on records: change, copy, pause, enable, close and
// delete, one record at a time or in bulk on what a search finds. Each action goes to the record's
// workflow, which refuses what makes no sense in its state (409), and each is written to the
// audit log with its result.
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import { writeAudit } from '../db/audit.js';
import { findQueue } from '../db/configuration.js';
import { findRecord, matchingIds, type RecordCriteria } from '../db/records.js';
import { newRequest, type CallbackRecord } from '../domain/record.js';
import type { AdminAction, RecordChanges } from '../workflows/callback-contract.js';
import { AUDITED, route, ROLE_SETS } from './access.js';
import { actorOf } from './actor.js';
import { admit } from '../services/admission.js';
import { audited } from './audited.js';
import { checkRequestTimes, phoneOrProblem } from './request-checks.js';
import type { ApiDeps } from './deps.js';
import { callbackRecordView } from './callbacks.schemas.js';
import { bulkResult, copiedRecord } from './record-admin.schemas.js';
import { problem, ProblemError, type Problem } from './problem.js';
import { recordCriteria, toCriteria } from './record-filter.js';
import { administerRecord, deleteRecord } from '../services/record-messages.js';
import { changeRecord } from '../services/record-moves.js';
import { instant, queueName } from './schemas.js';
import { validate } from './validate.js';
import { log } from '../telemetry/log.js';

/** The most records one bulk action takes: more is refused as a whole, so nothing is half done. */
export const BULK_MAX = 1000;
const BULK_CONCURRENCY = 8;

const idParam = z.object({ id: z.uuid().describe("The record's id") });

const changeFields = {
  requestedAt: instant.nullable().describe('The new time to call; null: as soon as possible'),
  validUntil: instant.nullable().describe('The new end of validity; null: none'),
  priority: z.int().min(1).max(9).describe('1 (most urgent) to 9'),
  queue: queueName.describe('Another queue, which may be of another area'),
  comment: z.string().max(2000).nullable().describe('A note for the agent'),
};
const phone = z.string().min(3).max(32).describe('The number to call');
const nonEmpty = (o: object) => Object.keys(o).length > 0;

const changeBody = z
  .strictObject({ phone, ...changeFields })
  .partial()
  .refine(nonEmpty, 'name at least one field to change');

const copyBody = z
  .strictObject({
    phone: phone.describe("The copy's number; the source's when left out"),
    queue: queueName.describe("The copy's queue; the source's when left out"),
    requestedAt: instant.describe('When to call; left out: as soon as possible'),
    validUntil: instant.describe("The copy's validity; the source's while it is ahead"),
    priority: z.int().min(1).max(9).describe("1 to 9; the source's when left out"),
    comment: z.string().max(2000).describe("A note; the source's when left out"),
  })
  .partial();

const closeComment = z.string().max(2000).optional().describe('Why, kept in the history and the audit log');
const closeBody = z.strictObject({ comment: closeComment });

/** What the record's workflow may refuse any administrative action with. */
const REFUSALS = ['not-found', 'record-closed', 'record-in-call', 'already-closing', 'not-supported-for-this-record'] as const;

const routes = {
  change: route({
    summary: 'Change a record',
    description:
      'Phone, time, validity, priority, queue or comment. A record in a call takes no change until the call ends; a new time ' +
      'is a new appointment and takes its place in line from it. A new queue admits the record like a new request: it must ' +
      'take callbacks, and it and its area must have a free place.',
    roles: ROLE_SETS.backOffice,
    responses: { 200: { description: 'The record as changed', schema: callbackRecordView } },
    problems: [...REFUSALS, 'invalid-time', 'unknown-queue', 'queue-not-accepting-callbacks', 'limit-reached'],
    headers: AUDITED,
  }),
  pause: route({
    summary: 'Pause a record',
    description: 'A paused record is not offered or dialled until enabled; its validity still runs.',
    roles: ROLE_SETS.backOffice,
    responses: { 200: { description: 'The record, paused', schema: callbackRecordView } },
    problems: [...REFUSALS, 'already-paused'],
    headers: AUDITED,
  }),
  enable: route({
    summary: 'Enable a paused record',
    roles: ROLE_SETS.backOffice,
    responses: { 200: { description: 'The record, enabled', schema: callbackRecordView } },
    problems: [...REFUSALS, 'not-paused'],
    headers: AUDITED,
  }),
  close: route({
    summary: 'Close a record',
    description: 'Closes it as closed-by-administrator; during a call it is Closing and closes when the call ends.',
    roles: ROLE_SETS.backOffice,
    responses: { 200: { description: 'The record, closed or closing', schema: callbackRecordView } },
    problems: REFUSALS,
    headers: AUDITED,
  }),
  erase: route({
    summary: 'Delete a record for good',
    description: "Closes it as deleted, then erases its row, its history and its workflow's history in Temporal (personal data).",
    roles: ROLE_SETS.admin,
    responses: { 204: { description: 'Deleted' } },
    problems: REFUSALS,
    headers: AUDITED,
  }),
  copy: route({
    summary: 'Copy a record into a new one',
    description: "The copy goes through admission like a new request; fields given override the source's.",
    roles: ROLE_SETS.backOffice,
    responses: { 201: { description: 'The new record', schema: copiedRecord } },
    problems: ['not-found', 'duplicate', 'unknown-queue', 'limit-reached', 'callback-service-disabled', 'queue-not-accepting-callbacks'],
    headers: AUDITED,
  }),
  bulk: route({
    summary: 'One action on every record a filter finds',
    description:
      `Pause, enable, close, change or delete up to ${BULK_MAX} records; each record's result is in the answer. A change of ` +
      'queue admits each record like a single change: those that find no place are refused one by one (limit-reached).',
    roles: ROLE_SETS.admin,
    responses: { 200: { description: "How many matched, succeeded and failed, and each record's result", schema: bulkResult } },
    problems: ['too-many-records', 'unknown-queue'],
    headers: AUDITED,
  }),
};

const bulkAction = (what: string) => `The action: ${what}`;
const bulkBody = z.discriminatedUnion('action', [
  z.strictObject({ action: z.enum(['pause', 'enable', 'delete']).describe(bulkAction('pause, enable or delete')), filter: recordCriteria }),
  z.strictObject({ action: z.literal('close').describe(bulkAction('close')), filter: recordCriteria, comment: closeComment }),
  // A phone number belongs to one customer: it is changed record by record, never in bulk.
  z.strictObject({
    action: z.literal('change').describe(bulkAction('change')),
    filter: recordCriteria,
    changes: z
      .strictObject(changeFields)
      .partial()
      .refine(nonEmpty, 'name at least one field to change')
      .describe('The fields to change on every record found (not the phone: a number belongs to one customer)'),
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
      if (!queue) throw problem('unknown-queue', `no queue ${input.queue}`, { errors: [{ path: 'queue', message: 'unknown queue' }] });
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
      if (action.action === 'change') return changeRecord(deps, id, action);
      return administerRecord(deps, id, action);
    });
  }

  /** What a bulk action will do, and to which records; refused as a whole when it cannot be done. */
  async function prepareBulk(body: z.infer<typeof bulkBody>, actor: string) {
    const criteria = toCriteria(body.filter, defaultCountry, 'filter.phone');
    if (!nonEmpty(criteria)) {
      throw problem('validation-error', 'invalid request body', {
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
      throw problem('too-many-records', `the filter matches more than ${BULK_MAX} records; narrow it`, { limit: BULK_MAX });
    }
    return { action, ids, criteria };
  }

  return new Hono()
    .patch('/:id', routes.change, validate('param', idParam), validate('json', changeBody), async (c) => {
      const actor = actorOf(c);
      const { id } = c.req.valid('param');
      const input = c.req.valid('json');
      const record = await audited(sql, { actor, action: 'change', recordId: id, detail: { changes: input } }, async () =>
        changeRecord(deps, id, { action: 'change', actor, changes: await toChanges(input) }),
      );
      return c.json(record);
    })

    .post('/:id/pause', routes.pause, validate('param', idParam), async (c) => {
      return c.json(await act(c.req.valid('param').id, { action: 'pause', actor: actorOf(c) }));
    })

    .post('/:id/enable', routes.enable, validate('param', idParam), async (c) => {
      return c.json(await act(c.req.valid('param').id, { action: 'enable', actor: actorOf(c) }));
    })

    .post('/:id/close', routes.close, validate('param', idParam), validate('json', closeBody), async (c) => {
      const { comment } = c.req.valid('json');
      return c.json(await act(c.req.valid('param').id, { action: 'close', actor: actorOf(c), comment }, { comment }));
    })

    .delete('/:id', routes.erase, validate('param', idParam), async (c) => {
      await act(c.req.valid('param').id, { action: 'delete', actor: actorOf(c) });
      return c.body(null, 204);
    })

    .post('/:id/copy', routes.copy, validate('param', idParam), validate('json', copyBody), async (c) => {
      const actor = actorOf(c);
      const { id } = c.req.valid('param');
      const over = c.req.valid('json');
      const copy = await audited(sql, { actor, action: 'copy', recordId: id, detail: { overrides: over } }, async () => {
        const source = await findRecord(sql, id);
        if (!source) throw problem('not-found', 'no callback record with this id');
        const now = new Date();
        const requestedAt = over.requestedAt ? new Date(over.requestedAt) : null;
        // The source's validity goes with the copy while it is still ahead.
        const validUntil = over.validUntil
          ? new Date(over.validUntil)
          : source.validUntil && Date.parse(source.validUntil) > now.getTime()
            ? new Date(source.validUntil)
            : null;
        checkRequestTimes({ requestedAt: requestedAt?.toISOString(), validUntil: validUntil?.toISOString() });
        const { kind, record } = await admit(
          deps,
          newRequest({
            id: randomUUID(),
            phone: over.phone ? phoneOrProblem(over.phone, defaultCountry, 'phone') : source.phone,
            queue: over.queue ?? source.queue,
            channel: 'admin',
            createdBy: actor,
            taskType: source.taskType,
            requestedAt: requestedAt?.toISOString(),
            validUntil: validUntil?.toISOString(),
            priority: over.priority ?? source.priority,
            customerId: source.customerId,
            ani: source.ani,
            comment: over.comment ?? source.comment,
            language: source.language,
            contactData: source.contactData,
            createdAt: now.toISOString(),
            copiedFrom: source.id,
          }),
        );
        if (kind === 'duplicate') {
          throw problem('duplicate', 'the customer has an active record already, and the area avoids duplicates', {
            existing: record.id,
          });
        }
        return { ...record, duplicate: false };
      });
      c.header('location', `/v1/callbacks/${copy.id}`);
      return c.json(copy, 201);
    })

    .post('/bulk', routes.bulk, validate('json', bulkBody), async (c) => {
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
      await writeAudit(sql, {
        actor,
        action: `bulk-${body.action}`,
        filter: criteria,
        detail: { matched: ids.length, ...what },
        result: 'ok',
      });

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
              log().error({ recordId: id, action: body.action, err }, 'bulk action on a record failed');
              results.push({ id, ok: false, problem: problem('internal-error', 'internal error').problem });
            }
          }
        }
      };
      await Promise.all(Array.from({ length: BULK_CONCURRENCY }, worker));
      const succeeded = results.filter((r) => r.ok).length;
      return c.json({ action: body.action, matched: ids.length, succeeded, failed: ids.length - succeeded, results });
    });
}
