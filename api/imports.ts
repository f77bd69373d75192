// /v1/imports: records and configuration from CSV files, for a centre moving from another system.
// A dry run reports every row as it would fare and changes nothing; the import admits each record
// like a request and creates each queue or area like its POST, and keeps each row's result, which
// can be read again and downloaded as CSV. The same file sent again is the same import: it tries
// only the rows not done yet (services/imports.ts).
import { Hono } from 'hono';
import { z } from 'zod';
import { writeAudit } from '../db/audit.js';
import { findImport, findRowResults, IMPORT_KINDS, listImports, type ImportKind, type ImportRow } from '../db/imports.js';
import { checkImport, countResults, fileSha256, runImport } from '../services/imports.js';
import { AUDITED, route, ROLE_SETS } from './access.js';
import { actorOf } from './actor.js';
import { csvLine } from './csv.js';
import type { ApiDeps } from './deps.js';
import { columnsOf, MAX_IMPORT_ROWS, readImportFile } from './import-rows.js';
import { importList, importReport } from './imports.schemas.js';
import { problem, ProblemError } from './problem.js';
import { queryInt } from './schemas.js';
import { validate } from './validate.js';

const postQuery = z.strictObject({
  kind: z.enum(IMPORT_KINDS).describe('What the file holds: records, queues or org-areas'),
  dryRun: z
    .enum(['true', 'false'])
    .default('false')
    .describe('true: check every row and say how many would be imported, changing nothing')
    .transform((v) => v === 'true'),
});
const listQuery = z.strictObject({ limit: queryInt(1, 200).default(50).describe('Imports listed, newest first') });
const idParam = z.object({ id: z.uuid().describe("The import's id") });

const describeColumns = (kind: ImportKind) => {
  const { columns, required, ignored, contactData } = columnsOf(kind);
  return (
    `**${kind}**: ${columns.join(', ')}${contactData ? ', and `contactData.<key>` columns' : ''} (required: ${required.join(', ')})` +
    (ignored.length ? `; ignored, as in our export: ${ignored.join(', ')}` : '')
  );
};

const REPORT_COLUMNS = ['row', 'result', 'recordId', 'name', 'problem', 'message', 'errors'] as const;

const routes = {
  import: route({
    summary: 'Import records or configuration from CSV',
    description:
      'The body is the file, `Content-Type: text/csv` (UTF-8; RFC 4180: quoted cells, doubled quotes, CRLF or LF, a byte-order mark), ' +
      'a header line naming the columns, in any order; an empty cell leaves the value out. The columns are the fields of the ' +
      "resource's POST body and each row is checked with the same rules: " +
      `${IMPORT_KINDS.map(describeColumns).join('; ')}. ` +
      'A record without `channel` is `admin`, made by the importing administrator; a file exported by GET /v1/callbacks/export.csv ' +
      'imports as it is, its Closed and Closing records skipped. Queues take numbers as digits, `acceptsCallbacks` as true or false, ' +
      '`openingHours` as `monday-friday=08:00-17:00;saturday=10:00-14:00` or as the JSON of the API. ' +
      '\n\nWith `dryRun=true`: 200 and every row as it would fare (valid or invalid, each fault with its column), nothing changed; ' +
      "besides the body's rules it looks up what a row names (a record's queue, a queue's area) and what exists already, while " +
      'limits and duplicates are decided only by the import. ' +
      'Without: each valid row is imported in file order (a record admitted like a request, so a limit or a duplicate is that ' +
      "row's result; a queue or area created and audited as its POST does), 201 with the report. The import's id comes from " +
      'the kind and the bytes of the file: the same file sent again (after a crash, or twice) answers 200 and tries only the rows ' +
      `not done yet; a record is never made twice. At most ${MAX_IMPORT_ROWS} rows and BODY_LIMIT_BYTES (413).`,
    roles: ROLE_SETS.admin,
    responses: {
      201: { description: 'Imported: the report', schema: importReport },
      200: { description: 'A dry run, or the same file again: the report', schema: importReport },
    },
    problems: ['invalid-csv', 'unsupported-media-type', 'validation-error'],
    headers: AUDITED,
  }),
  list: route({
    summary: 'List imports',
    roles: ROLE_SETS.admin,
    responses: { 200: { description: 'The imports, newest first, with their counts', schema: importList } },
  }),
  read: route({
    summary: "Read an import's report",
    roles: ROLE_SETS.admin,
    responses: { 200: { description: 'The import and each row as it stands', schema: importReport } },
    problems: ['not-found'],
  }),
  report: route({
    summary: "Download an import's report as CSV",
    description: `Columns ${REPORT_COLUMNS.join(', ')}; errors as \`column: message\` separated by \`; \`.`,
    roles: ROLE_SETS.admin,
    responses: { 200: { description: 'One line per row of the file', contentType: 'text/csv' } },
    problems: ['not-found'],
  }),
};

