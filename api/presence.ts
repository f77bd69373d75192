// Presence, under /v1/agents: an agent's state (available, away, offered, on-call, wrap-up,
// offline), set by the agent where it is theirs to set, and the live event streams: the agent's
// desk hears its own state and the records pushed to it; supervisors hear every agent.
import { Hono, type Context } from 'hono';
import type { SSEStreamingApi } from 'hono/streaming';
import { z } from 'zod';
import { changePresence, findPresence, listPresence, offerNextRecords } from '../db/presence.js';
import { findRecord } from '../db/records.js';
import { treatmentFor } from '../db/treatments.js';
import { presenceChangeSchema, presenceSchema, type Presence } from '../domain/presence.js';
import { signalReserved } from '../workflows/callback-client.js';
import { log } from '../telemetry/log.js';
import { route, ROLE_SETS } from './access.js';
import { actingAgent, onBehalf, callerAgent } from './acting.js';
import { createAgentEvents, type AgentEvents } from './agent-events.js';
import { eventStream } from './event-stream.js';
import type { ApiDeps } from './deps.js';
import { problem } from './problem.js';
import { personId } from './people.schemas.js';
import { queueName } from './schemas.js';
import { validate } from './validate.js';

const presenceListing = presenceSchema.extend({
  displayName: z.string().describe("The agent's name."),
  queues: z.array(z.string()).describe('The queues the agent serves.'),
});
const presenceList = z.strictObject({ items: z.array(presenceListing).describe('Every active agent, by id.') });
const idParam = z.object({ id: personId.describe("The agent's id") });
const listQuery = z.strictObject({ queue: queueName.optional().describe('Only agents who serve this queue') });

const STREAM =
  'Server-Sent Events. `presence`: the state as `GET .../presence` gives it, at once on connecting and at every change. ' +
  '`offer`: a record reserved for the agent: `{ reservation: { recordId, until, secondsLeft, attempt, maxAttempts }, record }` (the record as ' +
  '`GET /v1/callbacks/{id}` gives it, without history; `maxAttempts`: the treatment’s limit of dials, null for none); accept it (`POST /v1/callbacks/{id}/accept`) or refuse it before ' +
  '`until`, or the agent goes away ("no answer") and the record goes to the next agent. A comment line every AGENT_STREAM_KEEPALIVE_MS (15 s) keeps ' +
  'the stream open; while it is open, the agent counts as seen (an available or away agent unseen for the ' +
  '`agentOfflineAfterSeconds` parameter goes offline). On reconnecting, the current state comes first: nothing is lost.';

const routes = {
  mine: route({
    summary: "The signed-in agent's presence",
    roles: ['agent'],
    responses: { 200: { description: 'The state, since when, and the record it follows', schema: presenceSchema } },
    problems: ['not-an-agent', 'not-found'],
  }),
  changeMine: route({
    summary: "Change the signed-in agent's presence",
    description:
      'available (records are pushed to the agent), away with a reason, offline; wrap-up once the call has ended (from on-call ' +
      'with the customer connected), until the feedback. Offered, on-call and wrap-up follow the record and cannot be left here.',
    roles: ['agent'],
    responses: { 200: { description: 'The state now', schema: presenceSchema } },
    problems: ['not-an-agent', 'not-found', 'presence-not-changeable'],
  }),
  events: route({
    summary: "The signed-in agent's live events: presence and records pushed to them",
    description: STREAM,
    roles: ['agent'],
    responses: { 200: { description: 'An event stream', contentType: 'text/event-stream' } },
    problems: ['not-an-agent', 'not-found'],
  }),
  list: route({
    summary: "Every active agent's presence",
    description: 'For supervisors: each agent with their state, since when, and the record it follows.',
    roles: ROLE_SETS.oversight,
    responses: { 200: { description: 'The agents, by id', schema: presenceList } },
  }),
  everyone: route({
    summary: "Every agent's presence, live",
    description: 'Server-Sent Events: `presence` (an agent`s state as the list gives it) at every change, each agent once on connecting.',
    roles: ROLE_SETS.oversight,
    responses: { 200: { description: 'An event stream', contentType: 'text/event-stream' } },
  }),
  read: route({
    summary: "An agent's presence",
    roles: ROLE_SETS.agentWork,
    responses: { 200: { description: 'The state', schema: presenceSchema } },
    problems: ['acting-as-another-agent', 'not-found'],
  }),
  change: route({
    summary: "Change an agent's presence (an integration acting for the agent)",
    description: 'As `PUT /v1/agents/me/presence`, for the agent named; the audit log shows both.',
    roles: ROLE_SETS.agentWork,
    responses: { 200: { description: 'The state now', schema: presenceSchema } },
    problems: ['acting-as-another-agent', 'not-found', 'presence-not-changeable'],
  }),
};

