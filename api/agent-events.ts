// The API process's ear on presence: one LISTEN on PostgreSQL's agent_events channel (the
// agent_presence table's trigger announces every change at commit), fanned out to the event
// streams this process serves: an agent's desk hears its own agent, supervisors hear everyone.
// While a desk listens, its agent is seen (last_seen_at), every `keepAliveMs`, in one update for all.
import type { Sql } from '../db/connect.js';
import { AGENT_EVENTS_CHANNEL, touchSeen } from '../db/presence.js';
import { log } from '../telemetry/log.js';

export interface AgentChange {
  agentId: string;
  state: string;
}

/** Told of every change to its agent (or to any, for '*'); `resync` after the listener reconnected (changes may be missed). */
export interface Listener {
  agentId: string | '*';
  changed(change: AgentChange): void;
  resync(): void;
  /** The process stops: end the stream. */
  end(): void;
}

export interface AgentEvents {
  /** How often a quiet stream says it is alive, and the listening desks are marked seen. */
  keepAliveMs: number;
  /** Starts listening on first use; resolves once PostgreSQL listens. */
  subscribe(listener: Listener): Promise<() => void>;
  close(): Promise<void>;
}

export function createAgentEvents(sql: Sql, keepAliveMs = 15_000): AgentEvents {
  const listeners = new Set<Listener>();
  let listening: Promise<{ unlisten(): Promise<void> }> | null = null;
  let connectedOnce = false;
  let closed = false;

  const touch = setInterval(() => {
    const agents = [...new Set([...listeners].map((l) => l.agentId).filter((a) => a !== '*'))];
    touchSeen(sql, agents).catch((err: unknown) => log().warn({ err }, 'could not mark the listening desks as seen'));
  }, keepAliveMs);
  touch.unref();

  function dispatch(payload: string): void {
    let change: AgentChange;
    try {
      change = JSON.parse(payload) as AgentChange;
    } catch {
      return;
    }
    for (const l of listeners) if (l.agentId === '*' || l.agentId === change.agentId) l.changed(change);
  }

  function listen() {
    listening ??= sql.listen(AGENT_EVENTS_CHANNEL, dispatch, () => {
      // Reconnected: what changed meanwhile was not heard.
      if (connectedOnce) for (const l of listeners) l.resync();
      connectedOnce = true;
    });
    return listening;
  }

  return {
    keepAliveMs,
    async subscribe(listener) {
      if (closed) throw new Error('the API is stopping');
      listeners.add(listener);
      try {
        await listen();
      } catch (err) {
        listeners.delete(listener);
        listening = null;
        throw err;
      }
      if (listener.agentId !== '*') await touchSeen(sql, [listener.agentId]);
      return () => void listeners.delete(listener);
    },
    async close() {
      closed = true;
      clearInterval(touch);
      for (const l of [...listeners]) l.end();
      listeners.clear();
      if (listening) await (await listening.catch(() => null))?.unlisten().catch(() => undefined);
    },
  };
}
