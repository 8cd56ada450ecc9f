import { lazy, Suspense, useMemo } from 'react';
import { Band, money, Show, useGet, When } from '../components/data';
import { AckButton, Alert, Task, TaskActions } from '../components/work';
import { Link } from '../router';

const Chart = lazy(() => import('../components/Chart'));

interface Measure { measure: string; group?: string; raw?: unknown; points: number | null; weight: number; contribution: number; detail: string; lastEventId?: string }
interface Overview {
  accountId: string;
  summary: { name: string | null; score: number | null; band: string | null; scoreChange: number | null; owner: string | null; plan: string | null; arr: number | null; renewalDate: string | null; openTasks: number; openAlerts: number; lastNps: number | null } | null;
  account: { id: string; name?: string; plan?: string; csmOwner?: string; domain?: string; contacts?: { contactId: string; name: string | null; email: string | null; title: string | null; role: string | null; departedAt: string | null; removedAt: string | null; departureRule: string | null; lastSeenAt: string | null }[] } | null;
  health: { score: number; band: string; summary: string; trend: { delta: number; basis: string; comparedTo: { score: number; at: string } } | null; explanation: Measure[]; updatedAt: string; cause?: { type: string; summary: string } } | null;
  history: { score: number; band: string; at: string; summary: string }[] | null;
  usage: { days: { day: string; events: number; activeUsers: number }[]; activeUsers: { dau: number; wau: number; mau: number }; adoption: { featuresUsed30d: number }; features: { feature: string; events: number; activeDays: number; lastUsedDay: string }[]; trendPct: number | null; timeToFirstValue: { valueEvent: string | null; days: number | null } } | null;
  tasks: Task[] | null;
  alerts: Alert[] | null;
  contracts: { id: string; arr: number; currency: string; startDate: string; endDate: string; autoRenew: boolean; owner: string | null; plan: string | null }[] | null;
  timeline: { eventId: string; at: string; kind: string; summary: string; detail: any }[];
  errors: Record<string, string>;
}

const fmt = (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(1)) : String(v));

function PartError({ o, part }: { o: Overview; part: string }) {
  return o.errors[part] ? <div className="state error" role="alert">{o.errors[part]}</div> : null;
}

export function Account({ id }: { id: string }) {
  const r = useGet<Overview>(`/api/accounts/${encodeURIComponent(id)}/overview`, (c) => c.accountId === id);
  return (
    <Show r={r} what="the account">
      {(o) => <AccountView o={o} reload={r.reload} />}
    </Show>
  );
}