export function presenceRouter(deps: ApiDeps) {
  const { sql, temporal } = deps;
  const events: AgentEvents = deps.agentEvents ?? createAgentEvents(sql);

  async function presenceOf(agentId: string): Promise<Presence> {
    const presence = await findPresence(sql, agentId);
    if (!presence) throw problem('not-found', 'no agent with this id in the directory');
    return presence;
  }

  async function change(agentId: string, body: z.infer<typeof presenceChangeSchema>): Promise<Presence> {
    const result = await changePresence(sql, agentId, body);
    if (!result) throw problem('not-found', 'no agent with this id in the directory');
    if ('refused' in result) {
      throw problem('presence-not-changeable', `agent ${agentId} is ${result.refused.state} now`, { state: result.refused.state });
    }
    if (result.changed.state === 'available') {
      // Their next record at once; should it fail, the waiting records look again within 30 s.
      await offerNextRecords(sql, [agentId], (recordId, reservation) => signalReserved(temporal, recordId, reservation)).catch(
        (err: unknown) => log().warn({ err, agentId }, 'routing to an agent now available failed; the records look again'),
      );
    }
    return result.changed;
  }

  /** The agent's state, and the record offered to them if any. */
  async function tell(stream: SSEStreamingApi, agentId: string): Promise<void> {
    const presence = await presenceOf(agentId);
    await stream.writeSSE({ event: 'presence', data: JSON.stringify(presence) });
    if (presence.state !== 'offered' || !presence.recordId || !presence.reservedUntil) return;
    const record = await findRecord(sql, presence.recordId);
    if (!record) return;
    const until = presence.reservedUntil;
    await stream.writeSSE({
      event: 'offer',
      id: `${record.id}:${until}`,
      data: JSON.stringify({
        reservation: {
          recordId: record.id,
          until,
          secondsLeft: Math.max(0, Math.round((Date.parse(until) - Date.now()) / 1000)),
          attempt: record.attempts + 1,
          maxAttempts: (await treatmentFor(sql, record.queue)).maxAttempts,
        },
        record,
      }),
    });
  }

  /** Streams until the client goes or the process stops; `onChange` writes what a change means for this stream. */
  function stream(
    c: Context,
    agentId: string | '*',
    first: (s: SSEStreamingApi) => Promise<void>,
    onChange: (s: SSEStreamingApi, agentId: string) => Promise<void>,
  ) {
    return eventStream(c, {
      keepAliveMs: events.keepAliveMs,
      open: (out) =>
        events.subscribe({
          agentId,
          changed: (change) => out.write((s) => onChange(s, change.agentId)),
          resync: () => out.write(first),
          end: out.end,
        }),
      first: async (out) => out.write(first),
    });
  }

  return new Hono()
    .get('/me/presence', routes.mine, async (c) => c.json(await presenceOf(callerAgent(c))))

    .put('/me/presence', routes.changeMine, validate('json', presenceChangeSchema), async (c) =>
      c.json(await change(callerAgent(c), c.req.valid('json'))),
    )

    .get('/me/events', routes.events, async (c) => {
      const agentId = callerAgent(c);
      await presenceOf(agentId);
      return stream(
        c,
        agentId,
        (s) => tell(s, agentId),
        (s) => tell(s, agentId),
      );
    })

    .get('/presence', routes.list, validate('query', listQuery), async (c) =>
      c.json({ items: await listPresence(sql, c.req.valid('query')) }),
    )

    .get('/presence/events', routes.everyone, async (c) => {
      const all = async (s: SSEStreamingApi) => {
        for (const p of await listPresence(sql)) await s.writeSSE({ event: 'presence', data: JSON.stringify(p) });
      };
      return stream(c, '*', all, async (s, agentId) => {
        const [p] = (await listPresence(sql)).filter((x) => x.agentId === agentId);
        if (p) await s.writeSSE({ event: 'presence', data: JSON.stringify(p) });
      });
    })

    .get('/:id/presence', routes.read, validate('param', idParam), async (c) => {
      const { agentId } = actingAgent(c, c.req.valid('param').id);
      return c.json(await presenceOf(agentId));
    })

    .put('/:id/presence', routes.change, validate('param', idParam), validate('json', presenceChangeSchema), async (c) => {
      const acting = actingAgent(c, c.req.valid('param').id);
      const body = c.req.valid('json');
      return c.json(await onBehalf(sql, acting, 'presence', null, () => change(acting.agentId, body)));
    });
}
