// /v1/callbacks: request a callback, search, count and export records, and the agent's accept, refusal
// and feedback. The administrator's actions on records are in record-admin.ts.
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import { writeAudit } from '../db/audit.js';
import {
  countRecords,
  findHistory,
  findRecord,
  listRecords,
  RECORD_SORTS,
  sortKeyOf,
  type RecordSort,
  type SortKey,
} from '../db/records.js';
import { FEEDBACK_OUTCOMES, newRequest, type CallbackRecord } from '../domain/record.js';
import { AUDITED, route, ROLE_SETS } from './access.js';
import { actorOf } from './actor.js';
import { admitAndRespond, requestHash } from '../services/admission.js';
import { idempotencyKeyOf, send } from './idempotency.js';
import { csvLine } from './csv.js';
import type { ApiDeps } from './deps.js';
import { callbackRecordView, createdRecord, recordCount, recordPage, recordWithHistory, webCreated } from './callbacks.schemas.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { problem } from './problem.js';
import { recordCriteria, toCriteria } from './record-filter.js';
import { publicView } from './self-service.js';
import { feedbackRecord, refuseRecord } from '../services/record-messages.js';
import { acceptForAgent } from '../services/agent-holds.js';
import { rememberAgentDevice } from '../db/telephony.js';
import { agentDeviceField } from './telephony.js';
import { checkRequestTimes, phoneOrProblem, refuseWhatTheWebMayNotSet } from './request-checks.js';
import { agentId, createCallback, instant, queryInt } from './schemas.js';
import { validate } from './validate.js';
import { actingAgent, onBehalf } from './acting.js';

const idParam = z.object({ id: z.uuid().describe("The record's id") });

const listQuery = recordCriteria.extend({
  limit: queryInt(1, 200).default(50).describe('Records a page'),
  cursor: z.string().max(200).optional().describe("The previous page's nextCursor, with the same criteria and sort"),
  sort: z
    .enum(RECORD_SORTS)
    .default('-createdAt')
    .describe(
      'The order: by `createdAt` (the default `-createdAt`: newest first), `dueAt` or `priority` (1, the most urgent, first; within one priority the oldest first); a leading `-` reverses it',
    ),
});

const theAgent = agentId
  .optional()
  .describe(
    'The agent: a signed-in agent or a personal token acts as its own agent (another is a 403); an integration or admin key names the agent it acts for',
  );
const acceptBody = z.strictObject({
  agentId: theAgent,
  agentDevice: agentDeviceField
    .optional()
    .describe(
      "The device to call the agent on (E.164, client:<identity> or sip:<address>): remembered for the agent and called first on this record's dial and the agent's next ones (until an agent directory names one).",
    ),
});
const refuseBody = z.strictObject({
  agentId: theAgent,
  reason: z.string().trim().min(1).max(500).describe("Why, for the record's history"),
});

