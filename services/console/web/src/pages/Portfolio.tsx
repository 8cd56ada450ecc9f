import { ColumnDef, flexRender, getCoreRowModel, SortingState, useReactTable } from '@tanstack/react-table';
import { FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { onLive } from '../api';
import { Band, money, Show, useGet, When } from '../components/data';
import { useMe } from '../components/session';
import { Link, navigate, useLocation } from '../router';

export interface PortfolioRow {
  accountId: string; name: string | null; plan: string | null; arr: number | null; owner: string | null;
  score: number | null; band: string | null; scoreChange: number | null; renewalDate: string | null;
  openTasks: number; openAlerts: number; lastNps: number | null;
}
interface Page { total: number; totalCapped: boolean; page: number; pageSize: number; rows: PortfolioRow[] }

const FILTERS = ['band', 'scoreMin', 'scoreMax', 'arrMin', 'arrMax', 'renewalBefore', 'owner', 'plan', 'openTasks', 'openAlerts', 'q'];

function Trend({ change }: { change: number | null }) {
  if (change === null || change === 0) return <span className="muted">—</span>;
  return <span className={change < 0 ? 'down' : 'up'} aria-label={`${change < 0 ? 'down' : 'up'} ${Math.abs(change)} points`}>{change < 0 ? '▼' : '▲'} {Math.abs(change).toFixed(1)}</span>;
}

export function Portfolio() {
  const me = useMe();
  const { query } = useLocation();
  // A CSM starts with their own accounts; everyone can switch to the team's.
  const params = new URLSearchParams(query);
  if (!params.has('owner') && me.role === 'csm') params.set('owner', 'me');
  if (params.get('owner') === 'all') params.delete('owner');
  const path = `/api/portfolio?${params.toString()}`;
  const debounce = useRef<number | undefined>(undefined);
  const page = useGet<Page>(path);
  const facets = useGet<{ owners: string[]; plans: string[]; bands: Record<string, number> }>('/api/portfolio/facets');
  // Live: scores, alerts and tasks move the list; reload at most every 500 ms.
  useEffect(() => {
    const reload = page.reload;
    return onLive((c) => {
      if (!['health', 'alert', 'task', 'account', 'contract'].includes(c.kind)) return;
      window.clearTimeout(debounce.current);
      debounce.current = window.setTimeout(reload, 300);
    });
  }, [page.reload]);

  const set = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(query);
    for (const [k, v] of Object.entries(changes)) { if (v === null || v === '') next.delete(k); else next.set(k, v); }
    if (!('page' in changes)) next.delete('page');
    navigate(`/portfolio?${next.toString()}`);
  };
  const sorting: SortingState = [{ id: params.get('sort') ?? 'score', desc: params.get('dir') === 'desc' }];

  const columns = useMemo<ColumnDef<PortfolioRow>[]>(() => [
    { id: 'name', header: 'Account', cell: ({ row }) => <Link href={`/accounts/${encodeURIComponent(row.original.accountId)}`}>{row.original.name ?? row.original.accountId}</Link> },
    { id: 'score', header: 'Health', cell: ({ row }) => <Band band={row.original.band} score={row.original.score} /> },
    { id: 'scoreChange', header: 'Trend', cell: ({ row }) => <Trend change={row.original.scoreChange} /> },
    { id: 'arr', header: 'ARR', cell: ({ row }) => <span className="num">{money(row.original.arr)}</span> },
    { id: 'renewalDate', header: 'Renewal', cell: ({ row }) => <When at={row.original.renewalDate} /> },
    { id: 'owner', header: 'Owner', cell: ({ row }) => row.original.owner ?? <span className="muted">unassigned</span> },
    { id: 'plan', header: 'Plan', cell: ({ row }) => row.original.plan ?? '—' },
    { id: 'openTasks', header: 'Open tasks', cell: ({ row }) => <span className="num">{row.original.openTasks}</span> },
    { id: 'openAlerts', header: 'Open alerts', cell: ({ row }) => <span className={`num${row.original.openAlerts ? ' hot' : ''}`}>{row.original.openAlerts}</span> },
  ], []);
  const table = useReactTable({
    data: page.data?.rows ?? [], columns, getCoreRowModel: getCoreRowModel(), manualSorting: true, manualPagination: true,
    state: { sorting },
  });

  const [search, setSearch] = useState(query.get('q') ?? '');
  const submitSearch = (e: FormEvent) => { e.preventDefault(); set({ q: search }); };
  const bands = (params.get('band') ?? '').split(',').filter(Boolean);
  const toggleBand = (b: string) => set({ band: (bands.includes(b) ? bands.filter((x) => x !== b) : [...bands, b]).join(',') || null });
  const pageNo = Number(params.get('page') ?? 0);
  const csv = `/api/portfolio?${(() => { const p = new URLSearchParams(params); p.delete('page'); p.delete('pageSize'); p.set('format', 'csv'); return p.toString(); })()}`;

  return (
    <section aria-labelledby="portfolio-title">
      <header className="page-head">
        <h1 id="portfolio-title">Portfolio</h1>
        <div className="actions">
          <div className="segmented" role="group" aria-label="Whose accounts">
            <button type="button" aria-pressed={params.get('owner') === me.email} onClick={() => set({ owner: 'me' })}>My accounts</button>
            <button type="button" aria-pressed={!params.get('owner')} onClick={() => set({ owner: 'all' })}>Team</button>
          </div>
          <a className="button" href={csv} download>Export CSV</a>
        </div>
      </header>
      <form className="filters" onSubmit={submitSearch} aria-label="Filters">
        <fieldset className="bands">
          <legend>Band</legend>
          {['red', 'yellow', 'green', 'unscored'].map((b) => (
            <label key={b} className={`chip ${b}`}>
              <input type="checkbox" checked={bands.includes(b)} onChange={() => toggleBand(b)} /> {b === 'unscored' ? 'not scored' : b}
              {facets.data?.bands[b] !== undefined && <span className="count">{facets.data.bands[b]}</span>}
            </label>
          ))}
        </fieldset>
        <label>Score ≤ <input type="number" min={0} max={100} value={params.get('scoreMax') ?? ''} onChange={(e) => set({ scoreMax: e.target.value })} className="short" /></label>
        <label>ARR ≥ <input type="number" min={0} step={1000} value={params.get('arrMin') ?? ''} onChange={(e) => set({ arrMin: e.target.value })} className="short" /></label>
        <label>Renews by <input type="date" value={params.get('renewalBefore') ?? ''} onChange={(e) => set({ renewalBefore: e.target.value })} /></label>
        <label>Owner
          <select value={params.get('owner') === me.email ? 'me' : params.get('owner') ?? ''} onChange={(e) => set({ owner: e.target.value || 'all' })}>
            <option value="">anyone</option>
            <option value="me">me</option>
            {facets.data?.owners.map((o) => <option key={o} value={o}>{o}</option>)}
          </select>
        </label>
        <label>Plan
          <select value={params.get('plan') ?? ''} onChange={(e) => set({ plan: e.target.value })}>
            <option value="">any</option>
            {facets.data?.plans.map((p) => <option key={p} value={p}>{p}</option>)}
          </select>
        </label>
        <label className="check"><input type="checkbox" checked={params.get('openAlerts') === 'true'} onChange={(e) => set({ openAlerts: e.target.checked ? 'true' : null })} /> open alerts</label>
        <label className="check"><input type="checkbox" checked={params.get('openTasks') === 'true'} onChange={(e) => set({ openTasks: e.target.checked ? 'true' : null })} /> open tasks</label>
        <label>Search <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="name or id" /></label>
        {FILTERS.some((f) => query.has(f)) && <button type="button" className="link" onClick={() => navigate('/portfolio')}>Clear filters</button>}
      </form>
      <Show r={page} what="the portfolio" empty={(d) => d.total === 0 && (
        FILTERS.some((f) => params.has(f))
          ? <>No account matches these filters. <button type="button" className="link" onClick={() => navigate('/portfolio?owner=all')}>Show every account</button></>
          : <>No accounts yet. Accounts appear here when your product sends Segment <code>group</code> calls.</>)}>
        {(d) => (
          <>
            <div className="table-wrap">
              <table className="grid" aria-label="Accounts" aria-rowcount={d.total}>
                <thead>
                  {table.getHeaderGroups().map((hg) => (
                    <tr key={hg.id}>
                      {hg.headers.map((h) => {
                        const active = sorting[0].id === h.id;
                        const next = active && !sorting[0].desc ? 'desc' : 'asc';
                        return (
                          <th key={h.id} scope="col" aria-sort={active ? (sorting[0].desc ? 'descending' : 'ascending') : 'none'}>
                            <button type="button" className="sort" onClick={() => set({ sort: h.id, dir: next })}>
                              {flexRender(h.column.columnDef.header, h.getContext())}{active ? (sorting[0].desc ? ' ↓' : ' ↑') : ''}
                            </button>
                          </th>
                        );
                      })}
                    </tr>
                  ))}
                </thead>
                <tbody>
                  {table.getRowModel().rows.map((r) => (
                    <tr key={r.id} data-account={r.original.accountId}>
                      {r.getVisibleCells().map((c) => <td key={c.id}>{flexRender(c.column.columnDef.cell, c.getContext())}</td>)}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <nav className="pager" aria-label="Pages">
              <span>{d.totalCapped ? `more than ${d.total.toLocaleString()}` : d.total.toLocaleString()} accounts · page {pageNo + 1}{d.totalCapped ? '' : ` of ${Math.max(1, Math.ceil(d.total / d.pageSize))}`}</span>
              <button type="button" disabled={pageNo === 0} onClick={() => set({ page: String(pageNo - 1) })}>Previous</button>
              <button type="button" disabled={!d.totalCapped && (pageNo + 1) * d.pageSize >= d.total || d.rows.length < d.pageSize} onClick={() => set({ page: String(pageNo + 1) })}>Next</button>
            </nav>
          </>
        )}
      </Show>
    </section>
  );
}
