// Who an agent action acts as. A signed-in agent, or a key bound to one (an agent's personal
// token), acts as that agent and no other. A system key with the integration role, or an
// administrator, acts for the agent it names, and the record's history shows both
// (`integration:<key>/agent:<id>`, `person:<id>/agent:<id>`). An administrator's key names the agent
// as before people signed in (`agent:<id>`).
import type { Context } from 'hono';
import type { Sql } from '../db/connect.js';
import { audited } from './audited.js';
import { problem } from './problem.js';

export interface Acting {
  agentId: string;
  /** Who acted for the agent, when not the agent. */
  via?: string;
}

/** The agent the caller is (a signed-in agent, or a key bound to one); 403 `not-an-agent` for anyone else. */
export function callerAgent(c: Context): string {
  const { agentId } = c.get('caller');
  if (agentId === undefined) throw problem('not-an-agent', 'this key is bound to no agent: sign in as the agent, or use a personal token');
  return agentId;
}

export function actingAgent(c: Context, named: string | undefined): Acting {
  const caller = c.get('caller');
  if (caller.agentId !== undefined) {
    if (named !== undefined && named !== caller.agentId) {
      throw problem('acting-as-another-agent', `signed in as agent ${caller.agentId}, this request may not act as ${named}`, {
        agentId: named,
        signedInAs: caller.agentId,
      });
    }
    return { agentId: caller.agentId };
  }
  if (caller.role === 'agent') {
    throw problem(
      'not-an-agent',
      "this agent key is bound to no agent: sign in, or use an agent's personal token (POST /v1/agents/me/tokens)",
    );
  }
  if (named === undefined) {
    throw problem('validation-error', 'invalid request body', {
      errors: [{ path: 'agentId', message: 'the agent acted for is required: this caller is no agent itself' }],
    });
  }
  if (caller.role === 'integration') return { agentId: named, via: `integration:${caller.name}` };
  if (caller.kind === 'person') return { agentId: named, via: caller.name };
  return { agentId: named };
}

/**
 * Runs an agent's action; done for the agent by someone else, it goes to the audit log too, under
 * both (`integration:<key>/agent:<id>`), refusals included.
 */
export function onBehalf<T>(sql: Sql, acting: Acting, action: string, recordId: string | null, work: () => Promise<T>): Promise<T> {
  if (!acting.via) return work();
  return audited(sql, { actor: `${acting.via}/agent:${acting.agentId}`, action: `agent-${action}`, recordId }, work);
}
