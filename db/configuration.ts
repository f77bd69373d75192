// Queries on organisation areas, queues and system parameters.
import type postgres from 'postgres';
import { z } from 'zod';
import { DUPLICATE_POLICIES, resolveParameters, type ParameterName, type Parameters } from '../domain/parameters.js';
import { openingHoursView } from '../domain/queue-config.js';
import { count } from '../domain/record-schema.js';
import type { Sql } from './connect.js';

type Tx = Sql | postgres.TransactionSql;

export const orgAreaSchema = z
  .strictObject({
    id: z.string().describe("The area's id, as queues and records name it."),
    name: z.string().describe("The area's display name."),
    maxActiveRecords: count()
      .nullable()
      .describe(
        'The most active records (Open, Paused, Active or Closing, whatever their calling time; records being moved there included) the area takes; null: no limit.',
      ),
    duplicatePolicy: z
      .enum(DUPLICATE_POLICIES)
      .describe(
        '`allow` duplicates; `avoid` (one active record per phone number in the area); `avoid-same-task-type` (one per number and task type).',
      ),
  })
  .describe('An organisation area.');
export type OrgArea = z.infer<typeof orgAreaSchema>;

export const queueSchema = z
  .strictObject({
    name: z.string().describe("The queue's name, as records and agents name it."),
    orgArea: z.string().describe('The organisation area the queue belongs to.'),
    timeZone: z.string().describe("The queue's IANA time zone (`Europe/Stockholm`): its opening hours are read in it."),
    openingHours: openingHoursView,
    maxActiveRecords: count()
      .nullable()
      .describe(
        'The most active records (Open, Paused, Active or Closing, whatever their calling time; records being moved there included) the queue takes; null: no limit.',
      ),
    offerTimeoutSeconds: z
      .int()
      .min(1)
      .nullable()
      .describe('How long an offer waits for an agent before it goes to another; null: the `offerTimeoutSeconds` parameter.'),
    gateSize: z
      .int()
      .min(1)
      .nullable()
      .describe(
        'How many records may be in the queue at once (offered, dialled, in a call, in wrap-up); null: the `callbackBufferMax` parameter.',
      ),
    acceptsCallbacks: z
      .boolean()
      .describe('false: requests for a callback in this queue are refused (409 `queue-not-accepting-callbacks`).'),
    wrapUpTimeoutSeconds: z
      .int()
      .min(1)
      .describe(
        "Seconds from the customer answering to the agent's feedback; without feedback by then the record counts as `agent-client-terminated` and leaves the agent.",
      ),
  })
  .describe("A queue's configuration.");
export type Queue = z.infer<typeof queueSchema>;

const AREA_COLUMNS = ['id', 'name', 'maxActiveRecords', 'duplicatePolicy'] as const satisfies readonly (keyof OrgArea)[];
const QUEUE_COLUMNS = [
  'name',
  'orgArea',
  'timeZone',
  'openingHours',
  'maxActiveRecords',
  'offerTimeoutSeconds',
  'gateSize',
  'acceptsCallbacks',
  'wrapUpTimeoutSeconds',
] as const satisfies readonly (keyof Queue)[];

export async function listOrgAreas(sql: Tx): Promise<OrgArea[]> {
  return sql<OrgArea[]>`select ${sql(AREA_COLUMNS)} from org_areas order by id`;
}

/** With `lock`, holds the area's row until the transaction ends: creations in one area queue up behind it. */
export async function findOrgArea(sql: Tx, id: string, { lock = false } = {}): Promise<OrgArea | null> {
  const [row] = await sql<OrgArea[]>`select ${sql(AREA_COLUMNS)} from org_areas where id = ${id} ${lock ? sql`for update` : sql``}`;
  return row ?? null;
}

export async function insertOrgArea(sql: Tx, a: OrgArea): Promise<boolean> {
  const rows = await sql`
    insert into org_areas (id, name, max_active_records, duplicate_policy)
    values (${a.id}, ${a.name}, ${a.maxActiveRecords}, ${a.duplicatePolicy})
    on conflict (id) do nothing returning id`;
  return rows.length === 1;
}

export async function updateOrgArea(sql: Tx, a: OrgArea): Promise<void> {
  await sql`
    update org_areas set name = ${a.name}, max_active_records = ${a.maxActiveRecords},
      duplicate_policy = ${a.duplicatePolicy}, updated_at = now()
    where id = ${a.id}`;
}

export async function listQueues(sql: Tx): Promise<Queue[]> {
  return sql<Queue[]>`select ${sql(QUEUE_COLUMNS)} from queues order by name`;
}

export async function findQueue(sql: Tx, name: string): Promise<Queue | null> {
  const [row] = await sql<Queue[]>`select ${sql(QUEUE_COLUMNS)} from queues where name = ${name}`;
  return row ?? null;
}

const writable = (sql: Tx, q: Queue) => ({ ...q, openingHours: sql.json(q.openingHours as postgres.JSONValue) });

export async function insertQueue(sql: Tx, q: Queue): Promise<boolean> {
  const rows = await sql`insert into queues ${sql(writable(sql, q), QUEUE_COLUMNS)} on conflict (name) do nothing returning name`;
  return rows.length === 1;
}

export async function updateQueue(sql: Tx, q: Queue): Promise<void> {
  const changing = QUEUE_COLUMNS.filter((c) => c !== 'name');
  await sql`update queues set ${sql(writable(sql, q), changing)}, updated_at = now() where name = ${q.name}`;
}

export async function getParameters(sql: Tx): Promise<Parameters> {
  return resolveParameters(await sql<{ name: string; value: unknown }[]>`select name, value from system_parameters`);
}

/** The value goes as JSON text: a null ("no limit") is the JSON null, not a missing value. */
export async function setParameter(sql: Tx, name: ParameterName, value: unknown): Promise<void> {
  await sql`
    insert into system_parameters (name, value) values (${name}, ${JSON.stringify(value)}::text::jsonb)
    on conflict (name) do update set value = excluded.value, updated_at = now()`;
}

/** The queue's gate size: its own, or the system's callbackBufferMax. */
export async function gateSizeOf(sql: Tx, queue: string): Promise<number> {
  const [q, params] = await Promise.all([findQueue(sql, queue), getParameters(sql)]);
  return q?.gateSize ?? params.callbackBufferMax;
}