function AccountView({ o, reload }: { o: Overview; reload: () => void }) {
  const name = o.summary?.name ?? o.account?.name ?? o.accountId;
  const h = o.health;
  const history = useMemo(() => [...(o.history ?? [])].reverse(), [o.history]);
  const trendX = useMemo(() => history.map((p) => Date.parse(p.at) / 1000), [history]);
  const trendSeries = useMemo(() => [{ name: 'score', values: history.map((p) => p.score), color: '#2f5f8a' }], [history]);
  const usageX = useMemo(() => (o.usage?.days ?? []).map((d) => Date.parse(`${d.day}T00:00:00Z`) / 1000), [o.usage]);
  const usageSeries = useMemo(() => [{ name: 'events', values: (o.usage?.days ?? []).map((d) => d.events), color: '#3d7a5a' }], [o.usage]);
  const surveys = o.timeline.filter((t) => t.kind === 'survey');
  const openTasks = (o.tasks ?? []).filter((t) => t.status === 'open' || t.status === 'in_progress');
  return (
    <article aria-labelledby="account-title" className="account">
      <header className="page-head">
        <div>
          <p className="crumbs"><Link href="/portfolio">Portfolio</Link> /</p>
          <h1 id="account-title">{name}</h1>
          <p className="facts">
            {o.summary?.plan ?? o.account?.plan ?? 'no plan'} · ARR {money(o.summary?.arr)} · owner {o.summary?.owner ?? o.account?.csmOwner ?? 'unassigned'} · renews <When at={o.summary?.renewalDate} />
          </p>
        </div>
        <div className="score-box" aria-label="Health">
          {h ? <><span className="score">{h.score.toFixed(0)}</span><Band band={h.band} /></> : <Band band={null} />}
          {h?.trend && <span className={h.trend.delta < 0 ? 'down' : 'up'}>{h.trend.delta < 0 ? '▼' : '▲'} {Math.abs(h.trend.delta).toFixed(1)} since {h.trend.basis === '7d' ? '7 days ago' : 'the previous score'} ({h.trend.comparedTo.score.toFixed(0)})</span>}
        </div>
      </header>

      <section aria-labelledby="why-title" className="panel">
        <h2 id="why-title">Why this score</h2>
        <PartError o={o} part="health" />
        {!h && !o.errors.health && <p className="empty">Not scored yet: Cairn scores an account once it has usage, contacts or survey answers to go on.</p>}
        {h && (
          <>
            <p className="summary">{h.summary}</p>
            {h.cause && <p className="muted">Last moved by {h.cause.type}: {h.cause.summary}</p>}
            <table className="grid explanation" aria-label="Score explanation">
              <thead><tr><th scope="col">Measure</th><th scope="col">Group</th><th scope="col">Value</th><th scope="col">Points</th><th scope="col">Weight</th><th scope="col">Contribution</th><th scope="col">Detail</th></tr></thead>
              <tbody>
                {h.explanation.map((m) => (
                  <tr key={m.measure} data-measure={m.measure}>
                    <th scope="row">{m.measure}</th><td>{m.group ?? '—'}</td><td className="num">{fmt(m.raw)}</td>
                    <td className="num">{m.points === null ? 'no data' : fmt(m.points)}</td><td className="num">{fmt(m.weight)}</td>
                    <td className="num">{fmt(m.contribution)}</td><td>{m.detail}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot><tr><th scope="row" colSpan={5}>Score</th><td className="num">{h.score.toFixed(1)}</td><td /></tr></tfoot>
            </table>
          </>
        )}
        {history.length > 1 && <Suspense fallback={<div className="chart-placeholder">Loading chart…</div>}><Chart label={`Health score over time for ${name}`} x={trendX} series={trendSeries} band /></Suspense>}
      </section>

      <div className="columns">
        <section aria-labelledby="alerts-title" className="panel">
          <h2 id="alerts-title">Alerts</h2>
          <PartError o={o} part="alerts" />
          {o.alerts?.length ? (
            <ul className="items">
              {o.alerts.map((a) => (
                <li key={a.id} data-alert={a.id} className={`sev-${a.severity}`}>
                  <div><strong>{a.title}</strong> <span className="tag">{a.severity}</span> <When at={a.createdAt} /></div>
                  <p>{a.reason}</p>
                  <AckButton alert={a} onChanged={reload} />
                </li>
              ))}
            </ul>
          ) : !o.errors.alerts && <p className="empty">No alerts for this account.</p>}
        </section>
        <section aria-labelledby="tasks-title" className="panel">
          <h2 id="tasks-title">Tasks <span className="count">{openTasks.length} open</span></h2>
          <PartError o={o} part="tasks" />
          {o.tasks?.length ? (
            <ul className="items">
              {o.tasks.map((t) => (
                <li key={t.id} data-task={t.id}>
                  <div><strong>{t.title}</strong> <span className="tag">{t.priority}</span> <span className={`status ${t.status}`}>{t.status.replace('_', ' ')}</span></div>
                  <p className="muted">due <When at={t.dueAt} /> · {t.assignee ?? 'unassigned'}</p>
                  <TaskActions task={t} onChanged={reload} />
                </li>
              ))}
            </ul>
          ) : !o.errors.tasks && <p className="empty">No tasks for this account.</p>}
        </section>
      </div>

      <section aria-labelledby="usage-title" className="panel">
        <h2 id="usage-title">Usage and adoption</h2>
        <PartError o={o} part="usage" />
        {o.usage ? (
          <>
            <dl className="stats">
              <div><dt>DAU</dt><dd>{o.usage.activeUsers.dau}</dd></div>
              <div><dt>WAU</dt><dd>{o.usage.activeUsers.wau}</dd></div>
              <div><dt>MAU</dt><dd>{o.usage.activeUsers.mau}</dd></div>
              <div><dt>Features used (30 d)</dt><dd>{o.usage.adoption.featuresUsed30d}</dd></div>
              <div><dt>Trend</dt><dd>{o.usage.trendPct === null ? '—' : `${o.usage.trendPct.toFixed(1)} %`}</dd></div>
              <div><dt>Time to first value</dt><dd>{o.usage.timeToFirstValue.days === null ? (o.usage.timeToFirstValue.valueEvent ? 'not reached' : 'no value event set') : `${o.usage.timeToFirstValue.days.toFixed(1)} days`}</dd></div>
            </dl>
            {usageX.length > 0 && <Suspense fallback={<div className="chart-placeholder">Loading chart…</div>}><Chart label={`Daily events for ${name}`} x={usageX} series={usageSeries} bars height={150} /></Suspense>}
            {o.usage.features.length > 0 && (
              <table className="grid compact" aria-label="Key features">
                <thead><tr><th scope="col">Feature</th><th scope="col">Events</th><th scope="col">Active days</th><th scope="col">Last used</th></tr></thead>
                <tbody>{o.usage.features.slice(0, 10).map((f) => <tr key={f.feature}><th scope="row">{f.feature}</th><td className="num">{f.events}</td><td className="num">{f.activeDays}</td><td>{f.lastUsedDay}</td></tr>)}</tbody>
              </table>
            )}
          </>
        ) : !o.errors.usage && <p className="empty">No usage received for this account yet.</p>}
      </section>

      <div className="columns">
        <section aria-labelledby="contacts-title" className="panel">
          <h2 id="contacts-title">Contacts</h2>
          <PartError o={o} part="account" />
          {o.account?.contacts?.length ? (
            <ul className="items">
              {o.account.contacts.map((c) => (
                <li key={c.contactId} className={c.departedAt || c.removedAt ? 'gone' : ''}>
                  <strong>{c.name ?? c.contactId}</strong> {c.role && <span className="tag">{c.role.replace('_', ' ')}</span>}
                  {(c.departedAt || c.removedAt) && <span className="tag danger">left <When at={c.departedAt ?? c.removedAt} /></span>}
                  <div className="muted">{[c.title, c.email].filter(Boolean).join(' · ')}</div>
                </li>
              ))}
            </ul>
          ) : <p className="empty">No contacts known. Segment <code>identify</code> calls with this account's group add them.</p>}
        </section>
        <section aria-labelledby="contracts-title" className="panel">
          <h2 id="contracts-title">Contracts</h2>
          <PartError o={o} part="contracts" />
          {o.contracts?.length ? (
            <table className="grid compact" aria-label="Contracts">
              <thead><tr><th scope="col">Contract</th><th scope="col">ARR</th><th scope="col">Ends</th><th scope="col">Auto-renew</th></tr></thead>
              <tbody>{o.contracts.map((c) => <tr key={c.id}><th scope="row">{c.id}</th><td className="num">{money(c.arr)}</td><td><When at={c.endDate} /></td><td>{c.autoRenew ? 'yes' : 'no'}</td></tr>)}</tbody>
            </table>
          ) : !o.errors.contracts && <p className="empty">No contracts recorded.</p>}
          <h3>Survey answers</h3>
          {surveys.length ? <ul className="items">{surveys.map((s) => <li key={s.eventId}>{s.summary} <When at={s.at} /></li>)}</ul> : <p className="empty">No survey answers yet.</p>}
        </section>
      </div>

      <section aria-labelledby="timeline-title" className="panel">
        <h2 id="timeline-title">Timeline</h2>
        {o.timeline.length ? (
          <ol className="timeline" tabIndex={0} aria-label={`Timeline of ${name}`}>
            {o.timeline.map((t) => <li key={t.eventId} className={`kind-${t.kind}`}><When at={t.at} /> <span className="tag">{t.kind}</span> {t.summary}</li>)}
          </ol>
        ) : <p className="empty">Nothing has happened to this account yet.</p>}
      </section>
    </article>
  );
}
