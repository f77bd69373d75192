// Reads an import's CSV file into rows, each checked with the zod schema of the route that makes
// the same thing (POST /v1/callbacks, /v1/queues, /v1/org-areas) and the same further checks
// (phone numbers, times): one set of rules, wherever a record or a queue comes from. A cell is
// text; columns that take a number, true/false or a week of opening hours are read as such first,
// and an empty cell is a value left out (the route's default applies).
import { type z, type ZodType } from 'zod';
import type { CellError, ImportKind } from '../db/imports.js';
import { WEEKDAYS } from '../domain/queue-config.js';
import type { AreaInput, ImportFile, ReadRow, RecordInput } from '../services/imports.js';
import type { Queue } from '../db/configuration.js';
import { parseCsv } from './csv.js';
import { createArea } from './org-areas.js';
import { problem, ProblemError } from './problem.js';
import { createQueue } from './queues.js';
import { checkRequestTimes, phoneOrProblem } from './request-checks.js';
import { createCallback } from './schemas.js';
import { refuseUnstorable } from './validate.js';

/** More rows than this are refused: an import is one request, answered when every row is done. */
export const MAX_IMPORT_ROWS = 2000;

type Read = { value: unknown } | { error: string };
type CellReader = (cell: string) => Read;

const int: CellReader = (s) => (/^-?\d{1,10}$/.test(s) ? { value: Number(s) } : { error: 'a whole number' });
const bool: CellReader = (s) => (/^(true|false)$/i.test(s) ? { value: s.toLowerCase() === 'true' } : { error: 'true or false' });

/**
 * A week of opening hours: the API's JSON (`{"monday":[{"from":"08:00","to":"17:00"}]}`), or
 * `monday=08:00-12:00,13:00-17:00;saturday=10:00-14:00`, where a day may be a range
 * (`monday-friday=08:00-17:00`). The API's schema then checks the clocks and overlaps.
 */
export const week: CellReader = (s) => {
  if (s.startsWith('{')) {
    try {
      return { value: JSON.parse(s) as unknown };
    } catch {
      return { error: 'not valid JSON' };
    }
  }
  const hours: Record<string, { from: string; to: string }[]> = {};
  const shape = 'days as monday=08:00-17:00;tuesday=08:00-12:00,13:00-17:00 (or monday-friday=...), or JSON';
  for (const part of s
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [, days, periods] = /^([a-z]+(?:-[a-z]+)?)\s*=\s*(.*)$/i.exec(part) ?? [];
    if (!days || periods === undefined) return { error: shape };
    const [first, last = first] = days.toLowerCase().split('-') as [string, string?];
    const from = WEEKDAYS.indexOf(first as (typeof WEEKDAYS)[number]);
    const to = WEEKDAYS.indexOf(last as (typeof WEEKDAYS)[number]);
    if (from < 0 || to < from) return { error: `${days}: a weekday (monday ... sunday) or a range of them` };
    const list: { from: string; to: string }[] = [];
    for (const p of periods
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean)) {
      const m = /^(\S+)\s*-\s*(\S+)$/.exec(p);
      if (!m) return { error: shape };
      list.push({ from: m[1]!, to: m[2]! });
    }
    for (const day of WEEKDAYS.slice(from, to + 1)) hours[day] = [...(hours[day] ?? []), ...list];
  }
  return { value: hours };
};

interface KindSpec<T> {
  /** The schema of the route's body. */
  schema: ZodType;
  /** Its columns; `contactData.<key>` columns besides, where the spec allows them. */
  columns: readonly string[];
  readers: Record<string, CellReader>;
  /** Columns an export of ours has that an import reads no value from. */
  ignored: readonly string[];
  /** Values a row gets when it has none: an import is an administrator's, not a channel's. */
  defaults: (actor: string) => Record<string, unknown>;
  contactData: boolean;
  /** What zod alone cannot check; throws the API's problem for a bad value. */
  finish: (parsed: never, ctx: ReadContext) => T;
  /** Names a row by what must be unique in the file, if anything. */
  key?: { column: string; of(input: T): string };
  /** A row a file exported from another system holds but that should not come back (a closed record). */
  skip?: (cells: Record<string, string>) => string | null;
}

export interface ReadContext {
  defaultCountry: string;
  actor: string;
}

