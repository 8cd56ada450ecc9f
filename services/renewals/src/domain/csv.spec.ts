import { parseCsv } from './csv';

describe('CSV', () => {
  it('reads quoted fields with commas, quotes and line breaks, CRLF or LF, and skips blank lines', () => {
    const rows = parseCsv('\ufeffid,note\r\n1,"a, ""b"""\n\n2,"two\nlines"\n3,\n');
    expect(rows).toEqual([
      { line: 1, fields: ['id', 'note'] },
      { line: 2, fields: ['1', 'a, "b"'] },
      { line: 4, fields: ['2', 'two\nlines'] },
      { line: 6, fields: ['3', ''] },
    ]);
  });

  it('names the line of a quote that is never closed', () => {
    expect(() => parseCsv('id\n"1\n2')).toThrow('line 2: a quoted field is never closed');
  });
});