export function importsRouter(deps: ApiDeps) {
  const { sql, defaultCountry } = deps;

  async function existing(id: string) {
    const found = await findImport(sql, id);
    if (!found) throw problem('not-found', 'no import with this id');
    return found;
  }

  return new Hono()
    .post('/', routes.import, validate('query', postQuery), async (c) => {
      const actor = actorOf(c);
      const { kind, dryRun } = c.req.valid('query');
      const mediaType = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
      if (mediaType !== 'text/csv')
        throw problem('unsupported-media-type', `the file must be sent as text/csv, not ${mediaType || 'undeclared'}`);
      const text = await c.req.text();
      const sha256 = fileSha256(text);
      const file = readImportFile(kind, text, { defaultCountry, actor });
      const base = { kind, rowCount: file.rows.length, columns: file.columns, ignoredColumns: file.ignoredColumns };

      if (dryRun) {
        const rows = await checkImport(deps, file);
        const counts = countResults(rows);
        await writeAudit(sql, { actor, action: 'import-check', detail: { kind, fileSha256: sha256, counts }, result: 'ok' });
        return c.json({ dryRun: true, import: null, ...base, counts, rows });
      }

      let run;
      try {
        run = await runImport(deps, file, { actor, sha256 });
      } catch (err) {
        const refused = err instanceof ProblemError ? err.problem.type : 'internal-error';
        // When the database is what failed this entry fails too: the run's own error is the answer then.
        await writeAudit(sql, { actor, action: 'import', detail: { kind, fileSha256: sha256 }, result: refused }).catch(() => undefined);
        throw err;
      }
      const counts = countResults(run.rows);
      await writeAudit(sql, { actor, action: 'import', detail: { id: run.id, kind, fileSha256: sha256, counts }, result: 'ok' });
      c.header('location', `/v1/imports/${run.id}`);
      return c.json({ dryRun: false, import: await existing(run.id), ...base, counts, rows: run.rows }, run.isNew ? 201 : 200);
    })

    .get('/', routes.list, validate('query', listQuery), async (c) => c.json({ items: await listImports(sql, c.req.valid('query').limit) }))

    .get('/:id', routes.read, validate('param', idParam), async (c) => {
      const found = await existing(c.req.valid('param').id);
      const rows: ImportRow[] = (await findRowResults(sql, found.id)).map((r) => ({ ...r, earlier: false }));
      return c.json({
        dryRun: false,
        import: found,
        kind: found.kind,
        rowCount: found.rowCount,
        columns: found.columns,
        ignoredColumns: found.ignoredColumns,
        counts: found.counts,
        rows,
      });
    })

    .get('/:id/report.csv', routes.report, validate('param', idParam), async (c) => {
      const found = await existing(c.req.valid('param').id);
      const lines = (await findRowResults(sql, found.id)).map((r) =>
        csvLine([r.row, r.result, r.recordId, r.name, r.problem, r.message, r.errors.map((e) => `${e.column}: ${e.message}`).join('; ')]),
      );
      return c.body(`\uFEFF${csvLine(REPORT_COLUMNS)}${lines.join('')}`, 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="import-${found.kind}-${found.id.slice(0, 8)}.csv"`,
      });
    });
}
