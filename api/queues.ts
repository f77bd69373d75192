// /v1/queues: queue configuration, and what agents take from a queue.
import { Hono } from 'hono';
import { z } from 'zod';
import { findOrgArea, findQueue, getParameters, insertQueue, listQueues, updateQueue, type Queue } from '../db/configuration.js';
import { countActive } from '../db/admission.js';
import { queueLoad, recentWaits } from '../db/queue-status.js';
import { offeredInQueue } from '../db/records.js';
import { openInQueue } from '../db/schedules.js';
import { timingOf } from '../domain/record-timing.js';
import { openingAt } from '../domain/opening-hours.js';
import { openingHours, timeZone } from '../domain/queue-config.js';
import { resizeGate } from '../activities/gate.js';
import { agentId, queueName } from './callbacks.js';
import { writeAudit } from '../db/audit.js';
import { actorOf } from './actor.js';
import type { ApiDeps } from './deps.js';
import { areaId } from './org-areas.js';
import { problem, ProblemError } from './problem.js';
import { acceptRecord } from './record-messages.js';
import { instant, validate } from './validate.js';

/** Candidates tried per request: enough to get past records other agents win meanwhile. */
const CANDIDATES = 20;

/** The expected wait is the median of the acceptances in this window, when there are enough of them. */
const WAIT_WINDOW_MINUTES = 60;
const WAIT_MIN_SAMPLE = 3;

const queueFields = {
  orgArea: areaId,
  timeZone,
  openingHours,
  maxActiveRecords: z.int().min(0).max(10_000_000).nullable(),
  offerTimeoutSeconds: z.int().min(1).max(86_400).nullable(),
  gateSize: z.int().min(1).max(10_000).nullable(),
  acceptsCallbacks: z.boolean(),
};

const createQueue = z.strictObject({
  name: queueName,
  orgArea: queueFields.orgArea.default('default'),
  timeZone: queueFields.timeZone,
  openingHours: queueFields.openingHours,
  maxActiveRecords: queueFields.maxActiveRecords.default(null),
  offerTimeoutSeconds: queueFields.offerTimeoutSeconds.default(null),
  gateSize: queueFields.gateSize.default(null),
  acceptsCallbacks: queueFields.acceptsCallbacks.default(true),
});
const changeQueue = z.strictObject(queueFields).partial();
const nameParam = z.object({ queue: queueName });

const listQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(200).optional(),
});
const encodeCursor = (r: { dueAt: string; id: string }) => Buffer.from(JSON.stringify([r.dueAt, r.id])).toString('base64url');
function decodeCursor(cursor: string): { dueAt: string; id: string } {
  try {
    const [dueAt, id] = z.tuple([instant, z.uuid()]).parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return { dueAt, id };
  } catch {
    throw problem(400, 'validation-error', 'invalid query', { errors: [{ path: 'cursor', message: 'not a cursor this API gave' }] });
  }
}

