// /v1/live: what supervisors and wallboards watch. Every queue's figures now, and the same as an
// event stream that says them again whenever they change. Agents' presence has its own
// (/v1/agents/presence and its events): the live view uses both.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { findOrgArea, findQueue } from '../db/configuration.js';
import { sessionAlive } from '../db/session-alive.js';
import { chosen, liveQueuesReader, liveQueuesSchema, type LiveQueues, type QueueChoice } from '../services/live-queues.js';
import { DEFAULT_PEOPLE_RULES } from '../services/people.js';
import { route, ROLE_SETS } from './access.js';
import { createAgentEvents } from './agent-events.js';
import { eventStream, type EventWriter } from './event-stream.js';
import type { ApiDeps } from './deps.js';
import { createLiveFeed, LIVE_TICK_MS } from './live-feed.js';
import { problem } from './problem.js';
import { areaId, queueName } from './schemas.js';
import { validate } from './validate.js';

const MAX_QUEUES = 100;

/** Queue names separated by commas (no name has one); a wrong name is named, at the parameter's path. */
const queueNames = z.string().transform((s, ctx) => {
  const names = s.split(',');
  if (names.length > MAX_QUEUES) ctx.addIssue({ code: 'custom', message: `at most ${MAX_QUEUES} queues` });
  for (const name of names) {
    const checked = queueName.safeParse(name);
    if (!checked.success) ctx.addIssue({ code: 'custom', message: `${JSON.stringify(name)}: ${checked.error.issues[0]!.message}` });
  }
  return [...new Set(names)];
});

const choiceQuery = z.strictObject({
  queues: queueNames.optional().describe(`Only these queues: names separated by commas (at most ${MAX_QUEUES})`),
  orgArea: areaId.optional().describe('Only the queues of this organisation area'),
});

const FIGURES =
  'Per queue: its records that are not closed, by stage (scheduled: before their calling time; due: waiting for room in the queue; offered; with an agent: accepted, dialling, in a call or in wrap-up; paused), ' +
  'when the longest-waiting due and offered records became due, the expected wait for an ASAP callback, and the gate’s use. ' +
  "The gate's holders are counted from the records' stages in which a record's workflow holds its queue's permit (offered to wrap-up, workflows/callback.ts), " +
  "not asked of the gate's workflow: between a permit's grant and the record's save as offered (a moment) the gate has one holder more than this says. " +
  `The figures are read once a second (${LIVE_TICK_MS} ms) for all who ask: one reading costs one pass over the open records, however many are closed.`;

const routes = {
  snapshot: route({
    summary: "Every queue's live figures",
    description: FIGURES,
    roles: ROLE_SETS.oversight,
    responses: { 200: { description: 'The queues asked for, by name', schema: liveQueuesSchema } },
    problems: ['unknown-queue', 'unknown-org-area'],
  }),
  events: route({
    summary: "Every queue's live figures, as they change",
    description:
      'Server-Sent Events. `queues`: the figures as `GET /v1/live/queues` gives them (with the same choice of queues), at once on ' +
      'connecting and again whenever any of them changes (looked at once a second). A comment line every AGENT_STREAM_KEEPALIVE_MS ' +
      "(15 s) keeps the stream open. A signed-in person's stream ends with their session (signed out, idle, too old): an `ended` " +
      'event `{ reason: "session-ended" }` comes last. Streams end when the API process stops; a client connects again.',
    roles: ROLE_SETS.oversight,
    responses: { 200: { description: 'An event stream', contentType: 'text/event-stream' } },
    problems: ['unknown-queue', 'unknown-org-area'],
  }),
};

export function liveRouter(deps: ApiDeps) {
  const { sql } = deps;
  const feed = createLiveFeed(liveQueuesReader(sql));
  // The process's event streams end together when it stops: this one hears it with the others.
  const events = deps.agentEvents ?? createAgentEvents(sql);
  const idleSeconds = (deps.people ?? DEFAULT_PEOPLE_RULES).idleSeconds;

  /**
   * The figures of the queues chosen: the last tick's, unless a queue chosen is missing from them
   * (made since), or the caller is a new stream, whose first event is read for it.
   */
  async function figuresFor(choice: QueueChoice, { fresh = false } = {}): Promise<LiveQueues> {
    const figures = fresh ? await feed.fresh() : await feed.latest();
    const missing = choice.queues?.some((name) => !figures.queues.some((q) => q.queue === name));
    return chosen(missing ? await feed.fresh() : figures, choice);
  }

  /** The choice, once every queue and area it names exists. */
  async function checked(choice: QueueChoice): Promise<QueueChoice> {
    if (choice.orgArea !== undefined && !(await findOrgArea(sql, choice.orgArea))) {
      throw problem('unknown-org-area', `no organisation area with the id ${choice.orgArea}`);
    }
    for (const name of choice.queues ?? []) {
      if (!(await findQueue(sql, name))) throw problem('unknown-queue', `no queue named ${name}`);
    }
    return choice;
  }

  function stream(c: Context, choice: QueueChoice) {
    const session = c.get('caller').session;
    let said = '';
    const tell = (out: EventWriter, figures: LiveQueues) =>
      out.write(async (s) => {
        const mine = chosen(figures, choice);
        const now = JSON.stringify(mine.queues);
        if (now === said) return;
        said = now;
        await s.writeSSE({ event: 'queues', data: JSON.stringify(mine) });
      });
    return eventStream(c, {
      keepAliveMs: events.keepAliveMs,
      open: async (out) => {
        // The process's presence listener ends every stream when the process stops.
        const stopEnding = await events.subscribe({ agentId: '*', changed: () => undefined, resync: () => undefined, end: out.end });
        const stopHearing = feed.subscribe((figures) => tell(out, figures));
        return () => {
          stopHearing();
          stopEnding();
        };
      },
      first: async (out) => tell(out, await figuresFor(choice, { fresh: true })),
      stillWanted: async (out) => {
        if (!session || (await sessionAlive(sql, session.idSha256, idleSeconds))) return true;
        out.write((s) => s.writeSSE({ event: 'ended', data: JSON.stringify({ reason: 'session-ended' }) }));
        return false;
      },
    });
  }

  return new Hono()
    .get('/queues', routes.snapshot, validate('query', choiceQuery), async (c) =>
      c.json(await figuresFor(await checked(c.req.valid('query')))),
    )
    .get('/queues/events', routes.events, validate('query', choiceQuery), async (c) => stream(c, await checked(c.req.valid('query'))));
}
