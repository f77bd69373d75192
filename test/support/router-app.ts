// The API in the test process with nothing behind it, for router tests: API keys known by their
// role, a database that holds nothing and a Temporal in which no record's workflow runs. What a
// route answers from its validators and role guards alone, or from finding nothing, needs no
// server; every query and Temporal call is noted, so that a test can show a refused request
// reached neither.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { createApp } from '../../api/app.js';
import type { Caller } from '../../api/access.js';
import { tokenSigner, type TokenSigner } from '../../services/self-service-token.js';
import type { TemporalWaits } from '../../services/temporal-wait.js';
import type { Sql } from '../../db/connect.js';
import { ROLES, type Role } from '../../domain/roles.js';

/** The key a test presents for a role. */
export const keyOf = (role: Role) => `test-key-${role}`;

/** The agent the agent role's key is bound to (a personal token): agent actions act as it. */
export const ROUTER_AGENT = 'router-agent';

const callers = new Map<string, Caller>(
  ROLES.map((role) => [
    keyOf(role),
    { kind: 'key', keyId: `id-${role}`, name: `${role}-key`, role, ...(role === 'agent' ? { agentId: ROUTER_AGENT } : {}) },
  ]),
);

export interface RouterApp {
  request(method: string, path: string, options?: RequestOptions): Promise<Answer>;
  /** Every query sent to the database and call made to Temporal, in order. */
  calls: string[];
  /** The app's own signer of self-service tokens. */
  tokens: TokenSigner;
}

export interface RequestOptions {
  /** The caller's role; null sends no key. */
  as?: Role | null;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as it is, with `contentType`. */
  raw?: string;
  contentType?: string;
  /** A header given as '' is left out. */
  headers?: Record<string, string>;
}

export interface Answer {
  status: number;
  type: string | null;
  body: any;
  headers: Headers;
}

export function routerApp(): RouterApp {
  const calls: string[] = [];
  const sql = emptyDatabase(calls);
  const tokens = tokenSigner(sql);
  const app = createApp({
    sql,
    authenticate: async (presented) => callers.get(presented) ?? null,
    temporal: noWorkflows(calls),
    waits: { within: (call) => call(), drain: async () => {} } satisfies TemporalWaits,
    retryAfterSeconds: 5,
    taskQueue: 'router-tests',
    defaultCountry: 'SE',
    traffic: { corsOrigins: [], rateLimitPerMinute: 1_000_000, bodyLimitBytes: 64 * 1024, trustProxy: false },
    tokens,
    webhookTargets: { allowedPrivateHosts: [] },
  });
  // What @hono/node-server gives a request: the rate limit counts a caller without a key by address.
  const env = { incoming: { socket: { remoteAddress: '127.0.0.1', remotePort: 40000, remoteFamily: 'IPv4' } } };

  return {
    calls,
    tokens,
    async request(method, path, { as = 'admin', json, raw, contentType, headers = {} } = {}) {
      const body = raw ?? (json === undefined ? undefined : JSON.stringify(json));
      const all: Record<string, string> = {
        ...(as ? { authorization: `Bearer ${keyOf(as)}` } : {}),
        ...(body !== undefined ? { 'content-type': contentType ?? 'application/json' } : {}),
        ...headers,
      };
      for (const [name, value] of Object.entries(all)) if (value === '') delete all[name];
      const res = await app.request(path, { method, headers: all, body }, env);
      const type = res.headers.get('content-type');
      const text = await res.text();
      return { status: res.status, type, body: text && type?.includes('json') ? JSON.parse(text) : text || null, headers: res.headers };
    },
  };
}

/**
 * postgres.js as far as the API uses it, over no rows at all: every query answers an empty
 * result, a transaction runs on the same, and the one secret the API makes for itself (the
 * self-service tokens' key) is there, so that tokens can be signed and checked.
 */
function emptyDatabase(calls: string[]): Sql {
  const secret = Buffer.alloc(32, 7).toString('base64url');
  const query = (strings: TemplateStringsArray) => {
    const text = strings.join('$').replace(/\s+/g, ' ').trim();
    calls.push(`sql: ${text}`);
    const rows = /from api_secrets/.test(text) ? [{ value: secret }] : [];
    return Object.assign(Promise.resolve(Object.assign(rows, { count: rows.length })), { values: async () => [] });
  };
  const isTemplate = (first: unknown): first is TemplateStringsArray => Array.isArray(first) && 'raw' in first;
  // Called with a template it is a query; with values it makes a fragment, whose content no empty table needs.
  const sql = (first: unknown) => (isTemplate(first) ? query(first) : {});
  return Object.assign(sql, {
    begin: async (...args: unknown[]) => (args.at(-1) as (tx: unknown) => unknown)(sql),
    json: (value: unknown) => value,
    end: async () => {},
  }) as unknown as Sql;
}

/** A Temporal client in which no workflow runs: each of them is not found. */
function noWorkflows(calls: string[]): Client {
  const missing = (what: string, workflowId: string) => async () => {
    calls.push(`temporal: ${what} ${workflowId}`);
    throw new WorkflowNotFoundError(`workflow ${workflowId} not found`, workflowId, undefined);
  };
  const handle = (workflowId: string) =>
    new Proxy(
      { workflowId },
      {
        // Not a promise: `then` stays undefined, so that the handle can be returned from an async function.
        get: (_, name) => (name === 'workflowId' ? workflowId : name === 'then' ? undefined : missing(String(name), workflowId)),
      },
    );
  return {
    options: { namespace: 'default' },
    workflow: {
      getHandle: handle,
      start: async (_: unknown, { workflowId }: { workflowId: string }) => {
        calls.push(`temporal: start ${workflowId}`);
        return handle(workflowId);
      },
      signalWithStart: async (_: unknown, { workflowId }: { workflowId: string }) => missing('signalWithStart', workflowId)(),
    },
    workflowService: { deleteWorkflowExecution: async () => calls.push('temporal: deleteWorkflowExecution') },
  } as unknown as Client;
}
