import { parseCsv } from './csv';

export const CONTRACT_FIELDS = ['id', 'accountId', 'arr', 'currency', 'seats', 'plan', 'startDate', 'endDate', 'autoRenew', 'owner'] as const;

const ALIASES: Record<string, (typeof CONTRACT_FIELDS)[number]> = Object.fromEntries(
  CONTRACT_FIELDS.flatMap((f) => {
    const snake = f.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    return [[f.toLowerCase(), f], [snake, f], [snake.replace(/_/g, ' '), f], [snake.replace(/_/g, '-'), f]];
  }),
);

/** A CSV cell as the JSON value the contract API expects; what does not convert stays text, for the validator to name. */
function cellValue(field: string, raw: string): unknown {
  const v = raw.trim();
  if (v === '') return undefined;
  if (field === 'arr' || field === 'seats') return /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
  if (field === 'autoRenew') {
    if (/^(true|yes|y|1)$/i.test(v)) return true;
    if (/^(false|no|n|0)$/i.test(v)) return false;
    return v;
  }
  return v;
}

export interface ImportRow {
  /** 1-based: the CSV line, or the position in the JSON array. */
  row: number;
  value: Record<string, unknown>;
}

/**
 * Contracts from CSV with a header row (camelCase, snake_case or spaced column names). An
 * unknown column is an error for the whole file, so a typo never silently drops a field.
 */
export function contractsFromCsv(text: string): ImportRow[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new Error('the CSV is empty: expected a header row, e.g. id,accountId,arr,startDate,endDate');
  const columns = header.fields.map((h) => ALIASES[h.trim().toLowerCase()] ?? null);
  const unknown = header.fields.filter((_, i) => columns[i] === null);
  if (unknown.length) throw new Error(`unknown column(s) ${unknown.map((u) => `"${u}"`).join(', ')}; expected ${CONTRACT_FIELDS.join(', ')}`);
  return rows.map(({ line, fields }) => {
    const value: Record<string, unknown> = {};
    columns.forEach((field, i) => {
      const v = cellValue(field!, fields[i] ?? '');
      if (v !== undefined) value[field!] = v;
    });
    if (fields.length > columns.length) value.__extraCells = fields.length - columns.length;
    return { row: line, value };
  });
}
