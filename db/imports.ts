// Imports from CSV and the result of each of their rows (migration 019). An import is kept so
// that the same file sent again carries on where it stopped, and its report can be read later.
import type postgres from 'postgres';
import { z } from 'zod';
import { count } from '../domain/record-schema.js';
import type { Sql } from './connect.js';

type Tx = Sql | postgres.TransactionSql;

export const IMPORT_KINDS = ['records', 'org-areas', 'queues'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/**
 * A row's result. `valid` only in a dry run; `created`, `duplicate` (the customer's active record
 * answered, as for a request), `exists` (a queue or area of that name), `refused` (admission said
 * no: a limit, a closed queue ...), `invalid` (the row breaks the API's rules), `skipped` (closed in
 * the exported file).
 */
export const ROW_RESULTS = ['valid', 'created', 'duplicate', 'exists', 'refused', 'invalid', 'skipped'] as const;
export type RowResult = (typeof ROW_RESULTS)[number];

export const cellError = z
  .strictObject({
    column: z.string().describe('The column (`contactData.<key>` for contact data); empty for the row as a whole.'),
    message: z.string().describe('What is wrong with it.'),
  })
  .describe('One fault of a row.');
export type CellError = z.infer<typeof cellError>;

export const importRowSchema = z
  .strictObject({
    row: z.int().min(2).describe("The row's number in the file (the header is row 1)."),
    result: z
      .enum(ROW_RESULTS)
      .describe(
        'valid (dry run: would be imported); created; duplicate (the number has an active record already and the area avoids duplicates: that record is given); exists (a queue or area of that name exists); refused (admission refused it: `problem` says why, e.g. limit-reached); invalid (`errors` names each column); skipped (Closed or Closing in an exported file).',
      ),
    recordId: z.string().nullable().describe('The record made (created) or answered (duplicate); null otherwise.'),
    name: z.string().nullable().describe('The queue or organisation area the row names (configuration imports).'),
    problem: z.string().nullable().describe('The problem type of a refusal (limit-reached, unknown-queue ...).'),
    message: z.string().nullable().describe('The refusal in words.'),
    errors: z.array(cellError).describe("An invalid row's faults, one per column."),
    earlier: z.boolean().describe('The result comes from an earlier run of the same import: the row was not tried again.'),
  })
  .describe("One row's result.");
export type ImportRow = z.infer<typeof importRowSchema>;

export const importSummarySchema = z
  .strictObject({
    id: z.string().describe("The import's id: the same file of the same kind is always the same import."),
    kind: z.enum(IMPORT_KINDS).describe('What the file holds.'),
    fileSha256: z.string().describe("The file's SHA-256, in hex."),
    createdBy: z.string().describe('Who imported it first.'),
    createdAt: z.string().describe('When it was first imported.'),
    runs: z.int().min(1).describe('How often the file was sent; each run tries the rows not done yet.'),
    lastRunAt: z.string().describe('When it was last run.'),
    lastRunBy: z.string().describe('Who ran it last.'),
    rowCount: count().describe('Rows in the file, the header not counted.'),
    columns: z.array(z.string()).describe("The file's columns."),
    ignoredColumns: z.array(z.string()).describe('Columns an import reads no value from (an export of records has status, attempts ...).'),
    counts: z.record(z.enum(ROW_RESULTS), count()).describe('Rows by result.'),
  })
  .describe('An import from CSV.');
export type ImportSummary = z.infer<typeof importSummarySchema>;

export interface NewImport {
  id: string;
  kind: ImportKind;
  fileSha256: string;
  actor: string;
  rowCount: number;
  columns: string[];
  ignoredColumns: string[];
}

/** Records the import, or a new run of it: true when it is new. */
export async function startImport(sql: Tx, i: NewImport): Promise<boolean> {
  const [row] = await sql<{ isNew: boolean }[]>`
    insert into imports (id, kind, file_sha256, created_by, last_run_by, row_count, columns, ignored_columns)
    values (${i.id}, ${i.kind}, ${i.fileSha256}, ${i.actor}, ${i.actor}, ${i.rowCount},
      ${sql.json(i.columns)}, ${sql.json(i.ignoredColumns)})
    on conflict (id) do update set runs = imports.runs + 1, last_run_at = now(), last_run_by = excluded.last_run_by
    returning (xmax = 0) as is_new`;
  return row!.isNew;
}

/** Keeps one row's result; a later run's result replaces an earlier one's. */
export async function saveRowResult(sql: Tx, importId: string, r: Omit<ImportRow, 'earlier'>): Promise<void> {
  await sql`
    insert into import_rows (import_id, row, result, record_id, name, problem, message, errors)
    values (${importId}, ${r.row}, ${r.result}, ${r.recordId}, ${r.name}, ${r.problem}, ${r.message}, ${sql.json(r.errors)})
    on conflict (import_id, row) do update set result = excluded.result, record_id = excluded.record_id,
      name = excluded.name, problem = excluded.problem, message = excluded.message, errors = excluded.errors`;
}

export async function findRowResults(sql: Tx, importId: string): Promise<Omit<ImportRow, 'earlier'>[]> {
  return sql<Omit<ImportRow, 'earlier'>[]>`
    select row, result, record_id, name, problem, message, errors from import_rows where import_id = ${importId} order by row`;
}

const SUMMARY = (sql: Tx) => sql`
  select i.id, i.kind, i.file_sha256, i.created_by, i.created_at, i.runs, i.last_run_at, i.last_run_by, i.row_count,
    i.columns, i.ignored_columns,
    coalesce((select jsonb_object_agg(result, n) from
      (select result, count(*)::int as n from import_rows r where r.import_id = i.id group by result) c), '{}') as counts
  from imports i`;

/** Every result counted, those no row has as 0. */
const withAllCounts = (i: ImportSummary): ImportSummary => ({
  ...i,
  counts: Object.fromEntries(ROW_RESULTS.map((r) => [r, i.counts[r] ?? 0])) as ImportSummary['counts'],
});

export async function findImport(sql: Tx, id: string): Promise<ImportSummary | null> {
  const [row] = await sql<ImportSummary[]>`${SUMMARY(sql)} where i.id = ${id}`;
  return row ? withAllCounts(row) : null;
}

/** Newest first. */
export async function listImports(sql: Tx, limit: number): Promise<ImportSummary[]> {
  return (await sql<ImportSummary[]>`${SUMMARY(sql)} order by i.created_at desc, i.id limit ${limit}`).map(withAllCounts);
}
