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
        `callbacks accepted in the last ${WAIT_WINDOW_MINUTES} minutes; null with fewer than ${WAIT_MIN_SAMPLE}.`,
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

export async function liveQueues(sql: Sql): Promise<LiveQueues> {
  const at = new Date().toISOString();
  const [queues, params, open, waits] = await Promise.all([
    listQueues(sql),
    getParameters(sql),
    openRecordsByQueue(sql),
    recentWaitsByQueue(sql, WAIT_WINDOW_MINUTES),
  ]);
  return {
    at,
    queues: queues.map((q) => {
      const { records, oldestDueAt, oldestOfferedAt } = open.get(q.name) ?? NO_RECORDS;
      const waited = waits.get(q.name);
      return {
        queue: q.name,
        orgArea: q.orgArea,
        records,
        oldestDueAt,
        oldestOfferedAt,
        expectedWaitSeconds: waited && waited.sample >= WAIT_MIN_SAMPLE ? Math.round(waited.medianSeconds) : null,
        // The stages in which a record's workflow holds its queue's permit (workflows/callback.ts):
        // the table's copy of them, which trails the gate workflow's own count by a save at most.
        gate: { holders: records.offered + records.withAgent, size: q.gateSize ?? params.callbackBufferMax },
      };
    }),
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
