// /v1/queues: queue configuration and holidays, and what agents take from a queue.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { findOrgArea, findQueue, getParameters, insertQueue, listQueues, updateQueue, type Queue } from '../db/configuration.js';
import { claimIdempotencyKey, storeIdempotentResponse, type StoredResponse } from '../db/admission.js';
import { openInQueue } from '../db/schedules.js';
import { deleteHoliday, listHolidays, putHoliday } from '../db/holidays.js';
import { holidayDate, holidayDay } from '../domain/holidays.js';
import { timingOf } from '../domain/record-timing.js';
import { DEFAULT_WRAP_UP_TIMEOUT_SECONDS, openingHours, timeZone } from '../domain/queue-config.js';
import { resizeGate } from '../workflows/queue-gate-client.js';
import { auditedChange } from './audited.js';
import { AUDITED, route, ROLE_SETS } from './access.js';
import { actorOf } from './actor.js';
import type { ApiDeps } from './deps.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { problem } from './problem.js';
import { requestHash } from '../services/admission.js';
import { idempotencyKeyOf, send } from './idempotency.js';
import { takeNext } from '../services/agent-holds.js';
import { queueStatusNow, WAIT_MIN_SAMPLE, WAIT_WINDOW_MINUTES } from '../services/queue-status.js';
import type { CallbackRecord } from '../domain/record.js';
import { holidayList, nextRecordAnswer, queueCallbacks, queueConfig, queueHoliday, queueList, queueStatus } from './queues.schemas.js';
import { agentId, areaId, instant, queryInt, queueName } from './schemas.js';
import { validate } from './validate.js';
import { actingAgent, onBehalf } from './acting.js';

const queueFields = {
  orgArea: areaId.describe('The organisation area the queue belongs to: its limits and duplicate policy apply'),
  timeZone: timeZone.describe('The IANA time zone its opening hours are in, e.g. Europe/Stockholm'),
  openingHours: openingHours.describe('Weekly opening hours: per weekday, periods from HH:MM to HH:MM (24:00 ends a day)'),
  maxActiveRecords: z.int().min(0).max(10_000_000).nullable().describe('At most this many active records in the queue; null: no limit'),
  offerTimeoutSeconds: z
    .int()
    .min(1)
    .max(86_400)
    .nullable()
    .describe(
      "How long a record waits on an agent's personal list before the whole queue gets it; null: the offerTimeoutSeconds parameter",
    ),
  gateSize: z
    .int()
    .min(1)
    .max(10_000)
    .nullable()
    .describe('How many records may be offered or in a call at once; null: the callbackBufferMax parameter'),
  acceptsCallbacks: z.boolean().describe('Whether the queue takes new callbacks'),
  wrapUpTimeoutSeconds: z
    .int()
    .min(1)
    .max(86_400)
    .describe(
      'How long after the customer answers the agent has to give feedback (default 1800: the dialler does not report the end of the talk, so the call counts too); then the record counts as agent-client-terminated and leaves the agent',
    ),
};

