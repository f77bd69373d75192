// CSV for exports (RFC 4180), safe to open in a spreadsheet. One line at a time, so that an export
// can be streamed; each line ends with CRLF, the last one too.
//
// Formula injection: Excel, LibreOffice and Sheets run a cell that starts with = + - @ as a
// formula, and tab, CR (OWASP) and NUL (ASVS 1.2.10) can lead one in. Such a cell gets a leading
// apostrophe, which a spreadsheet reads as "this is text". A plain number is left alone, signed or
// not: phone numbers in E.164 (+46701234567) must stay exportable as they are, and the worst a
// spreadsheet does with a lone number is compute that number.
const FORMULA_START = /^[=+\-@\t\r\0]/;
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;
const NEEDS_QUOTES = /[",\r\n]/;

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** One cell: as text, guarded against formulas, quoted when it must be. */
export function csvCell(value: unknown): string {
  let cell = text(value);
  if (FORMULA_START.test(cell) && !PLAIN_NUMBER.test(cell)) cell = `'${cell}`;
  return NEEDS_QUOTES.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/** One line, CRLF included. */
export const csvLine = (values: readonly unknown[]): string => `${values.map(csvCell).join(',')}\r\n`;

export const toCsv = (header: readonly string[], rows: Iterable<readonly unknown[]>): string => {
  let out = csvLine(header);
  for (const row of rows) out += csvLine(row);
  return out;
};
