// /v1/agents: the agent directory. Administrators make, change, deactivate, import and export
// agents; an agent reads its own entry and makes personal tokens for its desktop integration.
import { randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { createApiKey } from '../db/api-keys.js';
import { writeAudit } from '../db/audit.js';
import { findAgent, listAgents, saveAgent, unknownQueues, type Agent, type AgentInput } from '../db/agents.js';
import { endSessionsOf } from '../db/people.js';
import { AUDITED, route, ROLE_SETS } from './access.js';
import { actorOf } from './actor.js';
import { auditedChange } from './audited.js';
import { createdApiKey } from './api-keys.schemas.js';
import { csvLine, parseCsv } from './csv.js';
import type { ApiDeps } from './deps.js';
import { agentFields, agentImportResult, agentList, agentView, changeAgent, createAgent, personId } from './people.schemas.js';
import { callerAgent } from './acting.js';
import { problem } from './problem.js';
import { queueName } from './schemas.js';
import { refuseUnstorable, validate } from './validate.js';

const idParam = z.object({ id: personId.describe("The agent's id") });
const listQuery = z.strictObject({
  queue: queueName.optional().describe('Only agents who serve this queue'),
  active: z.enum(['true', 'false']).optional().describe('Only active (true) or deactivated (false) agents'),
});

/** The CSV file's columns: `queues` as `queue[:priority]` and `languages` separated by `;`. */
const CSV_COLUMNS = ['id', 'displayName', 'queues', 'languages', 'address', 'email', 'active'] as const;
const MAX_IMPORT_ROWS = 5000;

const routes = {
  list: route({
    summary: 'List agents',
    roles: ROLE_SETS.admin,
    responses: { 200: { description: 'The agents, by id', schema: agentList } },
  }),
  create: route({
    summary: 'Add an agent to the directory',
    description: 'An account to sign in with is made apart (`POST /v1/people` with the same id), or at the first single sign-on.',
    roles: ROLE_SETS.admin,
    responses: { 201: { description: 'The agent as added', schema: agentView } },
    problems: ['already-exists', 'unknown-queue'],
    headers: AUDITED,
  }),
  export: route({
    summary: 'Export the directory as CSV',
    description: `Columns ${CSV_COLUMNS.join(', ')}; queues as \`queue[:priority]\` and languages separated by \`;\`. The same file imports back.`,
    roles: ROLE_SETS.admin,
    responses: { 200: { description: 'Every agent, one line each', contentType: 'text/csv' } },
  }),
  import: route({
    summary: 'Import agents from CSV',
    description:
      `Content-Type text/csv, a header line naming the columns (${CSV_COLUMNS.join(', ')}; id and displayName required, the rest ` +
      'optional). Each row adds the agent or replaces every field of the one with its id. All or nothing: one bad row refuses ' +
      `the whole file (422 invalid-csv, each bad row with its errors). At most ${MAX_IMPORT_ROWS} rows, and BODY_LIMIT_BYTES.`,
    roles: ROLE_SETS.admin,
    responses: { 200: { description: 'The agents added and replaced', schema: agentImportResult } },
    problems: ['invalid-csv', 'unsupported-media-type'],
    headers: AUDITED,
  }),
  me: route({
    summary: "The signed-in agent's own entry",
    description: "For a signed-in agent or an agent's personal token.",
    roles: ['agent'],
    responses: { 200: { description: 'The agent', schema: agentView } },
    problems: ['not-an-agent', 'not-found'],
  }),
  token: route({
    summary: "Make a personal token for the agent's desktop integration",
    description:
      'An API key with the agent role bound to this agent: whatever calls with it acts as this agent only (naming another is a 403). ' +
      'Shown once; it stops working when revoked (`DELETE /v1/api-keys/{id}`, by an administrator) or when the agent is deactivated.',
    roles: ['agent'],
    responses: { 201: { description: 'The token, with its secret', schema: createdApiKey } },
    problems: ['not-an-agent'],
  }),
  read: route({
    summary: 'Read an agent',
    roles: ROLE_SETS.admin,
    responses: { 200: { description: 'The agent', schema: agentView } },
    problems: ['not-found'],
  }),
  change: route({
    summary: 'Change an agent',
    description:
      'Only the fields given change; `queues` and `languages` are replaced as a whole. `active: false` deactivates (see DELETE).',
    roles: ROLE_SETS.admin,
    responses: { 200: { description: 'The agent as changed', schema: agentView } },
    problems: ['not-found', 'unknown-queue'],
    headers: AUDITED,
  }),
  deactivate: route({
    summary: 'Deactivate an agent',
    description: "The entry stays (the records' history names the agent); the agent's sessions end and their personal tokens stop working.",
    roles: ROLE_SETS.admin,
    responses: { 200: { description: 'The agent, deactivated', schema: agentView } },
    problems: ['not-found'],
    headers: AUDITED,
  }),
};

const unknownQueue = (names: string[]) =>
  problem('unknown-queue', `no queue ${names.join(', ')}`, { errors: [{ path: 'queues', message: `unknown queue: ${names.join(', ')}` }] });

export function agentsRouter({ sql }: ApiDeps) {
  /** Saves and audits; a deactivated agent's sessions end with it. */
  async function save(c: Context, agent: AgentInput, action: 'agent-create' | 'agent-change' | 'agent-deactivate'): Promise<Agent> {
    const actor = actorOf(c);
    const missing = await unknownQueues(
      sql,
      agent.queues.map((q) => q.queue),
    );
    if (missing.length) throw unknownQueue(missing);
    return auditedChange(
      sql,
      async (tx) => {
        if (!(await saveAgent(tx, agent, { replace: action !== 'agent-create' })))
          throw problem('already-exists', `agent ${agent.id} exists`);
        if (!agent.active) await endSessionsOf(tx, agent.id);
        return (await findAgent(tx, agent.id))!;
      },
      (saved) => ({ actor, action, detail: { agent: saved } }),
    ).catch((err: unknown) => {
      // Two requests for one id (or email) at once: the unique index decides.
      if ((err as { code?: string }).code === '23505') throw problem('already-exists', `an agent with this id or email exists`);
      // A queue gone between the check and the insert.
      if ((err as { code?: string }).code === '23503') throw unknownQueue(agent.queues.map((q) => q.queue));
      throw err;
    });
  }

  async function existing(id: string): Promise<Agent> {
    const agent = await findAgent(sql, id);
    if (!agent) throw problem('not-found', 'no agent with this id');
    return agent;
  }

  return new Hono()
    .get('/', routes.list, validate('query', listQuery), async (c) => {
      const { queue, active } = c.req.valid('query');
      return c.json({ items: await listAgents(sql, { queue, active: active === undefined ? undefined : active === 'true' }) });
    })

    .post('/', routes.create, validate('json', createAgent), async (c) => {
      const agent = await save(c, c.req.valid('json'), 'agent-create');
      c.header('location', `/v1/agents/${agent.id}`);
      return c.json(agent, 201);
    })

    .get('/export.csv', routes.export, async (c) => {
      const agents = await listAgents(sql);
      const lines = agents.map((a) =>
        csvLine([
          a.id,
          a.displayName,
          a.queues.map((q) => (q.priority === null ? q.queue : `${q.queue}:${q.priority}`)).join(';'),
          a.languages.join(';'),
          a.address,
          a.email,
          a.active,
        ]),
      );
      return c.body(`\uFEFF${csvLine(CSV_COLUMNS)}${lines.join('')}`, 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="agents-${new Date().toISOString().slice(0, 10)}.csv"`,
      });
    })

    .post('/import', routes.import, async (c) => {
      const actor = actorOf(c);
      const mediaType = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
      if (mediaType !== 'text/csv') {
        throw problem('unsupported-media-type', `the agents' file must be sent as text/csv, not ${mediaType || 'undeclared'}`);
      }
      const agents = readAgentsCsv(await c.req.text());
      const missing = await unknownQueues(
        sql,
        agents.flatMap(({ agent }) => agent.queues.map((q) => q.queue)),
      );
      if (missing.length) {
        const rows = agents
          .filter(({ agent }) => agent.queues.some((q) => missing.includes(q.queue)))
          .map(({ row, agent }) => ({
            row,
            errors: [
              {
                path: 'queues',
                message: `unknown queue: ${agent.queues
                  .filter((q) => missing.includes(q.queue))
                  .map((q) => q.queue)
                  .join(', ')}`,
              },
            ],
          }));
        throw problem('invalid-csv', 'the file is refused: rows name unknown queues', { rows });
      }
      const result = await auditedChange(
        sql,
        async (tx) => {
          const known = new Set(
            (await tx<{ id: string }[]>`select id from agents where id = any(${agents.map((a) => a.agent.id)}) for update`).map(
              (r) => r.id,
            ),
          );
          for (const { agent } of agents) {
            await saveAgent(tx, agent, { replace: true });
            if (!agent.active) await endSessionsOf(tx, agent.id);
          }
          return {
            created: agents.filter((a) => !known.has(a.agent.id)).map((a) => a.agent.id),
            updated: agents.filter((a) => known.has(a.agent.id)).map((a) => a.agent.id),
          };
        },
        (r) => ({ actor, action: 'agent-import', detail: r }),
      ).catch((err: unknown) => {
        if ((err as { code?: string }).code === '23505')
          throw problem('invalid-csv', 'the file is refused: an email belongs to another agent already', { rows: [] });
        throw err;
      });
      return c.json(result);
    })

    .get('/me', routes.me, async (c) => c.json(await existing(callerAgent(c))))

    .post('/me/tokens', routes.token, async (c) => {
      const agentId = callerAgent(c);
      await existing(agentId);
      const name = `token.${agentId.replace(/[^\w.-]/g, '_').slice(0, 40)}.${randomBytes(4).toString('hex')}`;
      const made = await sql.begin(async (tx) => {
        const key = await createApiKey(tx, { name, role: 'agent', agentId, createdBy: actorOf(c) });
        await writeAudit(tx, { actor: actorOf(c), action: 'agent-token-create', detail: { id: key.id, name, agentId }, result: 'ok' });
        return key;
      });
      c.header('location', `/v1/api-keys/${made.id}`);
      return c.json(made, 201);
    })

    .get('/:id', routes.read, validate('param', idParam), async (c) => c.json(await existing(c.req.valid('param').id)))

    .patch('/:id', routes.change, validate('param', idParam), validate('json', changeAgent), async (c) => {
      const agent = await existing(c.req.valid('param').id);
      const { createdAt: _c, updatedAt: _u, ...fields } = agent;
      const changes = c.req.valid('json');
      const queues = changes.queues?.map((q) => ({ queue: q.queue, priority: q.priority ?? null }));
      return c.json(await save(c, { ...fields, ...changes, ...(queues ? { queues } : {}) }, 'agent-change'));
    })

    .delete('/:id', routes.deactivate, validate('param', idParam), async (c) => {
      const { createdAt: _c, updatedAt: _u, ...fields } = await existing(c.req.valid('param').id);
      return c.json(await save(c, { ...fields, active: false }, 'agent-deactivate'));
    });
}

const csvRow = z.strictObject({
  id: createAgent.shape.id,
  displayName: createAgent.shape.displayName,
  queues: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(';')
        .map((x) => x.trim())
        .filter(Boolean)
        .map((q): { queue: string; priority?: number | null } => {
          const [queue, priority] = q.split(':');
          return { queue: queue!, priority: priority === undefined ? null : /^\d{1,2}$/.test(priority) ? Number(priority) : -1 };
        }),
    )
    .pipe(agentFields.queues),
  languages: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(';')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(agentFields.languages),
  address: z
    .string()
    .default('')
    .transform((s) => s.trim() || null)
    .pipe(agentFields.address),
  email: z
    .string()
    .default('')
    .transform((s) => s.trim() || null)
    .pipe(agentFields.email),
  active: z
    .string()
    .default('true')
    .transform((s) => s.trim().toLowerCase() || 'true')
    .pipe(z.enum(['true', 'false'], 'true or false'))
    .transform((s) => s === 'true'),
});