/** A queue as POST /v1/queues takes it (the CSV import reads its rows with it too). */
export const createQueue = z.strictObject({
  name: queueName.describe("The queue's name, as the routing platform knows it"),
  orgArea: queueFields.orgArea.default('default'),
  timeZone: queueFields.timeZone,
  openingHours: queueFields.openingHours,
  maxActiveRecords: queueFields.maxActiveRecords.default(null),
  offerTimeoutSeconds: queueFields.offerTimeoutSeconds.default(null),
  gateSize: queueFields.gateSize.default(null),
  acceptsCallbacks: queueFields.acceptsCallbacks.default(true),
  wrapUpTimeoutSeconds: queueFields.wrapUpTimeoutSeconds.default(DEFAULT_WRAP_UP_TIMEOUT_SECONDS),
});
const changeQueue = z.strictObject(queueFields).partial();
const nameParam = z.object({ queue: queueName.describe("The queue's name") });
const holidayParam = z.object({ queue: nameParam.shape.queue, date: holidayDate });
const holidayQuery = z
  .strictObject({
    from: holidayDate.optional().describe('The first date listed (inclusive); all when left out'),
    to: holidayDate.optional().describe('The last date listed (inclusive); all when left out'),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, { message: 'from must not be after to', path: ['to'] });

const routes = {
  list: route({
    summary: 'List queues',
    roles: ROLE_SETS.workAndOversight,
    responses: { 200: { description: 'Every queue, by name', schema: queueList } },
  }),
  create: route({
    summary: 'Create a queue',
    roles: ROLE_SETS.admin,
    responses: { 201: { description: 'The queue as created', schema: queueConfig } },
    problems: ['unknown-org-area', 'already-exists'],
  }),
  read: route({
    summary: 'Read a queue',
    roles: ROLE_SETS.workAndOversight,
    responses: { 200: { description: 'The queue', schema: queueConfig } },
    problems: ['not-found'],
  }),
  status: route({
    summary: "A queue's status for the IVR and the web page",
    description:
      "Open now (in the queue's time zone, its holidays counted) and when it opens next, today's opening hours, records by stage, the expected wait for an ASAP callback " +
      `(the median time from due to accepted of the callbacks accepted in the last ${WAIT_WINDOW_MINUTES} minutes; null with fewer than ${WAIT_MIN_SAMPLE}), ` +
      'and whether a callback may be offered now, with the reasons when not.',
    roles: ROLE_SETS.public,
    responses: { 200: { description: 'The queue now', schema: queueStatus } },
    problems: ['not-found'],
  }),
  change: route({
    summary: 'Change a queue',
    description: 'Only the fields given change. A new gate size applies to the running gate at once.',
    roles: ROLE_SETS.admin,
    responses: { 200: { description: 'The queue as changed', schema: queueConfig } },
    problems: ['not-found', 'unknown-org-area'],
  }),
  holidays: route({
    summary: "List a queue's holidays",
    description: 'Dates the queue is closed, or open other hours than its weekday says, in date order.',
    roles: ROLE_SETS.workAndOversight,
    responses: { 200: { description: 'The holidays', schema: holidayList } },
    problems: ['not-found'],
  }),
  putHoliday: route({
    summary: 'Set a holiday',
    description:
      "Closed all day (`closed: true`) or open these periods instead of the weekday's (`periods`), with an optional name. " +
      'Records due while the queue is closed wait, in their place in line, until it opens (appointments excepted: their schedule decides).',
    roles: ROLE_SETS.admin,
    responses: { 200: { description: 'The holiday as stored', schema: queueHoliday } },
    problems: ['not-found'],
    headers: AUDITED,
  }),
  deleteHoliday: route({
    summary: 'Remove a holiday',
    roles: ROLE_SETS.admin,
    responses: { 204: { description: 'Removed: the date follows its weekday again' } },
    problems: ['not-found'],
    headers: AUDITED,
  }),
  next: route({
    summary: 'Take the next offered record of a queue',
    description:
      "The agent accepts the first record offered in the queue: its own waiting list first (or the queue's order, by the " +
      'waitingListFirst parameter), never one it refused. Safe to retry: an agent who holds a record of this queue gets it ' +
      'back, and a retry with the same Idempotency-Key gets the first answer. An agent who holds a record of another queue ' +
      "of the queue's organisation area is refused.",
    roles: ROLE_SETS.agentWork,
    responses: {
      200: { description: 'The record, now accepted by the agent (or the one they hold already)', schema: nextRecordAnswer },
      204: { description: 'No record is offered in this queue now' },
    },
    problems: ['acting-as-another-agent', 'not-an-agent', 'not-found', 'agent-busy', 'idempotency-key-reused'],
    headers: [
      {
        name: 'Idempotency-Key',
        description: 'A retried request with the same key and body gets the first answer (kept 24 hours, per API key)',
      },
    ],
  }),
  callbacks: route({
    summary: "The agents' list of a queue's records",
    description:
      'Records not closed, by calling time, appointments before they are due included, each with its timing: upcoming (before ' +
      'its time), due, or overdue (no agent has it and its slot has ended, or 30 minutes past its time for a record without a slot).',
    roles: ROLE_SETS.workAndOversight,
    responses: { 200: { description: 'A page of records with their timing', schema: queueCallbacks } },
    problems: ['not-found'],
  }),
};

const listQuery = z.strictObject({
  limit: queryInt(1, 500).default(100).describe('Records a page'),
  cursor: z.string().max(200).optional().describe("The previous page's nextCursor"),
});
const cursorKey = z.tuple([instant, z.uuid()]);
const afterRecord = ([dueAt, id]: [string, string]) => ({ dueAt, id });

export function queuesRouter(deps: ApiDeps) {
  const { sql, temporal, taskQueue } = deps;

  async function requireQueue(name: string) {
    const queue = await findQueue(sql, name);
    if (!queue) throw problem('not-found', 'no queue with this name');
    return queue;
  }

  async function requireArea(id: string) {
    if (!(await findOrgArea(sql, id))) {
      throw problem('unknown-org-area', `no organisation area ${id}`, {
        errors: [{ path: 'orgArea', message: 'unknown organisation area' }],
      });
    }
  }

  return (
    new Hono()
      .get('/', routes.list, async (c) => c.json({ items: await listQueues(sql) }))

      .post('/', routes.create, validate('json', createQueue), async (c) => {
        const actor = actorOf(c);
        const queue: Queue = c.req.valid('json');
        await requireArea(queue.orgArea);
        await auditedChange(
          sql,
          async (tx) => {
            if (!(await insertQueue(tx, queue))) throw problem('already-exists', `queue ${queue.name} exists`);
          },
          () => ({ actor, action: 'queue-create', detail: { queue } }),
        );
        c.header('location', `/v1/queues/${queue.name}`);
        return c.json(queue, 201);
      })

      .get('/:queue', routes.read, validate('param', nameParam), async (c) => {
        const queue = await findQueue(sql, c.req.valid('param').queue);
        if (!queue) throw problem('not-found', 'no queue with this name');
        return c.json(queue);
      })

      // For the IVR and the web page: may we offer a callback now, and what will the customer meet.
      .get('/:queue/status', routes.status, validate('param', nameParam), async (c) =>
        c.json(await queueStatusNow(deps, c.req.valid('param').queue)),
      )

      .get('/:queue/holidays', routes.holidays, validate('param', nameParam), validate('query', holidayQuery), async (c) => {
        const queue = await requireQueue(c.req.valid('param').queue);
        return c.json({ queue: queue.name, timeZone: queue.timeZone, items: await listHolidays(sql, queue.name, c.req.valid('query')) });
      })

      .put('/:queue/holidays/:date', routes.putHoliday, validate('param', holidayParam), validate('json', holidayDay), async (c) => {
        const actor = actorOf(c);
        const { queue, date } = c.req.valid('param');
        await requireQueue(queue);
        const holiday = { date, ...c.req.valid('json') };
        await auditedChange(
          sql,
          (tx) => putHoliday(tx, queue, holiday),
          () => ({ actor, action: 'queue-holiday-put', detail: { queue, holiday } }),
        );
        return c.json(holiday);
      })

      .delete('/:queue/holidays/:date', routes.deleteHoliday, validate('param', holidayParam), async (c) => {
        const actor = actorOf(c);
        const { queue, date } = c.req.valid('param');
        await requireQueue(queue);
        await auditedChange(
          sql,
          async (tx) => {
            if (!(await deleteHoliday(tx, queue, date))) throw problem('not-found', 'no holiday on this date');
          },
          () => ({ actor, action: 'queue-holiday-delete', detail: { queue, date } }),
        );
        return c.body(null, 204);
      })

      // The agents' list: the queue's records that are not closed, by calling time, appointments
      // before they are due included, each with its timing (domain/record-timing.ts).
      .get('/:queue/callbacks', routes.callbacks, validate('param', nameParam), validate('query', listQuery), async (c) => {
        const queue = await findQueue(sql, c.req.valid('param').queue);
        if (!queue) throw problem('not-found', 'no queue with this name');
        const { limit, cursor } = c.req.valid('query');
        const rows = await openInQueue(sql, queue.name, {
          limit,
          after: cursor ? afterRecord(decodeCursor(cursor, cursorKey)) : undefined,
        });
        const now = new Date();
        const items = rows.map(({ record, booking }) => ({
          ...record,
          timing: timingOf(record, booking?.slotEnd ?? null, now),
          booking: booking && { scheduleId: booking.scheduleId, slotStart: booking.slotStart, slotEnd: booking.slotEnd },
        }));
        const last = items.at(-1);
        return c.json({
          queue: queue.name,
          at: now.toISOString(),
          items,
          nextCursor: items.length === limit && last ? encodeCursor(last.dueAt, last.id) : null,
        });
      })

      .patch('/:queue', routes.change, validate('param', nameParam), validate('json', changeQueue), async (c) => {
        const actor = actorOf(c);
        const queue = await findQueue(sql, c.req.valid('param').queue);
        if (!queue) throw problem('not-found', 'no queue with this name');
        const next = { ...queue, ...c.req.valid('json') };
        if (next.orgArea !== queue.orgArea) await requireArea(next.orgArea);
        await auditedChange(
          sql,
          (tx) => updateQueue(tx, next),
          () => ({ actor, action: 'queue-change', detail: { queue: next.name, changes: c.req.valid('json') } }),
        );
        if (next.gateSize !== queue.gateSize) {
          const size = next.gateSize ?? (await getParameters(sql)).callbackBufferMax;
          await resizeGate(temporal, taskQueue, next.name, size);
        }
        return c.json(next);
      })

      .post(
        '/:queue/next',
        routes.next,
        validate('param', nameParam),
        validate(
          'json',
          z.strictObject({
            agentId: agentId
              .optional()
              .describe(
                'The agent who takes the record: a signed-in agent or a personal token takes it for itself (another is a 403); an integration or admin key names the agent',
              ),
          }),
        ),
        async (c) => {
          const { queue } = c.req.valid('param');
          const acting = actingAgent(c, c.req.valid('json').agentId);
          const agent = acting.agentId;
          // A typo in the queue's name must not look like an empty queue.
          const config = await findQueue(sql, queue);
          if (!config) throw problem('not-found', 'no queue with this name');
          const key = idempotencyKeyOf(c);
          const take = () => onBehalf(sql, acting, 'next', null, () => takeNext(deps, config, agent, acting.via));
          if (key !== undefined) return answeredOnce(c, key, requestHash({ next: queue, agentId: agent }), take);
          const record = await take();
          return record ? c.json(record) : c.body(null, 204);
        },
      )
  );

  /**
   * A retry with the same Idempotency-Key gets the first answer's bytes, even after that record has
   * closed. The key is claimed and answered in two short transactions, never held across the accept
   * (which waits for the record's workflow); a retry that arrives while the first is still under
   * way takes its turn after it and gets the record the agent then holds.
   */
  async function answeredOnce(c: Context, key: string, hash: string, take: () => Promise<CallbackRecord | null>): Promise<Response> {
    const prior = await sql.begin((tx) => claimIdempotencyKey(tx, key, hash));
    if (prior && 'conflict' in prior) throw problem('idempotency-key-reused', 'this Idempotency-Key was used for a different request');
    if (prior && prior.status !== UNANSWERED) {
      // Kept before answers were kept as bytes: the record as JSON.
      if ('admission' in prior) return prior.status === 204 ? c.body(null, 204) : c.json(prior.admission as CallbackRecord);
      return prior.status === 204 ? c.body(null, 204) : send(c, prior);
    }
    const record = await take();
    const response: StoredResponse = record
      ? { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(record) }
      : { status: 204, headers: {}, body: '' };
    await sql.begin((tx) => storeIdempotentResponse(tx, key, record?.id ?? '', response));
    return record ? send(c, response) : c.body(null, 204);
  }
}

/** The status a claimed Idempotency-Key has until its answer is stored. */
const UNANSWERED = 0;
