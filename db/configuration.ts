// Queries on organisation areas, queues and system parameters.
import type postgres from 'postgres';
import { resolveParameters, type DuplicatePolicy, type ParameterName, type Parameters } from '../domain/parameters.js';
import type { OpeningHours } from '../domain/queue-config.js';
import type { Sql } from './connect.js';

type Tx = Sql | postgres.TransactionSql;

export interface OrgArea {
  id: string;
  name: string;
  maxActiveRecords: number | null;
  duplicatePolicy: DuplicatePolicy;
}

export interface Queue {
  name: string;
  orgArea: string;
  timeZone: string;
  openingHours: OpeningHours;
  maxActiveRecords: number | null;
  /** null: the offerTimeoutSeconds parameter. */
  offerTimeoutSeconds: number | null;
  /** null: the callbackBufferMax parameter. */
  gateSize: number | null;
  acceptsCallbacks: boolean;
  /** From the customer answering to the agent's feedback; then the record counts as agent-client-terminated. */
  wrapUpTimeoutSeconds: number;
}

const areaColumns = (sql: Tx) => sql`id, name, max_active_records as "maxActiveRecords", duplicate_policy as "duplicatePolicy"`;
const queueColumns = (sql: Tx) => sql`
  name, org_area as "orgArea", time_zone as "timeZone", opening_hours as "openingHours",
  max_active_records as "maxActiveRecords", offer_timeout_seconds as "offerTimeoutSeconds",
  gate_size as "gateSize", accepts_callbacks as "acceptsCallbacks", wrap_up_timeout_seconds as "wrapUpTimeoutSeconds"`;

export async function listOrgAreas(sql: Tx): Promise<OrgArea[]> {
  return sql<OrgArea[]>`select ${areaColumns(sql)} from org_areas order by id`;
}

/** With `lock`, holds the area's row until the transaction ends: creations in one area queue up behind it. */
export async function findOrgArea(sql: Tx, id: string, { lock = false } = {}): Promise<OrgArea | null> {
  const [row] = await sql<OrgArea[]>`select ${areaColumns(sql)} from org_areas where id = ${id} ${lock ? sql`for update` : sql``}`;
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
  return sql<Queue[]>`select ${queueColumns(sql)} from queues order by name`;
}

export async function findQueue(sql: Tx, name: string): Promise<Queue | null> {
  const [row] = await sql<Queue[]>`select ${queueColumns(sql)} from queues where name = ${name}`;
  return row ?? null;
}

function queueRow(sql: Tx, q: Queue) {
  return {
    name: q.name,
    org_area: q.orgArea,
    time_zone: q.timeZone,
    opening_hours: sql.json(q.openingHours as postgres.JSONValue),
    max_active_records: q.maxActiveRecords,
    offer_timeout_seconds: q.offerTimeoutSeconds,
    gate_size: q.gateSize,
    accepts_callbacks: q.acceptsCallbacks,
    wrap_up_timeout_seconds: q.wrapUpTimeoutSeconds,
  };
}

export async function insertQueue(sql: Tx, q: Queue): Promise<boolean> {
  const rows = await sql`insert into queues ${sql(queueRow(sql, q))} on conflict (name) do nothing returning name`;
  return rows.length === 1;
}

export async function updateQueue(sql: Tx, q: Queue): Promise<void> {
  const { name, ...changes } = queueRow(sql, q);
  await sql`update queues set ${sql(changes)}, updated_at = now() where name = ${name}`;
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