export function queuesRouter(deps: ApiDeps) {
  const { sql, temporal, taskQueue } = deps;

  async function requireArea(id: string) {
    if (!(await findOrgArea(sql, id))) {
      throw problem(422, 'unknown-org-area', `no organisation area ${id}`, { errors: [{ path: 'orgArea', message: 'unknown organisation area' }] });
    }
  }

  return new Hono()
    .get('/', async (c) => c.json({ items: await listQueues(sql) }))

    .post('/', validate('json', createQueue), async (c) => {
      const actor = actorOf(c);
      const queue: Queue = c.req.valid('json');
      await requireArea(queue.orgArea);
      if (!(await insertQueue(sql, queue))) throw problem(409, 'already-exists', `queue ${queue.name} exists`);
      await writeAudit(sql, { actor, action: 'queue-create', detail: { queue }, result: 'ok' });
      c.header('location', `/v1/queues/${queue.name}`);
      return c.json(queue, 201);
    })

    .get('/:queue', validate('param', nameParam), async (c) => {
      const queue = await findQueue(sql, c.req.valid('param').queue);
      if (!queue) throw problem(404, 'not-found', 'no queue with this name');
      return c.json(queue);
    })

    // For the IVR and the web page: may we offer a callback now, and what will the customer meet.
    .get('/:queue/status', validate('param', nameParam), async (c) => {
      const queue = await findQueue(sql, c.req.valid('param').queue);
      if (!queue) throw problem(404, 'not-found', 'no queue with this name');
      const [params, area, load, waits, activeInQueue, activeInArea] = await Promise.all([
        getParameters(sql),
        findOrgArea(sql, queue.orgArea),
        queueLoad(sql, queue.name),
        recentWaits(sql, queue.name, WAIT_WINDOW_MINUTES),
        countActive(sql, { queue: queue.name }),
        countActive(sql, { orgArea: queue.orgArea }),
      ]);
      const { local, today, openNow } = openingAt(queue.openingHours, queue.timeZone, new Date());
      const refusals = [
        ...(params.enableCallbackService ? [] : ['callback-service-disabled']),
        ...(queue.acceptsCallbacks ? [] : ['queue-not-accepting-callbacks']),
        ...(queue.maxActiveRecords !== null && activeInQueue >= queue.maxActiveRecords ? ['queue-limit-reached'] : []),
        ...(area?.maxActiveRecords != null && activeInArea >= area.maxActiveRecords ? ['org-area-limit-reached'] : []),
      ];
      return c.json({
        queue: queue.name,
        timeZone: queue.timeZone,
        openNow,
        today: { date: local.date, weekday: local.weekday, openingHours: today },
        records: load,
        expectedWaitSeconds: waits.sample >= WAIT_MIN_SAMPLE ? Math.round(waits.medianSeconds!) : null,
        expectedWaitBasis: { windowMinutes: WAIT_WINDOW_MINUTES, acceptances: waits.sample, minimum: WAIT_MIN_SAMPLE },
        callbackOffered: refusals.length === 0,
        notOfferedBecause: refusals,
      });
    })

    // The agents' list: the queue's records that are not closed, by calling time, appointments
    // before they are due included, each with its timing (domain/record-timing.ts).
    .get('/:queue/callbacks', validate('param', nameParam), validate('query', listQuery), async (c) => {
      const queue = await findQueue(sql, c.req.valid('param').queue);
      if (!queue) throw problem(404, 'not-found', 'no queue with this name');
      const { limit, cursor } = c.req.valid('query');
      const rows = await openInQueue(sql, queue.name, { limit, after: cursor ? decodeCursor(cursor) : undefined });
      const now = new Date();
      const items = rows.map(({ record, booking }) => ({
        ...record,
        timing: timingOf(record, booking?.slotEnd ?? null, now),
        booking: booking && { scheduleId: booking.scheduleId, slotStart: booking.slotStart, slotEnd: booking.slotEnd },
      }));
      const last = items.at(-1);
      return c.json({ queue: queue.name, at: now.toISOString(), items, nextCursor: items.length === limit && last ? encodeCursor(last) : null });
    })

    .patch('/:queue', validate('param', nameParam), validate('json', changeQueue), async (c) => {
      const actor = actorOf(c);
      const queue = await findQueue(sql, c.req.valid('param').queue);
      if (!queue) throw problem(404, 'not-found', 'no queue with this name');
      const next = { ...queue, ...c.req.valid('json') };
      if (next.orgArea !== queue.orgArea) await requireArea(next.orgArea);
      await updateQueue(sql, next);
      await writeAudit(sql, { actor, action: 'queue-change', detail: { queue: next.name, changes: c.req.valid('json') }, result: 'ok' });
      if (next.gateSize !== queue.gateSize) {
        const size = next.gateSize ?? (await getParameters(sql)).callbackBufferMax;
        await resizeGate(temporal, taskQueue, next.name, size);
      }
      return c.json(next);
    })

    .post('/:queue/next', validate('param', nameParam), validate('json', z.strictObject({ agentId })), async (c) => {
      const { queue } = c.req.valid('param');
      const { agentId: agent } = c.req.valid('json');
      const { waitingListFirst } = await getParameters(sql);
      for (const id of await offeredInQueue(sql, queue, agent, { waitingListFirst, limit: CANDIDATES })) {
        try {
          return c.json(await acceptRecord(deps, id, agent));
        } catch (err) {
          // Another agent won this one, or it left the queue since the read: try the next.
          if (err instanceof ProblemError && err.problem.status === 409) continue;
          throw err;
        }
      }
      return c.body(null, 204);
    });
}
