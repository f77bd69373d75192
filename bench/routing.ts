// Pushed routing's figure: how long from a record passing its queue's gate (its `offered` event)
// to the reservation reaching the agent's event stream, with AGENTS agents who accept at once
// and RECORDS records through one queue whose gate is as wide as the team. Also the part of it
// after the reservation was made (PostgreSQL's NOTIFY, the API's stream), from the presence log.
import { randomUUID } from 'node:crypto';
import { createApiKey } from '../db/api-keys.js';
import { openEventStream, type EventStream } from '../test/support/event-stream.js';
import type { BenchEnvironment } from './environment.js';

export interface RoutingResult {
  agents: number;
  records: number;
  /** Gate to the agent's stream, ms. */
  gateToStream: { p50: number; p99: number };
  /** The reservation's commit to the agent's stream, ms. */
  reservedToStream: { p50: number; p99: number };
  seconds: number;
}

const quantile = (xs: number[], q: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN);
};

export async function runRouting(
  env: BenchEnvironment,
  { agents = 20, records = 200 }: { agents?: number; records?: number } = {},
): Promise<RoutingResult> {
  const { sql, key: adminKey } = env;
  const apiUrl = env.api.url;
  const send = async (path: string, method: string, body: unknown, key = adminKey) => {
    const res = await fetch(apiUrl + path, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  const tag = randomUUID().slice(0, 8);
  // As wide a gate as the team: a record passes it as an agent frees up.
  const queue = await env.queue({ gateSize: agents });
  const received = new Map<string, number>();
  const streams: EventStream[] = [];
  const desks = await Promise.all(
    Array.from({ length: agents }, async (_, i) => {
      const id = `bench-${tag}-${i}`;
      await send('/v1/agents', 'POST', { id, displayName: id, queues: [{ queue }] });
      const { key } = await createApiKey(sql, { name: `bench-token.${id}`, role: 'agent', agentId: id, createdBy: 'bench' });
      const events = await openEventStream(`${apiUrl}/v1/agents/me/events`, { authorization: `Bearer ${key}` });
      streams.push(events);
      return { id, key, events };
    }),
  );

  const started = performance.now();
  let done = 0;
  const work = desks.map(async ({ key, events }) => {
    await send('/v1/agents/me/presence', 'PUT', { state: 'available' }, key);
    let from = 0;
    while (done < records) {
      const offer = await events.next('offer', () => true, { from, timeoutMs: 120_000 }).catch(() => null);
      if (!offer) break;
      from = events.events.indexOf(offer) + 1;
      const { recordId } = offer.data.reservation;
      received.set(recordId, offer.at);
      await send(`/v1/callbacks/${recordId}/accept`, 'POST', {}, key);
      for (;;) {
        const record = await send(`/v1/callbacks/${recordId}`, 'GET', undefined, key);
        if (record.stage === 'connected') break;
        await new Promise((r) => setTimeout(r, 20));
      }
      await send(`/v1/callbacks/${recordId}/feedback`, 'POST', { outcome: 'completed' }, key);
      done += 1;
    }
  });
  for (let i = 0; i < records; i += 20) {
    await Promise.all(
      Array.from({ length: Math.min(20, records - i) }, (_, k) =>
        send('/v1/callbacks', 'POST', { phone: `+4670123${1000 + ((i + k) % 9000)}`, queue, channel: 'api' }),
      ),
    );
  }
  await Promise.all(work);
  const seconds = (performance.now() - started) / 1000;
  for (const s of streams) s.close();

  const offered = await sql<{ recordId: string; at: string }[]>`
    select e.record_id, min(e.at) as at from callback_events e join callbacks c on c.id = e.record_id
    where c.queue = ${queue} and e.type = 'offered' group by 1`;
  const reserved = await sql<{ recordId: string; at: string }[]>`
    select record_id, min(at) as at from agent_presence_log
    where state = 'offered' and record_id in (select id from callbacks where queue = ${queue}) group by 1`;
  const gate = offered.filter((o) => received.has(o.recordId)).map((o) => received.get(o.recordId)! - Date.parse(o.at));
  const push = reserved.filter((r) => received.has(r.recordId)).map((r) => received.get(r.recordId)! - Date.parse(r.at));
  return {
    agents,
    records,
    gateToStream: { p50: quantile(gate, 0.5), p99: quantile(gate, 0.99) },
    reservedToStream: { p50: quantile(push, 0.5), p99: quantile(push, 0.99) },
    seconds: Math.round(seconds),
  };
}
