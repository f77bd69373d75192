// What /v1/imports answers: an import's report (every row's result) and the list of imports.
import { z } from 'zod';
import { IMPORT_KINDS, importRowSchema, importSummarySchema, ROW_RESULTS } from '../db/imports.js';
import { count } from './schemas.js';

export const importSummary = importSummarySchema;

export const importReport = z
  .strictObject({
    dryRun: z.boolean().describe('true: a check only; nothing was changed.'),
    import: importSummary.nullable().describe('The import as kept (its id, its runs, its counts); null for a dry run.'),
    kind: z.enum(IMPORT_KINDS).describe('What the file holds.'),
    rowCount: count().describe('Rows in the file, the header and blank lines not counted.'),
    columns: z.array(z.string()).describe("The file's columns."),
    ignoredColumns: z.array(z.string()).describe('Columns read no value from (an export of records has status, attempts ...).'),
    counts: z
      .record(z.enum(ROW_RESULTS), count())
      .describe('Rows by result in this answer; in a dry run, `valid` is how many rows would be imported.'),
    rows: z.array(importRowSchema).describe('Every row, in file order.'),
  })
  .describe("An import's report: each row's result.");

export const importList = z
  .strictObject({ items: z.array(importSummary).describe('Imports, newest first.') })
  .describe('The imports kept.');
