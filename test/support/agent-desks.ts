// Agents as the routing tests drive them: in the directory, with a personal token, listening on
// their event stream (or not), setting their presence through the API.
import { expect } from 'vitest';
import { createApiKey } from '../../db/api-keys.js';
import { openEventStream, type EventStream } from './event-stream.js';
import { http, uniqueName, type Http, type Stack } from './stack.js';

export interface Desk {
  id: string;
  api: Http;
  events: EventStream;
  presence(): Promise<any>;
  set(state: string, reason?: string): Promise<any>;
}

/** An agent serving `queues`; its stream (when it listens) is added to `streams`, for the test to close. */
export async function agentDesk(stack: Stack, queues: string[], streams: EventStream[], { listen = true } = {}): Promise<Desk> {
  const id = uniqueName('agent');
  const made = await stack.api.post('/v1/agents', { id, displayName: id, queues: queues.map((queue) => ({ queue })) });
  expect(made.status).toBe(201);
  const token = await createApiKey(stack.sql, { name: `token.${id}`, role: 'agent', agentId: id, createdBy: 'tests' });
  const headers = { authorization: `Bearer ${token.key}` };
  const api = http(stack.apiUrl, headers);
  const events = listen ? await openEventStream(`${stack.apiUrl}/v1/agents/me/events`, headers) : (null as never);
  if (listen) {
    expect(events.status).toBe(200);
    streams.push(events);
  }
  return {
    id,
    api,
    events,
    presence: async () => (await api.get('/v1/agents/me/presence')).body,
    set: async (state, reason) => (await api.put('/v1/agents/me/presence', reason ? { state, reason } : { state })).body,
  };
}

/** A callback asked for by the IVR, ASAP. */
export async function ivrRequest(stack: Stack, queue: string, extra: Record<string, unknown> = {}): Promise<string> {
  const created = await stack.as('ivr').post('/v1/callbacks', { phone: '070-123 45 67', queue, channel: 'ivr', ...extra });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id;
}

/** The first offer of `recordId` on the desk's stream. */
export const offerOf = (desk: Desk, recordId: string, from = 0) =>
  desk.events.next('offer', (d) => d.reservation.recordId === recordId, { from });
