/**
 * The portfolio list's query language (URL parameters) turned into one SQL statement over the
 * console's read model. Every column it sorts on has a (workspace_id, column, account_id)
 * index; unknown parameters or bad values are refused with a message naming them.
 */
export const SORTS = {
  name: 'name', score: 'score', scoreChange: 'score_change', arr: 'arr', renewalDate: 'renewal_date',
  openTasks: 'open_tasks', openAlerts: 'open_alerts', owner: 'owner', plan: 'plan', scoredAt: 'scored_at',
} as const;
export type PortfolioSort = keyof typeof SORTS;
export const BAND_FILTERS = ['red', 'yellow', 'green', 'unscored'] as const;

export interface PortfolioQuery {
  page: number;
  pageSize: number;
  sort: PortfolioSort;
  dir: 'asc' | 'desc';
  bands?: (typeof BAND_FILTERS)[number][];
  scoreMin?: number;
  scoreMax?: number;
  arrMin?: number;
  arrMax?: number;
  renewalBefore?: string;
  renewalAfter?: string;
  owner?: string;
  plan?: string;
  openTasks?: boolean;
  openAlerts?: boolean;
  q?: string;
}

export class PortfolioQueryError extends Error {
  constructor(readonly problems: string[]) { super(problems.join('; ')); }
}

const KNOWN = new Set(['page', 'pageSize', 'sort', 'dir', 'band', 'scoreMin', 'scoreMax', 'arrMin', 'arrMax',
  'renewalBefore', 'renewalAfter', 'owner', 'plan', 'openTasks', 'openAlerts', 'q', 'format']);

/** Parses URL parameters; `me` is who "owner=me" means. */
export function parsePortfolioQuery(params: Record<string, unknown>, me: string): PortfolioQuery {
  const problems: string[] = [];
  const str = (k: string): string | undefined => {
    const v = params[k];
    if (v === undefined || v === '') return undefined;
    if (typeof v !== 'string') { problems.push(`${k}: give it once`); return undefined; }
    return v;
  };
  const num = (k: string, min: number, max: number): number | undefined => {
    const v = str(k);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max) { problems.push(`${k}: must be a number from ${min} to ${max} (got "${v}")`); return undefined; }
    return n;
  };
  const date = (k: string): string | undefined => {
    const v = str(k);
    if (v !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(v)) { problems.push(`${k}: must be a date YYYY-MM-DD (got "${v}")`); return undefined; }
    return v;
  };
  const bool = (k: string): boolean | undefined => {
    const v = str(k);
    if (v === undefined) return undefined;
    if (v !== 'true' && v !== 'false') { problems.push(`${k}: must be true or false (got "${v}")`); return undefined; }
    return v === 'true';
  };
  for (const k of Object.keys(params)) if (!KNOWN.has(k)) problems.push(`${k}: unknown parameter`);
  const sort = str('sort') ?? 'score';
  if (!(sort in SORTS)) problems.push(`sort: must be one of ${Object.keys(SORTS).join(', ')} (got "${sort}")`);
  const dir = str('dir') ?? (sort === 'score' ? 'asc' : 'asc');
  if (dir !== 'asc' && dir !== 'desc') problems.push(`dir: must be asc or desc (got "${dir}")`);
  const bandText = str('band');
  const bands = bandText?.split(',').map((b) => b.trim()).filter(Boolean);
  for (const b of bands ?? []) if (!(BAND_FILTERS as readonly string[]).includes(b)) problems.push(`band: must be among ${BAND_FILTERS.join(', ')} (got "${b}")`);
  const owner = str('owner');
  const q: PortfolioQuery = {
    page: num('page', 0, 100_000) ?? 0,
    pageSize: num('pageSize', 1, 500) ?? 50,
    sort: sort as PortfolioSort,
    dir: dir as 'asc' | 'desc',
    bands: bands as PortfolioQuery['bands'],
    scoreMin: num('scoreMin', 0, 100), scoreMax: num('scoreMax', 0, 100),
    arrMin: num('arrMin', 0, 1e12), arrMax: num('arrMax', 0, 1e12),
    renewalBefore: date('renewalBefore'), renewalAfter: date('renewalAfter'),
    owner: owner === 'me' ? me : owner,
    plan: str('plan'),
    openTasks: bool('openTasks'), openAlerts: bool('openAlerts'),
    q: str('q')?.slice(0, 200),
  };
  if (q.page !== Math.floor(q.page)) problems.push('page: must be a whole number');
  if (q.pageSize !== Math.floor(q.pageSize)) problems.push('pageSize: must be a whole number');
  if (problems.length) throw new PortfolioQueryError(problems);
  return q;
}