/** The columns of our export (GET /v1/callbacks/export.csv) that describe a record's life, not the request. */
const EXPORT_ONLY = [
  'id',
  'status',
  'stage',
  'closeReason',
  'orgArea',
  'createdAt',
  'dueAt',
  'attempts',
  'latestOutcome',
  'latestAgent',
  'latestCallAt',
  'closedAt',
] as const;

const records: KindSpec<RecordInput> = {
  schema: createCallback,
  columns: Object.keys(createCallback.shape).filter((k) => k !== 'contactData'),
  readers: { priority: int },
  ignored: EXPORT_ONLY,
  defaults: (actor) => ({ channel: 'admin', createdBy: actor }),
  contactData: true,
  finish: (body: z.infer<typeof createCallback>, { defaultCountry }) => {
    // Every fault of the row, not only the first the API would stop at.
    const faults: unknown[] = [];
    const attempt = <V>(check: () => V): V | undefined => {
      try {
        return check();
      } catch (err) {
        if (!(err instanceof ProblemError)) throw err;
        faults.push(...((err.problem.errors as unknown[] | undefined) ?? []));
        return undefined;
      }
    };
    const phone = attempt(() => phoneOrProblem(body.phone, defaultCountry, 'phone'));
    const ani = body.ani ? attempt(() => phoneOrProblem(body.ani!, defaultCountry, 'ani')) : null;
    attempt(() => checkRequestTimes(body));
    if (faults.length || phone === undefined || ani === undefined) {
      throw problem('validation-error', 'invalid row', { errors: faults });
    }
    return {
      ...body,
      phone,
      ani,
      createdBy: body.createdBy ?? body.channel,
      requestedAt: body.requestedAt ? new Date(body.requestedAt).toISOString() : null,
      validUntil: body.validUntil ? new Date(body.validUntil).toISOString() : null,
      taskType: body.taskType ?? null,
      customerId: body.customerId ?? null,
      comment: body.comment ?? null,
      language: body.language ?? null,
      waitingListOf: body.waitingListOf ?? null,
    };
  },
  skip: (cells) =>
    cells.status === 'Closed' || cells.status === 'Closing'
      ? `${cells.status} in the exported file: a closed record is not imported`
      : null,
};

const queues: KindSpec<Queue> = {
  schema: createQueue,
  columns: Object.keys(createQueue.shape),
  readers: {
    openingHours: week,
    maxActiveRecords: int,
    offerTimeoutSeconds: int,
    gateSize: int,
    wrapUpTimeoutSeconds: int,
    acceptsCallbacks: bool,
  },
  ignored: [],
  defaults: () => ({}),
  contactData: false,
  finish: (queue: Queue) => queue,
  key: { column: 'name', of: (q) => q.name },
};

const orgAreas: KindSpec<AreaInput> = {
  schema: createArea,
  columns: Object.keys(createArea.shape),
  readers: { maxActiveRecords: int },
  ignored: [],
  defaults: () => ({}),
  contactData: false,
  finish: (area: AreaInput) => area,
  key: { column: 'id', of: (a) => a.id },
};

const SPECS = { records, queues, 'org-areas': orgAreas } as const;

/** The columns a kind reads, those it must have, and those it ignores: for the API's description and the screen. */
export function columnsOf(kind: ImportKind) {
  const spec: KindSpec<unknown> = SPECS[kind];
  const shape = (spec.schema as z.ZodObject).shape as Record<string, ZodType>;
  const defaults = spec.defaults('');
  const required = spec.columns.filter((c) => !(c in defaults) && !shape[c]!.safeParse(undefined).success);
  return { columns: spec.columns, required, ignored: spec.ignored, contactData: spec.contactData };
}

const CONTACT_DATA = /^contactData\.(.+)$/;

/**
 * The file's rows, each with its input or its faults. The file as a whole is refused (422
 * invalid-csv) when it is not CSV, has no header or no rows, its header names a column twice, one
 * the kind does not know, or lacks one it needs, or it has more than MAX_IMPORT_ROWS rows.
 */
