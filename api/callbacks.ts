// /v1/callbacks: request a callback, search and export records, and the agent's accept, refusal
// and feedback. The administrator's actions on records are in record-admin.ts.
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import { writeAudit } from '../db/audit.js';
import { findHistory, findRecord, listRecords } from '../db/records.js';
import { CHANNELS, FEEDBACK_OUTCOMES, type CallbackRecord } from '../domain/record.js';
import { callbackWorkflowId, feedbackUpdate } from '../workflows/callback-contract.js';
import { actorOf } from './actor.js';
import { admit, requestHash } from './admission.js';
import { csvLine } from './csv.js';
import type { ApiDeps } from './deps.js';
import { problem } from './problem.js';
import { recordCriteria, toCriteria } from './record-filter.js';
import { acceptRecord, refuseRecord, sendToRecord } from './record-messages.js';
import { checkRequestTimes, phoneOrProblem } from './request-checks.js';
import { instant, validate } from './validate.js';

const name = z.string().trim().min(1).max(100);
export const agentId = z.string().trim().min(1).max(100).regex(/^[\w.@:-]+$/, 'letters, digits and . _ @ : - only');
export const queueName = z.string().min(1).max(64).regex(/^[A-Za-z0-9][\w.-]*$/, 'letters, digits and . _ - only');

export const createCallback = z.strictObject({
  phone: z.string().min(3).max(32),
  queue: queueName,
  channel: z.enum(CHANNELS),
  createdBy: name.optional(),
  requestedAt: instant.optional(),
  validUntil: instant.optional(),
  priority: z.int().min(1).max(9).default(5),
  taskType: name.optional(),
  customerId: name.optional(),
  ani: z.string().min(3).max(32).optional(),
  comment: z.string().max(2000).optional(),
  language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a language tag such as sv or en-GB').optional(),
  contactData: z
    .record(z.string().min(1).max(64), z.string().max(1000))
    .refine((d) => Object.keys(d).length <= 50, 'at most 50 keys')
    .default({}),
  /** A callback for one agent's personal waiting list (until the queue's offer timeout). */
  waitingListOf: agentId.optional(),
});

const idParam = z.object({ id: z.uuid() });

const listQuery = recordCriteria.extend({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

const acceptBody = z.strictObject({ agentId });
const refuseBody = z.strictObject({ agentId, reason: z.string().trim().min(1).max(500) });

const feedbackBody = z
  .strictObject({
    agentId,
    /** `agent-client-terminated` comes from the desktop platform when the agent's client died mid-call. */
    outcome: z.enum([...FEEDBACK_OUTCOMES, 'agent-client-terminated']),
    requestedAt: instant.optional(),
    toOwnWaitingList: z.boolean().optional(),
    comment: z.string().max(2000).optional(),
  })
  .refine((f) => f.outcome !== 'reestablish-later' || f.requestedAt, {
    message: 'reestablish-later needs the new time',
    path: ['requestedAt'],
  })
  .refine((f) => !f.toOwnWaitingList || f.outcome === 'reestablish-later', {
    message: 'only reestablish-later goes to a waiting list',
    path: ['toOwnWaitingList'],
  });

/** The export's columns: what administrators work with, not the internals. */
const EXPORT_COLUMNS = [
  'id', 'status', 'stage', 'closeReason', 'phone', 'queue', 'orgArea', 'taskType', 'channel', 'createdBy',
  'createdAt', 'requestedAt', 'dueAt', 'validUntil', 'priority', 'attempts', 'latestOutcome', 'latestAgent',
  'latestCallAt', 'waitingListOf', 'customerId', 'ani', 'language', 'comment', 'closedAt',
] as const satisfies readonly (keyof CallbackRecord)[];
const EXPORT_PAGE = 500;

const encodeCursor = (r: CallbackRecord) => Buffer.from(JSON.stringify([r.createdAt, r.id])).toString('base64url');

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const [createdAt, id] = z
      .tuple([instant, z.uuid()])
      .parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return { createdAt, id };
  } catch {
    throw problem(400, 'validation-error', 'invalid query', { errors: [{ path: 'cursor', message: 'not a cursor this API gave' }] });
  }
}

