// The row-by-row work of an import from CSV, once the API has read each row with the zod schema
// of the route that makes the same thing. A record is admitted exactly like a request (limits,
// duplicates: a refusal or a duplicate is that row's result, not the import's failure); a queue
// or an organisation area is created as its POST creates it, audited. Each row's result is kept
// as it is known, and each record's id is derived from the import and the row: the same file sent
// again (after a crash, or twice) tries only the rows not done, and never makes a record twice.
import { createHash } from 'node:crypto';
import { writeAudit } from '../db/audit.js';
import { findOrgArea, findQueue, getParameters, insertOrgArea, insertQueue, type OrgArea, type Queue } from '../db/configuration.js';
import {
  findRowResults,
  saveRowResult,
  startImport,
  ROW_RESULTS,
  type CellError,
  type ImportKind,
  type ImportRow,
  type RowResult,
} from '../db/imports.js';
import { findRecord } from '../db/records.js';
import type { DuplicatePolicy } from '../domain/parameters.js';
import { newRequest, type NewRequest } from '../domain/record.js';
import { admit } from './admission.js';
import type { ServiceDeps } from './deps.js';
import { ProblemError } from './problem.js';

/** A record's row: a request without the id and creation time the import gives it. */
export type RecordInput = Omit<NewRequest, 'id' | 'createdAt'>;
/** An area's row: without a duplicate policy, the callbackDuplicatePolicy parameter's, as POST does. */
export type AreaInput = Omit<OrgArea, 'duplicatePolicy'> & { duplicatePolicy?: DuplicatePolicy | undefined };

/** One row as read: its input when it keeps the rules, its faults otherwise, or why it is skipped. */
export interface ReadRow<T> {
  row: number;
  input: T | null;
  errors: CellError[];
  skipped: string | null;
}

interface FileOf<K extends ImportKind, T> {
  kind: K;
  columns: string[];
  ignoredColumns: string[];
  rows: ReadRow<T>[];
}
export type ImportFile = FileOf<'records', RecordInput> | FileOf<'queues', Queue> | FileOf<'org-areas', AreaInput>;