const feedbackBody = z
  .strictObject({
    agentId: theAgent,
    outcome: z
      .enum([...FEEDBACK_OUTCOMES, 'agent-client-terminated'])
      .describe("What came of the call; agent-client-terminated comes from the desktop platform when the agent's client died mid-call"),
    requestedAt: instant.optional().describe('For reestablish-later: when to call again'),
    toOwnWaitingList: z.boolean().optional().describe("For reestablish-later: the new call goes to this agent's own waiting list"),
    comment: z.string().max(2000).optional().describe("The agent's note, kept in the history"),
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
  'id',
  'status',
  'stage',
  'closeReason',
  'phone',
  'queue',
  'orgArea',
  'taskType',
  'channel',
  'createdBy',
  'createdAt',
  'requestedAt',
  'dueAt',
  'validUntil',
  'priority',
  'attempts',
  'latestOutcome',
  'latestAgent',
  'latestCallAt',
  'waitingListOf',
  'customerId',
  'ani',
  'language',
  'comment',
  'closedAt',
] as const satisfies readonly (keyof CallbackRecord)[];
const EXPORT_PAGE = 500;
/** The count stops here: beyond it, how many exactly matters to nobody deciding on a bulk action (at most BULK_MAX). */
const COUNT_MAX = 100_000;

/**
 * A page's cursor carries its order and the last record's sort key, so that a cursor given with
 * another sort is refused rather than read as a position in the wrong order. Newest first (the
 * default) keeps the cursor it always had: [createdAt, id].
 */
const newestFirstCursor = z.tuple([instant, z.uuid()]);
const sortedCursor = z.tuple([z.enum(RECORD_SORTS), instant, z.uuid()], z.string().regex(/^[1-9]$/));

function cursorOf(key: SortKey, sort: RecordSort): string {
  if (sort === '-createdAt') return encodeCursor(key.at, key.id);
  return encodeCursor(sort, key.at, key.id, ...(key.priority === undefined ? [] : [String(key.priority)]));
}

function positionOf(cursor: string, sort: RecordSort): SortKey {
  if (sort === '-createdAt') {
    const [at, id] = decodeCursor(cursor, newestFirstCursor);
    return { at, id };
  }
  const [given, at, id, priority, ...more] = decodeCursor(cursor, sortedCursor);
  const byPriority = sort.endsWith('priority');
  if (given !== sort || (priority === undefined) === byPriority || more.length > 0) {
    throw problem('validation-error', 'invalid query', { errors: [{ path: 'cursor', message: `not a cursor of the sort ${sort}` }] });
  }
  return priority === undefined ? { at, id } : { priority: Number(priority), at, id };
}

const routes = {
  create: route({
    summary: 'Request a callback',
    description:
      'ASAP or at `requestedAt`. Admission decides in one transaction: service enabled, queue known and taking callbacks, the ' +
      "area's duplicate policy (an active record of the same number is answered with 200 and `duplicate: true`), and the limits. " +
      'A key with the web role may only request for the web channel, without priority or waiting list, and gets a public view ' +
      'of the record with the `selfServiceToken` that cancels or moves it (none for a duplicate).',
    roles: ROLE_SETS.public,
    responses: {
      201: {
        description: 'The new record (a web key gets its public view and self-service token)',
        schema: z.union([createdRecord, webCreated]),
      },
      200: { description: 'The active record the customer had already (duplicate: true)', schema: z.union([createdRecord, webCreated]) },
    },
    problems: ['unknown-queue', 'callback-service-disabled', 'queue-not-accepting-callbacks', 'limit-reached', 'idempotency-key-reused'],
    headers: [
      {
        name: 'Idempotency-Key',
        description: 'A retried request with the same key and body gets the first answer (kept 24 hours, per API key)',
      },
    ],
  }),
  search: route({
    summary: 'Search records',
    description:
      'Newest first unless `sort` says otherwise, a page at a time (`nextCursor`, given back with the same criteria and sort). ' +
      'Every search is written to the audit log.',
    roles: ROLE_SETS.workAndOversight,
    responses: { 200: { description: 'A page of records', schema: recordPage } },
    headers: AUDITED,
  }),
  count: route({
    summary: 'Count matching records',
    description:
      'How many records the criteria find (the same criteria as the search): what a bulk action with this filter would touch, ' +
      `for a preview before it is confirmed. Counts up to ${COUNT_MAX.toLocaleString('en')} (\`more: true\` when there are more), so that ` +
      'it stays cheap on a large table; audited like a search.',
    roles: ROLE_SETS.oversight,
    responses: { 200: { description: 'The number of matching records', schema: recordCount } },
    headers: AUDITED,
  }),
  export: route({
    summary: 'Export matching records as CSV',
    description: 'UTF-8 with a byte-order mark (for spreadsheets), streamed; audited.',
    roles: ROLE_SETS.oversight,
    responses: { 200: { description: 'The records, one line each', contentType: 'text/csv' } },
    headers: AUDITED,
  }),
  read: route({
    summary: 'Read a record with its history',
    roles: ROLE_SETS.workAndOversight,
    responses: { 200: { description: 'The record and every event of its history', schema: recordWithHistory } },
    problems: ['not-found'],
  }),
  accept: route({
    summary: 'An agent accepts an offered record',
    description: 'Exactly one agent wins a record; accepting again by the same agent is harmless.',
    roles: ROLE_SETS.agentWork,
    responses: { 200: { description: 'The record, accepted: it is dialled next', schema: callbackRecordView } },
    problems: [
      'acting-as-another-agent',
      'not-an-agent',
      'not-found',
      'not-offered',
      'taken-by-another-agent',
      'offered-to-another-agent',
      'already-refused',
      'agent-busy',
      'record-closed',
      'not-supported-for-this-record',
      'invalid-text',
    ],
  }),
  refuse: route({
    summary: 'An agent refuses an offered record',
    description: 'The record follows the treatment of `refused`; by default it stays offered, never again to this agent.',
    roles: ROLE_SETS.agentWork,
    responses: { 200: { description: 'The record after the refusal', schema: callbackRecordView } },
    problems: [
      'acting-as-another-agent',
      'not-an-agent',
      'not-found',
      'not-offered',
      'offered-to-another-agent',
      'already-refused',
      'record-closed',
      'not-supported-for-this-record',
      'invalid-text',
    ],
  }),
  feedback: route({
    summary: "The agent's feedback after a call",
    description:
      'completed, reestablish-later (with the new time), customer-not-reached, or agent-client-terminated from the desktop ' +
      'platform; the treatment decides what follows.',
    roles: ROLE_SETS.agentWork,
    responses: { 200: { description: 'The record after the decision', schema: callbackRecordView } },
    problems: [
      'acting-as-another-agent',
      'not-an-agent',
      'not-found',
      'agent-not-on-call',
      'invalid-time',
      'record-closed',
      'not-supported-for-this-record',
      'invalid-text',
    ],
  }),
};

export function callbacksRouter(deps: ApiDeps) {
  const { sql, defaultCountry } = deps;
  return (
    new Hono()
      .post('/', routes.create, validate('json', createCallback), async (c) => {
        const body = c.req.valid('json');
        const { role } = c.get('caller');
        if (role === 'web') refuseWhatTheWebMayNotSet(await c.req.json());
        checkRequestTimes(body);
        const key = idempotencyKeyOf(c);
        const response = await admitAndRespond(
          deps,
          newRequest({
            ...body,
            id: randomUUID(),
            phone: phoneOrProblem(body.phone, defaultCountry, 'phone'),
            createdBy: body.createdBy ?? body.channel,
            requestedAt: body.requestedAt && new Date(body.requestedAt).toISOString(),
            validUntil: body.validUntil && new Date(body.validUntil).toISOString(),
            ani: body.ani && phoneOrProblem(body.ani, defaultCountry, 'ani'),
            createdAt: new Date().toISOString(),
          }),
          async ({ kind, record: admitted }) => {
            const record = { ...admitted, duplicate: kind === 'duplicate' };
            const status = kind === 'created' ? 201 : 200;
            if (role === 'web') return c.json(await webAnswer(deps, record), status);
            return c.json(record, status, { location: `/v1/callbacks/${record.id}` });
          },
          { idempotency: key === undefined ? undefined : { key, hash: requestHash(body) } },
        );
        return send(c, response);
      })

      .get('/', routes.search, validate('query', listQuery), async (c) => {
        const actor = actorOf(c);
        const { limit, cursor, sort, ...filter } = c.req.valid('query');
        const criteria = toCriteria(filter, defaultCountry);
        const items = await listRecords(sql, { ...criteria, limit, sort, after: cursor ? positionOf(cursor, sort) : undefined });
        await writeAudit(sql, {
          actor,
          action: 'search',
          filter: criteria,
          detail: { found: items.length, page: cursor ?? null, sort },
          result: 'ok',
        });
        const last = items.at(-1);
        return c.json({ items, nextCursor: items.length === limit && last ? cursorOf(sortKeyOf(last, sort), sort) : null });
      })

      .get('/count', routes.count, validate('query', recordCriteria), async (c) => {
        const criteria = toCriteria(c.req.valid('query'), defaultCountry);
        const found = await countRecords(sql, criteria, COUNT_MAX + 1);
        const answer = { count: Math.min(found, COUNT_MAX), more: found > COUNT_MAX };
        await writeAudit(sql, { actor: actorOf(c), action: 'count', filter: criteria, detail: answer, result: 'ok' });
        return c.json(answer);
      })

      // Every matching record, streamed page by page, for a spreadsheet (UTF-8 with a byte-order mark for Excel).
      .get('/export.csv', routes.export, validate('query', recordCriteria), async (c) => {
        const actor = actorOf(c);
        const criteria = toCriteria(c.req.valid('query'), defaultCountry);
        await writeAudit(sql, { actor, action: 'export', filter: criteria, result: 'ok' });
        const encoder = new TextEncoder();
        let after: SortKey | undefined;
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
            else after = sortKeyOf(last, '-createdAt');
          },
        });
        return c.body(body, 200, {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="callbacks-${new Date().toISOString().slice(0, 10)}.csv"`,
        });
      })

      .get('/:id', routes.read, validate('param', idParam), async (c) => {
        const { id } = c.req.valid('param');
        const record = await findRecord(sql, id);
        if (!record) throw problem('not-found', 'no callback record with this id');
        return c.json({ ...record, history: await findHistory(sql, id) });
      })

      .post('/:id/accept', routes.accept, validate('param', idParam), validate('json', acceptBody), async (c) => {
        const { id } = c.req.valid('param');
        const { agentId, agentDevice } = c.req.valid('json');
        const acting = actingAgent(c, agentId);
        if (agentDevice) await rememberAgentDevice(deps.sql, acting.agentId, agentDevice);
        return c.json(await onBehalf(sql, acting, 'accept', id, () => acceptForAgent(deps, id, acting.agentId, acting.via)));
      })

      .post('/:id/refuse', routes.refuse, validate('param', idParam), validate('json', refuseBody), async (c) => {
        const { id } = c.req.valid('param');
        const { agentId: named, reason } = c.req.valid('json');
        const acting = actingAgent(c, named);
        return c.json(await onBehalf(sql, acting, 'refuse', id, () => refuseRecord(deps, id, { ...acting, reason })));
      })

      .post('/:id/feedback', routes.feedback, validate('param', idParam), validate('json', feedbackBody), async (c) => {
        const { id } = c.req.valid('param');
        const { agentId: named, outcome, requestedAt, toOwnWaitingList, comment } = c.req.valid('json');
        const acting = actingAgent(c, named);
        checkRequestTimes({ requestedAt });
        const input = {
          ...acting,
          outcome,
          requestedAt: requestedAt && new Date(requestedAt).toISOString(),
          toOwnWaitingList,
          comment,
        };
        return c.json(await onBehalf(sql, acting, 'feedback', id, () => feedbackRecord(deps, id, input)));
      })
  );
}

/** The customer sees their own callback, not the centre's internals; a duplicate gives away no record. */
async function webAnswer({ tokens }: ApiDeps, record: CallbackRecord & { duplicate: boolean }) {
  if (record.duplicate) return { duplicate: true };
  return { ...publicView(record), duplicate: false, selfServiceToken: await tokens.sign(record.id, record.validUntil) };
}