/** WHERE clause and parameters ($1 is the workspace). */
export function portfolioWhere(workspaceId: string, q: PortfolioQuery): { where: string; params: unknown[] } {
  const params: unknown[] = [workspaceId];
  const clauses = ['workspace_id = $1'];
  const p = (v: unknown) => { params.push(v); return `$${params.length}`; };
  if (q.bands?.length) {
    const named = q.bands.filter((b) => b !== 'unscored');
    const parts: string[] = [];
    if (named.length) parts.push(`band = ANY(${p(named)}::text[])`);
    if (q.bands.includes('unscored')) parts.push('band IS NULL');
    clauses.push(`(${parts.join(' OR ')})`);
  }
  if (q.scoreMin !== undefined) clauses.push(`score >= ${p(q.scoreMin)}`);
  if (q.scoreMax !== undefined) clauses.push(`score <= ${p(q.scoreMax)}`);
  if (q.arrMin !== undefined) clauses.push(`arr >= ${p(q.arrMin)}`);
  if (q.arrMax !== undefined) clauses.push(`arr <= ${p(q.arrMax)}`);
  if (q.renewalBefore) clauses.push(`renewal_date <= ${p(q.renewalBefore)}::date`);
  if (q.renewalAfter) clauses.push(`renewal_date >= ${p(q.renewalAfter)}::date`);
  if (q.owner) clauses.push(`owner = ${p(q.owner)}`);
  if (q.plan) clauses.push(`plan = ${p(q.plan)}`);
  if (q.openTasks !== undefined) clauses.push(q.openTasks ? 'open_tasks > 0' : 'open_tasks = 0');
  if (q.openAlerts !== undefined) clauses.push(q.openAlerts ? 'open_alerts > 0' : 'open_alerts = 0');
  if (q.q) clauses.push(`(name ILIKE ${p(`%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)} OR account_id = ${p(q.q)})`);
  return { where: clauses.join(' AND '), params };
}

export const PORTFOLIO_COLUMNS = `account_id, name, plan, arr, owner, score, band, previous_score, score_change, scored_at,
  renewal_date, renewal_arr, open_tasks, open_alerts, last_nps, updated_at`;

/** The page's SQL: filter, sort (nulls last, account id breaks ties), offset paging. */
export function portfolioPageSql(workspaceId: string, q: PortfolioQuery): { sql: string; params: unknown[] } {
  const { where, params } = portfolioWhere(workspaceId, q);
  const col = SORTS[q.sort];
  const dir = q.dir === 'desc' ? 'DESC' : 'ASC';
  params.push(q.pageSize, q.page * q.pageSize);
  return {
    sql: `SELECT ${PORTFOLIO_COLUMNS} FROM portfolio_account WHERE ${where}
          ORDER BY ${col} ${dir} NULLS LAST, account_id ${dir} LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  };
}

/**
 * Counting every match of a broad filter over 100,000 accounts costs more than the page itself,
 * so the count stops at COUNT_CAP ("10,000+ accounts"), as mail clients do.
 */
export const COUNT_CAP = 10_000;

export function portfolioCountSql(workspaceId: string, q: PortfolioQuery): { sql: string; params: unknown[] } {
  const { where, params } = portfolioWhere(workspaceId, q);
  params.push(COUNT_CAP + 1);
  return { sql: `SELECT count(*)::int AS total FROM (SELECT 1 FROM portfolio_account WHERE ${where} LIMIT $${params.length}) capped`, params };
}

const CSV_FIELDS = ['account_id', 'name', 'plan', 'arr', 'owner', 'score', 'band', 'score_change', 'renewal_date', 'open_tasks', 'open_alerts', 'last_nps'];

/** RFC 4180 CSV; cells that a spreadsheet would run as a formula are quoted with a leading '. */
export function portfolioCsv(rows: Record<string, unknown>[]): string {
  const cell = (v: unknown): string => {
    if (v === null || v === undefined) return '';
    let s = v instanceof Date ? v.toISOString().slice(0, 10) : String(v);
    if (/^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s)) s = `'${s}`;
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [CSV_FIELDS.join(','), ...rows.map((r) => CSV_FIELDS.map((f) => cell(r[f])).join(','))].join('\r\n') + '\r\n';
}
