// Reading an import's CSV file: the parser (RFC 4180), the header's checks, each row read with the
// API's own rules and each fault named by its column, an export's extra columns, opening hours in
// a cell, and the ids an import derives.
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../api/csv.js';
import { MAX_IMPORT_ROWS, readImportFile, week } from '../../api/import-rows.js';
import { ProblemError } from '../../api/problem.js';
import { importIdOf, recordIdOf } from '../../services/imports.js';

const ctx = { defaultCountry: 'SE', actor: 'person:ada' };
const refusal = (read: () => unknown) => {
  try {
    read();
  } catch (err) {
    if (err instanceof ProblemError) return err.problem;
    throw err;
  }
  throw new Error('not refused');
};

describe('parseCsv (RFC 4180)', () => {
  it('reads quoted cells with commas, doubled quotes and line breaks, CRLF or LF, and skips a byte-order mark', () => {
    expect(parseCsv('\uFEFFa,b,c\r\n"x, y","say ""hi""","two\r\nlines"\n1,,3')).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'two\r\nlines'],
      ['1', '', '3'],
    ]);
  });

  it('gives back a cell an export guarded against formulas, and null when a quote is never closed', () => {
    expect(parseCsv("'=SUM(A1),'+46701234567\n")).toEqual([['=SUM(A1)', '+46701234567']]);
    expect(parseCsv('a,"b\n')).toBeNull();
  });
});

describe('a records file', () => {
  const at = '2099-05-01T10:00:00+02:00';

  it('reads each row with the request rules: defaults, national numbers, contact data, times', () => {
    const file = readImportFile(
      'records',
      `phone,queue,priority,requestedAt,contactData.order,contactData.note\n0701234567,support,2,${at},A-1,\n`,
      ctx,
    );
    expect(file.rows).toEqual([
      {
        row: 2,
        errors: [],
        skipped: null,
        input: expect.objectContaining({
          phone: '+46701234567',
          queue: 'support',
          channel: 'admin',
          createdBy: 'person:ada',
          priority: 2,
          requestedAt: '2099-05-01T08:00:00.000Z',
          validUntil: null,
          contactData: { order: 'A-1' },
        }),
      },
    ]);
  });

  it('names every fault by its column, and a row whose cells do not match the header', () => {
    const file = readImportFile(
      'records',
      [
        'phone,queue,priority,channel,requestedAt,validUntil,language',
        'x,support,10,fax,,,',
        `+46701234567,support,,,${at},2099-04-01T00:00:00Z,english!`,
        '+46701234567,support',
        '',
      ].join('\n'),
      ctx,
    );
    expect(file.rows.map((r) => [r.row, r.errors])).toEqual([
      [
        2,
        [
          { column: 'phone', message: expect.stringMatching(/>=3 characters/) },
          { column: 'channel', message: expect.stringMatching(/expected one of "ivr"/) },
          { column: 'priority', message: expect.stringMatching(/<=9/) },
        ],
      ],
      [3, [{ column: 'language', message: 'a language tag such as sv or en-GB' }]],
      [4, [{ column: '', message: '2 cells where the header has 7' }]],
    ]);
    // The number and time checks come after the schema's, as in the API, and name every fault too.
    const late = readImportFile(
      'records',
      `phone,queue,ani,requestedAt,validUntil\nabcdef,support,12345678901234567890,${at},2099-04-01T00:00:00Z\n`,
      ctx,
    );
    expect(late.rows[0]!.errors).toEqual([
      { column: 'phone', message: expect.stringMatching(/not a valid phone number/) },
      { column: 'ani', message: expect.stringMatching(/not a valid phone number/) },
      { column: 'requestedAt', message: 'is after validUntil' },
    ]);
  });

  it('reads our own export: its record columns ignored, closed records skipped', () => {
    const file = readImportFile(
      'records',
      'id,status,stage,phone,queue,attempts,closedAt\nr1,Open,waiting,+46701234567,support,0,\nr2,Closed,closed,+46701234568,support,2,2025-01-01T00:00:00Z\n',
      ctx,
    );
    expect(file.ignoredColumns).toEqual(['id', 'status', 'stage', 'attempts', 'closedAt']);
    expect(file.rows[0]!.input).toMatchObject({ phone: '+46701234567' });
    expect(file.rows[1]).toMatchObject({ input: null, skipped: expect.stringMatching(/^Closed in the exported file/) });
  });

  it('refuses the file as a whole for its header, no rows or too many', () => {
    expect(refusal(() => readImportFile('records', '', ctx))).toMatchObject({ type: 'invalid-csv', title: expect.stringMatching(/empty/) });
    expect(refusal(() => readImportFile('records', 'phone,queue\r\n', ctx))).toMatchObject({ title: 'the file has a header but no rows' });
    expect(refusal(() => readImportFile('records', 'phone,phone,colour\nx,y,z\n', ctx))).toMatchObject({
      title: 'the header is refused: unknown columns colour; columns named twice phone; missing columns queue',
    });
    expect(refusal(() => readImportFile('records', `phone,queue\n${'+46701234567,q\n'.repeat(MAX_IMPORT_ROWS + 1)}`, ctx))).toMatchObject({
      title: `more than ${MAX_IMPORT_ROWS} rows: split the file`,
    });
  });
});

