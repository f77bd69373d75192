// The agent directory: each agent's name, the queues they serve (with an optional routing
// priority), languages, the address the dialler reaches them at, and whether they work here still.
import type postgres from 'postgres';
import type { Sql } from './connect.js';
import { ensurePresence, signOff } from './presence.js';

type Tx = Sql | postgres.TransactionSql;

export interface AgentQueue {
  queue: string;
  /** 1 is routed to first; null: no preference. */
  priority: number | null;
}

export interface Agent {
  id: string;
  displayName: string;
  queues: AgentQueue[];
  languages: string[];
  address: string | null;
  email: string | null;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export type AgentInput = Omit<Agent, 'createdAt' | 'updatedAt'>;

const agentSelect = (sql: Tx) => sql`
  select a.id, a.display_name, a.languages, a.address, a.email, a.active, a.created_at, a.updated_at,
    coalesce((select json_agg(json_build_object('queue', q.queue, 'priority', q.priority) order by q.queue)
              from agent_queues q where q.agent_id = a.id), '[]'::json) as queues
  from agents a`;

export async function findAgent(sql: Tx, id: string): Promise<Agent | null> {
  const [row] = await sql<Agent[]>`${agentSelect(sql)} where a.id = ${id}`;
  return row ?? null;
}

export async function listAgents(sql: Tx, f: { queue?: string; active?: boolean } = {}): Promise<Agent[]> {
  return sql<Agent[]>`${agentSelect(sql)}
    where true
      ${f.active !== undefined ? sql`and a.active = ${f.active}` : sql``}
      ${f.queue !== undefined ? sql`and exists (select 1 from agent_queues q where q.agent_id = a.id and q.queue = ${f.queue})` : sql``}
    order by a.id`;
}

export async function findAgentByEmail(sql: Tx, email: string): Promise<Agent | null> {
  const [row] = await sql<Agent[]>`${agentSelect(sql)} where lower(a.email) = lower(${email})`;
  return row ?? null;
}

/** The queue names among `names` that do not exist. */
export async function unknownQueues(sql: Tx, names: readonly string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const known = new Set((await sql<{ name: string }[]>`select name from queues where name = any(${[...names]})`).map((r) => r.name));
  return [...new Set(names)].filter((n) => !known.has(n));
}

/** Inserts the agent, or replaces every field of the one with its id. false: it existed and `replace` was not asked. */
export async function saveAgent(sql: postgres.TransactionSql, a: AgentInput, { replace }: { replace: boolean }): Promise<boolean> {
  const written = replace
    ? await sql`
        insert into agents (id, display_name, languages, address, email, active)
        values (${a.id}, ${a.displayName}, ${a.languages}, ${a.address}, ${a.email}, ${a.active})
        on conflict (id) do update set display_name = excluded.display_name, languages = excluded.languages,
          address = excluded.address, email = excluded.email, active = excluded.active, updated_at = now()
        returning id`
    : await sql`
        insert into agents (id, display_name, languages, address, email, active)
        values (${a.id}, ${a.displayName}, ${a.languages}, ${a.address}, ${a.email}, ${a.active})
        on conflict (id) do nothing returning id`;
  if (written.length === 0) return false;
  await ensurePresence(sql, a.id);
  if (!a.active) await signOff(sql, a.id);
  await sql`delete from agent_queues where agent_id = ${a.id}`;
  if (a.queues.length) {
    await sql`insert into agent_queues ${sql(a.queues.map((q) => ({ agentId: a.id, queue: q.queue, priority: q.priority })))}`;
  }
  return true;
}