export function callbacksRouter(deps: ApiDeps) {
  const { sql, temporal, defaultCountry } = deps;
  return new Hono()
    .post('/', validate('json', createCallback), async (c) => {
      const body = c.req.valid('json');
      checkRequestTimes(body);
      const now = new Date();
      const requestedAt = body.requestedAt ? new Date(body.requestedAt) : null;
      const validUntil = body.validUntil ? new Date(body.validUntil) : null;

      const key = c.req.header('idempotency-key');
      if (key !== undefined && !/^[\x21-\x7e]{1,200}$/.test(key)) {
        throw problem(400, 'validation-error', 'invalid Idempotency-Key header', {
          errors: [{ path: 'Idempotency-Key', message: '1 to 200 printable characters' }],
        });
      }
      const { status, body: answer } = await admit(
        deps,
        {
          id: randomUUID(),
          phone: phoneOrProblem(body.phone, defaultCountry, 'phone'),
          queue: body.queue,
          channel: body.channel,
          createdBy: body.createdBy ?? body.channel,
          taskType: body.taskType ?? null,
          requestedAt: requestedAt?.toISOString() ?? null,
          validUntil: validUntil?.toISOString() ?? null,
          priority: body.priority,
          customerId: body.customerId ?? null,
          ani: body.ani ? phoneOrProblem(body.ani, defaultCountry, 'ani') : null,
          comment: body.comment ?? null,
          language: body.language ?? null,
          contactData: body.contactData,
          createdAt: now.toISOString(),
          waitingListOf: body.waitingListOf ?? null,
        },
        key === undefined ? undefined : { key, hash: requestHash(body) },
      );
      c.header('location', `/v1/callbacks/${(answer as { id: string }).id}`);
      return c.json(answer, status as 200 | 201);
    })

    .get('/', validate('query', listQuery), async (c) => {
      const actor = actorOf(c);
      const { limit, cursor, ...filter } = c.req.valid('query');
      const criteria = toCriteria(filter, defaultCountry);
      const items = await listRecords(sql, { ...criteria, limit, after: cursor ? decodeCursor(cursor) : undefined });
      await writeAudit(sql, { actor, action: 'search', filter: criteria, detail: { found: items.length, page: cursor ?? null }, result: 'ok' });
      const last = items.at(-1);
      return c.json({ items, nextCursor: items.length === limit && last ? encodeCursor(last) : null });
    })

    // Every matching record, streamed page by page, for a spreadsheet (UTF-8 with a byte-order mark for Excel).
    .get('/export.csv', validate('query', recordCriteria), async (c) => {
      const actor = actorOf(c);
      const criteria = toCriteria(c.req.valid('query'), defaultCountry);
      await writeAudit(sql, { actor, action: 'export', filter: criteria, result: 'ok' });
      const encoder = new TextEncoder();
      let after: { createdAt: string; id: string } | undefined;
      let started = false;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (!started) {
            started = true;
            controller.enqueue(encoder.encode(`\uFEFF${csvLine(EXPORT_COLUMNS)}`));
          }
          const page = await listRecords(sql, { ...criteria, limit: EXPORT_PAGE, after });
          controller.enqueue(encoder.encode(page.map((r) => csvLine(EXPORT_COLUMNS.map((k) => r[k]))).join('')));
          const last = page.at(-1);
          if (page.length < EXPORT_PAGE || !last) controller.close();
          else after = { createdAt: last.createdAt, id: last.id };
        },
      });
      return c.body(body, 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="callbacks-${new Date().toISOString().slice(0, 10)}.csv"`,
      });
    })

    .get('/:id', validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param');
      const record = await findRecord(sql, id);
      if (!record) throw problem(404, 'not-found', 'no callback record with this id');
      return c.json({ ...record, history: await findHistory(sql, id) });
    })

    .post('/:id/accept', validate('param', idParam), validate('json', acceptBody), async (c) => {
      const { id } = c.req.valid('param');
      return c.json(await acceptRecord(deps, id, c.req.valid('json').agentId));
    })

    .post('/:id/refuse', validate('param', idParam), validate('json', refuseBody), async (c) => {
      const { id } = c.req.valid('param');
      return c.json(await refuseRecord(deps, id, c.req.valid('json')));
    })

    .post('/:id/feedback', validate('param', idParam), validate('json', feedbackBody), async (c) => {
      const { id } = c.req.valid('param');
      const { agentId: agent, outcome, requestedAt, toOwnWaitingList, comment } = c.req.valid('json');
      checkRequestTimes({ requestedAt });
      const handle = temporal.workflow.getHandle(callbackWorkflowId(id));
      const input = { agentId: agent, outcome, requestedAt: requestedAt && new Date(requestedAt).toISOString(), toOwnWaitingList, comment };
      return c.json(await sendToRecord(deps, id, () => handle.executeUpdate(feedbackUpdate, { args: [input] })));
    });
}
