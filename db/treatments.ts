// Queries on the treatment sets: an organisation area's standard set and a queue's exception to
// it. Every set read passes through completeTreatment, so that what is shown is what applies.
import type postgres from 'postgres';
import { z } from 'zod';
import { utcInstant } from '../domain/record-schema.js';
import { treatmentSchema } from '../domain/treatment-schema.js';
import { completeTreatment, type Treatment } from '../domain/treatment.js';
import type { Sql } from './connect.js';

type Tx = Sql | postgres.TransactionSql;

export const TREATMENT_SCOPES = ['org-area', 'queue'] as const;
export type TreatmentScope = (typeof TREATMENT_SCOPES)[number];

export const storedTreatmentSchema = z
  .strictObject({
    scope: z.enum(TREATMENT_SCOPES).describe("`org-area`: an area's standard set; `queue`: a queue's exception to it."),
    name: z.string().describe("The organisation area's id, or the queue's name."),
    treatment: treatmentSchema,
    updatedBy: z.string().describe('Who last stored it, as the audit log names them.'),
    updatedAt: utcInstant().describe('When it was last stored.'),
  })
  .describe('A treatment set stored for an area or a queue.');
export type StoredTreatment = z.infer<typeof storedTreatmentSchema>;

/** The set that applies: the queue's exception, its area's standard, or the product's defaults. */
export const effectiveTreatmentSchema = z
  .discriminatedUnion('source', [
    z.strictObject({
      treatment: treatmentSchema,
      source: z
        .enum(TREATMENT_SCOPES)
        .describe("Where the set comes from: the queue's exception (`queue`) or its area's standard (`org-area`)."),
      updatedBy: storedTreatmentSchema.shape.updatedBy,
      updatedAt: storedTreatmentSchema.shape.updatedAt,
    }),
    z.strictObject({
      treatment: treatmentSchema,
      source: z.literal('default').describe("No set is stored for the queue or its area: the product's defaults apply."),
      updatedBy: z.null().describe("Null: the defaults are nobody's change."),
      updatedAt: z.null().describe('Null for the defaults.'),
    }),
  ])
  .describe('The treatment set that applies to an area or a queue, and where it comes from.');
export type EffectiveTreatment = z.infer<typeof effectiveTreatmentSchema>;

/** A set as stored: only what was set, the rest is the defaults. */
type Row = Omit<StoredTreatment, 'treatment'> & { treatment: Partial<Treatment> };

const columns = (sql: Tx) => sql`scope, name, treatment, updated_by, updated_at`;

const stored = (r: Row): StoredTreatment => ({ ...r, treatment: completeTreatment(r.treatment) });

const effective = (r: Row | undefined): EffectiveTreatment =>
  r
    ? { treatment: completeTreatment(r.treatment), source: r.scope, updatedBy: r.updatedBy, updatedAt: r.updatedAt }
    : { treatment: completeTreatment({}), source: 'default', updatedBy: null, updatedAt: null };

export async function listTreatments(sql: Tx): Promise<StoredTreatment[]> {
  const rows = await sql<Row[]>`select ${columns(sql)} from treatments order by scope, name`;
  return rows.map(stored);
}

/** The set stored for exactly this area or queue, without falling back to anything. */
export async function findTreatment(sql: Tx, scope: TreatmentScope, name: string): Promise<StoredTreatment | null> {
  const [row] = await sql<Row[]>`select ${columns(sql)} from treatments where scope = ${scope} and name = ${name}`;
  return row ? stored(row) : null;
}

export async function upsertTreatment(
  sql: Tx,
  t: { scope: TreatmentScope; name: string; treatment: Treatment; updatedBy: string },
): Promise<StoredTreatment> {
  const [row] = await sql<Row[]>`
    insert into treatments (scope, name, treatment, updated_by)
    values (${t.scope}, ${t.name}, ${sql.json(t.treatment as unknown as postgres.JSONValue)}, ${t.updatedBy})
    on conflict (scope, name) do update
      set treatment = excluded.treatment, updated_by = excluded.updated_by, updated_at = now()
    returning ${columns(sql)}`;
  return stored(row!);
}

/** Removes the stored set and returns it (null when there was none). */
export async function deleteTreatment(sql: Tx, scope: TreatmentScope, name: string): Promise<StoredTreatment | null> {
  const [row] = await sql<Row[]>`delete from treatments where scope = ${scope} and name = ${name} returning ${columns(sql)}`;
  return row ? stored(row) : null;
}

/**
 * The set that applies to a queue, in one read: the queue's own exception if stored, else its
 * area's standard set, else the defaults (also for a queue that does not exist).
 */
async function queueTreatmentRow(sql: Tx, queue: string): Promise<Row | undefined> {
  const [row] = await sql<Row[]>`
    select ${columns(sql)} from treatments
    where (scope = 'queue' and name = ${queue})
       or (scope = 'org-area' and name = (select org_area from queues where name = ${queue}))
    order by scope = 'queue' desc
    limit 1`;
  return row;
}

/** The treatment a record in `queue` is decided by, read afresh at every decision. */
export async function treatmentFor(sql: Tx, queue: string): Promise<Treatment> {
  return effective(await queueTreatmentRow(sql, queue)).treatment;
}

/** The set that applies to a queue or to an area, and where it comes from. */
export async function effectiveTreatment(sql: Tx, of: { queue: string } | { orgArea: string }): Promise<EffectiveTreatment> {
  if ('queue' in of) return effective(await queueTreatmentRow(sql, of.queue));
  const [row] = await sql<Row[]>`select ${columns(sql)} from treatments where scope = 'org-area' and name = ${of.orgArea}`;
  return effective(row);
}