describe('configuration files', () => {
  it('reads numbers, true/false and opening hours, and refuses a name given twice', () => {
    const file = readImportFile(
      'queues',
      [
        'name,orgArea,timeZone,openingHours,gateSize,acceptsCallbacks',
        'q1,a,Europe/Stockholm,"monday-wednesday=08:00-12:00, 13:00-17:00;sunday=10:00-11:00",4,false',
        'q2,a,Europe/Stockholm,monday=08:00-12:00,three,maybe',
        'q1,a,Europe/Stockholm,monday=09:00-12:00;monday=11:00-13:00,,',
      ].join('\n'),
      ctx,
    );
    expect(file.rows[0]!.input).toEqual({
      name: 'q1',
      orgArea: 'a',
      timeZone: 'Europe/Stockholm',
      openingHours: {
        monday: [
          { from: '08:00', to: '12:00' },
          { from: '13:00', to: '17:00' },
        ],
        tuesday: [
          { from: '08:00', to: '12:00' },
          { from: '13:00', to: '17:00' },
        ],
        wednesday: [
          { from: '08:00', to: '12:00' },
          { from: '13:00', to: '17:00' },
        ],
        sunday: [{ from: '10:00', to: '11:00' }],
      },
      maxActiveRecords: null,
      offerTimeoutSeconds: null,
      gateSize: 4,
      acceptsCallbacks: false,
      wrapUpTimeoutSeconds: 1800,
    });
    expect(file.rows[1]!.errors).toEqual([
      { column: 'gateSize', message: 'a whole number' },
      { column: 'acceptsCallbacks', message: 'true or false' },
    ]);
    // Overlapping periods are refused by the API's own rule for opening hours.
    expect(file.rows[2]!.errors).toEqual([{ column: 'openingHours', message: 'periods of one day must not overlap' }]);
  });

  it('reads opening hours as the API JSON or day=periods, and says what it expects otherwise', () => {
    expect(week('{"friday":[{"from":"08:00","to":"16:00"}]}')).toEqual({ value: { friday: [{ from: '08:00', to: '16:00' }] } });
    expect(week('{"friday":')).toEqual({ error: 'not valid JSON' });
    expect(week('friday-monday=08:00-16:00')).toEqual({ error: 'friday-monday: a weekday (monday ... sunday) or a range of them' });
    expect(week('monday 08:00-16:00')).toMatchObject({ error: expect.stringMatching(/^days as monday=/) });
    expect(week('')).toEqual({ value: {} });
  });

  it('reads an organisation area with the POST rules, its policy left to the parameter when not given', () => {
    const file = readImportFile('org-areas', 'id,name,maxActiveRecords,duplicatePolicy\nnorth,North,5,\nbad id,,,never\n', ctx);
    expect(file.rows[0]!.input).toEqual({ id: 'north', name: 'North', maxActiveRecords: 5 });
    expect(file.rows[1]!.errors.map((e) => e.column)).toEqual(['id', 'name', 'duplicatePolicy']);
  });
});

describe('the ids an import derives', () => {
  it('are UUIDs, the same for the same file and row, different otherwise', () => {
    const id = importIdOf('records', 'a'.repeat(64));
    expect(z.uuid().safeParse(id).success).toBe(true);
    expect(importIdOf('records', 'a'.repeat(64))).toBe(id);
    expect(importIdOf('queues', 'a'.repeat(64))).not.toBe(id);
    expect(recordIdOf(id, 2)).toBe(recordIdOf(id, 2));
    expect(recordIdOf(id, 3)).not.toBe(recordIdOf(id, 2));
    expect(z.uuid().safeParse(recordIdOf(id, 2)).success).toBe(true);
  });
});