export function readImportFile(kind: ImportKind, text: string, ctx: ReadContext): ImportFile {
  const spec: KindSpec<unknown> = SPECS[kind];
  const refuse = (title: string, message = title) => problem('invalid-csv', title, { rows: [{ row: 1, errors: [{ path: '', message }] }] });
  const table = parseCsv(text);
  if (!table) throw problem('invalid-csv', 'the file is not CSV: a quote is never closed', { rows: [] });
  refuseUnstorable(table, 'CSV file');
  const [header, ...lines] = table;
  if (!header || header.every((h) => h.trim() === ''))
    throw problem('invalid-csv', 'the file is empty: it needs a header line', { rows: [] });
  const columns = header.map((h) => h.trim());
  const { required } = columnsOf(kind);
  const known = (c: string) => spec.columns.includes(c) || spec.ignored.includes(c) || (spec.contactData && CONTACT_DATA.test(c));
  const unknown = columns.filter((c) => !known(c));
  const twice = columns.filter((c, i) => columns.indexOf(c) !== i);
  const lacking = required.filter((c) => !columns.includes(c));
  if (unknown.length || twice.length || lacking.length) {
    const message = [
      unknown.length ? `unknown columns ${unknown.join(', ')}` : '',
      twice.length ? `columns named twice ${twice.join(', ')}` : '',
      lacking.length ? `missing columns ${lacking.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    throw refuse(`the header is refused: ${message}`, `${message} (a ${kind} file has the columns ${spec.columns.join(', ')})`);
  }
  const rowsGiven = lines.filter((cells) => !(cells.length === 1 && cells[0]!.trim() === ''));
  if (rowsGiven.length === 0) throw refuse('the file has a header but no rows');
  if (rowsGiven.length > MAX_IMPORT_ROWS) throw refuse(`more than ${MAX_IMPORT_ROWS} rows: split the file`);

  const seen = new Map<string, number>();
  const rows: ReadRow<unknown>[] = [];
  lines.forEach((cells, i) => {
    const row = i + 2;
    if (cells.length === 1 && cells[0]!.trim() === '') return;
    const read = readRow(spec, columns, cells, row, ctx);
    if (read.input !== null && spec.key) {
      const key = spec.key.of(read.input);
      const first = seen.get(key);
      if (first !== undefined) {
        rows.push({ ...read, input: null, errors: [{ column: spec.key.column, message: `${key} is in row ${first} already` }] });
        return;
      }
      seen.set(key, row);
    }
    rows.push(read);
  });
  return { kind, columns, ignoredColumns: columns.filter((c) => spec.ignored.includes(c)), rows } as ImportFile;
}

function readRow(spec: KindSpec<unknown>, columns: string[], cells: string[], row: number, ctx: ReadContext): ReadRow<unknown> {
  const invalid = (errors: CellError[]): ReadRow<unknown> => ({ row, input: null, errors, skipped: null });
  if (cells.length !== columns.length) {
    return invalid([{ column: '', message: `${cells.length} cells where the header has ${columns.length}` }]);
  }
  const byColumn = Object.fromEntries(columns.map((c, j) => [c, cells[j]!.trim()]));
  const skipped = spec.skip?.(byColumn) ?? null;
  if (skipped !== null) return { row, input: null, errors: [], skipped };

  const body: Record<string, unknown> = { ...spec.defaults(ctx.actor) };
  const contactData: Record<string, string> = {};
  const errors: CellError[] = [];
  for (const [column, cell] of Object.entries(byColumn)) {
    if (cell === '' || spec.ignored.includes(column)) continue;
    const key = CONTACT_DATA.exec(column)?.[1];
    if (key !== undefined) {
      contactData[key] = cell;
      continue;
    }
    const read = (spec.readers[column] ?? ((s: string): Read => ({ value: s })))(cell);
    if ('error' in read) errors.push({ column, message: read.error });
    else body[column] = read.value;
  }
  if (spec.contactData && Object.keys(contactData).length) body.contactData = contactData;
  const parsed = spec.schema.safeParse(body);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [first, second] = issue.path.map(String);
      const column = first === 'contactData' && second !== undefined ? `contactData.${second}` : (first ?? '');
      // A column whose cell could not be read is said once, as it was read.
      if (!errors.some((e) => e.column === column)) errors.push({ column, message: issue.message });
    }
  }
  if (errors.length) return invalid(errors);
  try {
    return { row, input: spec.finish(parsed.data as never, ctx), errors: [], skipped: null };
  } catch (err) {
    if (!(err instanceof ProblemError)) throw err;
    const faults = (err.problem.errors as { path: string; message: string }[] | undefined) ?? [{ path: '', message: err.problem.title }];
    return invalid(faults.map((e) => ({ column: e.path, message: e.message })));
  }
}
