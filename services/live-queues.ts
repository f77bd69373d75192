// Every queue as a supervisor watches it: its open records by stage, the oldest waits, the
// expected wait for an ASAP callback, and the use of its gate. GET /v1/live/queues answers it, and
// the live event stream sends it again whenever it changes.
import { z } from 'zod';
import { getParameters, listQueues } from '../db/configuration.js';
import type { Sql } from '../db/connect.js';
import { NO_RECORDS, openRecordsByQueue, recentWaitsByQueue } from '../db/live-queues.js';
import { queueLoadSchema } from '../db/queue-status.js';
import { count } from '../domain/record-schema.js';
import { WAIT_MIN_SAMPLE, WAIT_WINDOW_MINUTES } from './queue-status.js';

const instant = z.iso.datetime({ offset: true });

/**
 * The expected wait is the median of an hour's acceptances: it moves slowly, and reading it costs
 * a look at each acceptance's history (about 0.3 s with 3,600 acceptances an hour and a million
 * records), so it is read again at most this often, not at every tick.
 */
export const WAITS_EVERY_MS = 15_000;

export const liveQueueSchema = z.strictObject({
  queue: z.string().describe("The queue's name."),
  orgArea: z.string().describe('The organisation area it belongs to.'),
  records: queueLoadSchema,
  oldestDueAt: instant
    .nullable()
    .describe('When the longest-waiting record in stage `due` (waiting for room in the queue) became due; null when none is.'),
  oldestOfferedAt: instant
    .nullable()
    .describe('When the longest-waiting offered record (in the queue, no agent has it yet) became due; null when none is.'),
  expectedWaitSeconds: z
    .int()
    .min(0)
    .nullable()
    .describe(
      `The expected wait for an ASAP callback, as GET /v1/queues/{queue}/status gives it: the median time from due to accepted of the ` +
        `callbacks accepted in the last ${WAIT_WINDOW_MINUTES} minutes; null with fewer than ${WAIT_MIN_SAMPLE}. Read again every ${WAITS_EVERY_MS / 1000} s.`,
    ),
  gate: z
    .strictObject({
      holders: count().describe('Records holding a permit: offered, accepted, being dialled, in a call or in wrap-up.'),
      size: count().describe("The gate's size: the queue's own, or the callbackBufferMax parameter."),
    })
    .describe("The use of the queue's gate: how many of its places are taken."),
});
export type LiveQueue = z.infer<typeof liveQueueSchema>;

export const liveQueuesSchema = z.strictObject({
  at: instant.describe('When the figures were read.'),
  queues: z.array(liveQueueSchema).describe('Every queue asked for, by name.'),
});
export type LiveQueues = z.infer<typeof liveQueuesSchema>;

/** A reader of the live figures that keeps the expected waits for WAITS_EVERY_MS. */
export function liveQueuesReader(sql: Sql): () => Promise<LiveQueues> {
  let waits: { at: number; byQueue: ReturnType<typeof recentWaitsByQueue> } | null = null;
  return async () => {
    const at = new Date().toISOString();
    if (!waits || Date.now() - waits.at >= WAITS_EVERY_MS) {
      const byQueue = recentWaitsByQueue(sql, WAIT_WINDOW_MINUTES);
      waits = { at: Date.now(), byQueue };
      // A failed reading is not kept: the next tick reads again.
      byQueue.catch(() => {
        if (waits?.byQueue === byQueue) waits = null;
      });
    }
    const [queues, params, open, waited] = await Promise.all([listQueues(sql), getParameters(sql), openRecordsByQueue(sql), waits.byQueue]);
    return {
      at,
      queues: queues.map((q) => {
        const { records, oldestDueAt, oldestOfferedAt } = open.get(q.name) ?? NO_RECORDS;
        const recent = waited.get(q.name);
        return {
          queue: q.name,
          orgArea: q.orgArea,
          records,
          oldestDueAt,
          oldestOfferedAt,
          expectedWaitSeconds: recent && recent.sample >= WAIT_MIN_SAMPLE ? Math.round(recent.medianSeconds) : null,
          // The stages in which a record's workflow holds its queue's permit (workflows/callback.ts):
          // the table's copy of them, which trails the gate workflow's own count by a save at most.
          gate: { holders: records.offered + records.withAgent, size: q.gateSize ?? params.callbackBufferMax },
        };
      }),
    };
  };
}

/** Which queues a watcher asked for: by name, or those of one organisation area; all when neither. */
export interface QueueChoice {
  queues?: readonly string[];
  orgArea?: string;
}

export function chosen(snapshot: LiveQueues, { queues, orgArea }: QueueChoice): LiveQueues {
  return {
    at: snapshot.at,
    queues: snapshot.queues.filter((q) => (!queues || queues.includes(q.queue)) && (!orgArea || q.orgArea === orgArea)),
  };
}
