/**
 * Parses RFC 4180 CSV: comma-separated, double quotes around fields holding commas, quotes
 * or line breaks, "" for a quote inside quotes, CRLF or LF line ends, blank lines skipped.
 * Returns rows of fields with their 1-based line numbers (of the row's first line).
 */
export function parseCsv(text: string): Array<{ line: number; fields: string[] }> {
  const rows: Array<{ line: number; fields: string[] }> = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let touched = false;
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // a BOM from spreadsheet exports
  const endRow = () => {
    fields.push(field);
    if (touched || fields.length > 1 || fields[0] !== '') rows.push({ line: rowLine, fields });
    fields = [];
    field = '';
    touched = false;
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else { if (c === '\n') line++; field += c; }
      continue;
    }
    if (c === '"') { quoted = true; touched = true; }
    else if (c === ',') { fields.push(field); field = ''; touched = true; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else field += c;
  }
  if (quoted) throw new Error(`line ${rowLine}: a quoted field is never closed`);
  if (field !== '' || fields.length > 0 || touched) endRow();
  return rows;
}
