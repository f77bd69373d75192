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

/**
 * Reads CSV (RFC 4180: quoted cells may hold commas, quotes doubled, line breaks; CRLF or LF; a
 * byte-order mark is skipped) into rows of cells. A cell an export guarded against formulas
 * (`'=…`) reads back as it was. null: a quote is never closed.
 */
export function parseCsv(text: string): string[][] | null {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const endCell = () => {
    row.push(/^'[=+\-@\t\r\0]/.test(cell) ? cell.slice(1) : cell);
    cell = '';
  };
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  for (let i = 0; i < input.length; i++) {
    const ch = input[i]!;
    if (quoted) {
      if (ch === '"' && input[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === '') {
      quoted = true;
    } else if (ch === ',') endCell();
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && input[i + 1] === '\n') i++;
      endCell();
      rows.push(row);
      row = [];
    } else cell += ch;
  }
  if (quoted) return null;
  if (cell !== '' || row.length) {
    endCell();
    rows.push(row);
  }
  return rows;
}