/** A UUID (version 5's layout) from a SHA-256 of `name`: the same name, the same id. */
function uuidOf(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const fileSha256 = (text: string) => createHash('sha256').update(text).digest('hex');
/** The same file of the same kind is the same import, whoever sends it and however often. */
export const importIdOf = (kind: ImportKind, sha256: string) => uuidOf(`import:${kind}:${sha256}`);
/** The record a row of an import makes, the same on every run. */
export const recordIdOf = (importId: string, row: number) => uuidOf(`import-record:${importId}:${row}`);

type Result = Omit<ImportRow, 'earlier'>;
const result = (row: number, r: RowResult, more: Partial<Result> = {}): Result => ({
  row,
  result: r,
  recordId: null,
  name: null,
  problem: null,
  message: null,
  errors: [],
  ...more,
});

export function countResults(rows: readonly Pick<ImportRow, 'result'>[]): Record<RowResult, number> {
  const counts = Object.fromEntries(ROW_RESULTS.map((r) => [r, 0])) as Record<RowResult, number>;
  for (const r of rows) counts[r.result]++;
  return counts;
}

const nameOf = (file: ImportFile, input: RecordInput | Queue | AreaInput): string | null =>
  file.kind === 'records' ? null : file.kind === 'queues' ? (input as Queue).name : (input as AreaInput).id;

/**
 * The dry run: each row as it would fare, without changing anything. Besides the API's rules it
 * looks up what the rows name (a record's queue, a queue's area) and what exists already; limits and
 * duplicates are decided only when the records are admitted.
 */
export async function checkImport({ sql }: ServiceDeps, file: ImportFile): Promise<ImportRow[]> {
  const queues = new Map<string, boolean>();
  const areas = new Map<string, boolean>();
  const queueExists = async (name: string) =>
    queues.get(name) ?? (queues.set(name, (await findQueue(sql, name)) !== null), queues.get(name)!);
  const areaExists = async (id: string) => areas.get(id) ?? (areas.set(id, (await findOrgArea(sql, id)) !== null), areas.get(id)!);
  const out: ImportRow[] = [];
  for (const { row, input, errors, skipped } of file.rows) {
    if (skipped !== null) out.push({ ...result(row, 'skipped', { message: skipped }), earlier: false });
    else if (!input) out.push({ ...result(row, 'invalid', { errors }), earlier: false });
    else {
      const faults: CellError[] = [];
      if (file.kind === 'records') {
        const { queue } = input as RecordInput;
        if (!(await queueExists(queue))) faults.push({ column: 'queue', message: `no queue ${queue}` });
      } else if (file.kind === 'queues') {
        const { name, orgArea } = input as Queue;
        if (await queueExists(name)) faults.push({ column: 'name', message: `queue ${name} exists already` });
        if (!(await areaExists(orgArea))) faults.push({ column: 'orgArea', message: `no organisation area ${orgArea}` });
      } else {
        const { id } = input as AreaInput;
        if (await areaExists(id)) faults.push({ column: 'id', message: `organisation area ${id} exists already` });
      }
      const name = nameOf(file, input);
      out.push({ ...result(row, faults.length ? 'invalid' : 'valid', { name, errors: faults }), earlier: false });
    }
  }
  return out;
}

export interface ImportRun {
  id: string;
  /** false: the same file was imported before, and this run carried it on. */
  isNew: boolean;
  rows: ImportRow[];
}

/** Results kept from an earlier run that a new run does not try again: the row is done. */
const DONE: readonly RowResult[] = ['created', 'duplicate'];

/**
 * Imports the file's rows in order, keeping each row's result as soon as it is known. Stops only on
 * an outage (PostgreSQL gone): what was done is kept, and the same file sent again carries on.
 */
export async function runImport(
  deps: ServiceDeps,
  file: ImportFile,
  { actor, sha256 }: { actor: string; sha256: string },
): Promise<ImportRun> {
  const { sql } = deps;
  const id = importIdOf(file.kind, sha256);
  const isNew = await startImport(sql, {
    id,
    kind: file.kind,
    fileSha256: sha256,
    actor,
    rowCount: file.rows.length,
    columns: file.columns,
    ignoredColumns: file.ignoredColumns,
  });
  const earlier = new Map((await findRowResults(sql, id)).map((r) => [r.row, r]));
  const rows: ImportRow[] = [];
  for (const read of file.rows) {
    const before = earlier.get(read.row);
    if (before && DONE.includes(before.result)) {
      rows.push({ ...before, earlier: true });
      continue;
    }
    const done = await importRow(deps, file, read, { id, actor });
    await saveRowResult(sql, id, done);
    rows.push({ ...done, earlier: false });
  }
  return { id, isNew, rows };
}

async function importRow(
  deps: ServiceDeps,
  file: ImportFile,
  { row, input, errors, skipped }: ReadRow<RecordInput | Queue | AreaInput>,
  run: { id: string; actor: string },
): Promise<Result> {
  if (skipped !== null) return result(row, 'skipped', { message: skipped });
  if (!input) return result(row, 'invalid', { errors });
  const name = nameOf(file, input);
  try {
    if (file.kind === 'records') return await admitRow(deps, row, input as RecordInput, run.id);
    if (file.kind === 'queues') return await createQueue(deps, row, input as Queue, run);
    return await createArea(deps, row, input as AreaInput, run);
  } catch (err) {
    if (err instanceof ProblemError) {
      const { type, title, detail } = err.problem;
      return result(row, type === 'already-exists' ? 'exists' : 'refused', {
        name,
        problem: type,
        message: detail ? `${title}: ${detail}` : title,
      });
    }
    throw err;
  }
}

const UNIQUE_VIOLATION = '23505';

async function admitRow(deps: ServiceDeps, row: number, input: RecordInput, importId: string): Promise<Result> {
  const id = recordIdOf(importId, row);
  // Admitted by a run that stopped before it kept the row's result.
  if (await findRecord(deps.sql, id)) return result(row, 'created', { recordId: id });
  try {
    const { kind, record } = await admit(deps, newRequest({ ...input, id, createdAt: new Date().toISOString() }));
    // A run at the same moment admitted this very row: it is this row's record, not a duplicate.
    return result(row, kind === 'duplicate' && record.id !== id ? 'duplicate' : 'created', { recordId: record.id });
  } catch (err) {
    if ((err as { code?: string }).code === UNIQUE_VIOLATION && (await findRecord(deps.sql, id))) {
      return result(row, 'created', { recordId: id });
    }
    throw err;
  }
}

/** As POST /v1/queues: the area must exist, a queue of that name is left as it is; audited with its creation. */
async function createQueue({ sql }: ServiceDeps, row: number, queue: Queue, run: { id: string; actor: string }): Promise<Result> {
  return sql.begin(async (tx) => {
    if (!(await findOrgArea(tx, queue.orgArea))) {
      return result(row, 'refused', { name: queue.name, problem: 'unknown-org-area', message: `no organisation area ${queue.orgArea}` });
    }
    if (!(await insertQueue(tx, queue))) {
      return result(row, 'exists', { name: queue.name, problem: 'already-exists', message: `queue ${queue.name} exists` });
    }
    await writeAudit(tx, { actor: run.actor, action: 'queue-create', detail: { queue, importId: run.id, row }, result: 'ok' });
    return result(row, 'created', { name: queue.name });
  }) as Promise<Result>;
}

/** As POST /v1/org-areas: without a duplicate policy the parameter's as it is now; audited with its creation. */
async function createArea({ sql }: ServiceDeps, row: number, input: AreaInput, run: { id: string; actor: string }): Promise<Result> {
  return sql.begin(async (tx) => {
    const area: OrgArea = { ...input, duplicatePolicy: input.duplicatePolicy ?? (await getParameters(tx)).callbackDuplicatePolicy };
    if (!(await insertOrgArea(tx, area))) {
      return result(row, 'exists', { name: area.id, problem: 'already-exists', message: `organisation area ${area.id} exists` });
    }
    await writeAudit(tx, { actor: run.actor, action: 'org-area-create', detail: { area, importId: run.id, row }, result: 'ok' });
    return result(row, 'created', { name: area.id });
  }) as Promise<Result>;
}