/** Every row as an agent, or a 422 naming every bad row (the header is row 1). */
function readAgentsCsv(text: string): { row: number; agent: AgentInput }[] {
  const refuse = (title: string, rows: { row: number; errors: { path: string; message: string }[] }[]) =>
    problem('invalid-csv', title, { rows });
  const table = parseCsv(text);
  if (!table) throw refuse('the file is not CSV: a quote is never closed', []);
  refuseUnstorable(table, 'CSV file');
  const [header, ...lines] = table;
  if (!header) throw refuse('the file is empty: it needs a header line', []);
  const columns = header.map((h) => h.trim());
  const unknown = columns.filter((h) => !(CSV_COLUMNS as readonly string[]).includes(h));
  const twice = columns.filter((h, i) => columns.indexOf(h) !== i);
  const lacking = (['id', 'displayName'] as const).filter((h) => !columns.includes(h));
  if (unknown.length || twice.length || lacking.length) {
    const message = [
      unknown.length ? `unknown columns ${unknown.join(', ')}` : '',
      twice.length ? `columns named twice ${twice.join(', ')}` : '',
      lacking.length ? `missing columns ${lacking.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    throw refuse(`the header is refused: ${message}`, [
      { row: 1, errors: [{ path: '', message: `${message} (columns: ${CSV_COLUMNS.join(', ')})` }] },
    ]);
  }
  if (lines.length > MAX_IMPORT_ROWS) throw refuse(`more than ${MAX_IMPORT_ROWS} rows: split the file`, []);
  const bad: { row: number; errors: { path: string; message: string }[] }[] = [];
  const agents: { row: number; agent: AgentInput }[] = [];
  const seen = new Map<string, number>();
  lines.forEach((cells, i) => {
    const row = i + 2;
    if (cells.length === 1 && cells[0]!.trim() === '') return;
    if (cells.length !== columns.length) {
      bad.push({ row, errors: [{ path: '', message: `${cells.length} cells where the header has ${columns.length}` }] });
      return;
    }
    const parsed = csvRow.safeParse(Object.fromEntries(columns.map((h, j) => [h, cells[j]!])));
    if (!parsed.success) {
      bad.push({ row, errors: parsed.error.issues.map((e) => ({ path: e.path.join('.'), message: e.message })) });
      return;
    }
    const first = seen.get(parsed.data.id);
    if (first !== undefined) {
      bad.push({ row, errors: [{ path: 'id', message: `agent ${parsed.data.id} is in row ${first} already` }] });
      return;
    }
    seen.set(parsed.data.id, row);
    agents.push({ row, agent: parsed.data });
  });
  if (bad.length) throw refuse(`the file is refused: ${bad.length} bad row${bad.length === 1 ? '' : 's'}, nothing was imported`, bad);
  return agents;
}
