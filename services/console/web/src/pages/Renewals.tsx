import { useState } from 'react';
import { svc } from '../api';
import { money, Show, useGet, When } from '../components/data';
import { Link } from '../router';

interface Forecast {
  asOf: string; totals: { renewals: number; arr: number; expectedArr: number };
  byMonth: { month: string; renewals: number; arr: number; expectedArr: number }[];
  byOwner: { owner: string; renewals: number; arr: number; expectedArr: number }[];
  renewals: { contractId: string; accountId: string; accountName: string | null; endDate: string; daysToRenewal: number; owner: string | null; arr: number; likelihoodPct: number; expectedArr: number; explanation: string }[];
}
interface Metrics { renewals: number; nrrPct: number | null; grrPct: number | null; logoChurnPct: number | null; revenueChurnPct: number | null; expansionArr: number; churnedArr: number; cltv: number | null; openRenewals: number; openArr: number }

const pct = (n: number | null) => (n === null ? '—' : `${n.toFixed(1)} %`);

export function Renewals() {
  const year = new Date().getUTCFullYear();
  const [from, setFrom] = useState(`${year}-01-01`);
  const [to, setTo] = useState(`${year}-12-31`);
  const forecast = useGet<Forecast>(svc('renewals', '/renewals/forecast?withinDays=365'), (c) => c.kind === 'contract' || c.kind === 'health');
  const metrics = useGet<Metrics>(svc('renewals', `/renewals/metrics?from=${from}&to=${to}`));
  return (
    <section aria-labelledby="renewals-title">
      <header className="page-head"><h1 id="renewals-title">Renewals</h1></header>
      <section className="panel" aria-labelledby="metrics-title">
        <h2 id="metrics-title">Retention</h2>
        <div className="filters">
          <label>From <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} /></label>
          <label>To <input type="date" value={to} onChange={(e) => setTo(e.target.value)} /></label>
        </div>
        <Show r={metrics} what="retention metrics">
          {(m) => (
            <dl className="stats">
              <div><dt>NRR</dt><dd>{pct(m.nrrPct)}</dd></div><div><dt>GRR</dt><dd>{pct(m.grrPct)}</dd></div>
              <div><dt>Logo churn</dt><dd>{pct(m.logoChurnPct)}</dd></div><div><dt>Revenue churn</dt><dd>{pct(m.revenueChurnPct)}</dd></div>
              <div><dt>Expansion</dt><dd>{money(m.expansionArr)}</dd></div><div><dt>CLTV</dt><dd>{money(m.cltv)}</dd></div>
              <div><dt>Closed renewals</dt><dd>{m.renewals}</dd></div><div><dt>Open ARR</dt><dd>{money(m.openArr)}</dd></div>
            </dl>
          )}
        </Show>
      </section>
      <Show r={forecast} what="the renewal forecast" empty={(f) => f.renewals.length === 0 && <>No renewals in the next 12 months.</>}>
        {(f) => (
          <>
            <section className="panel" aria-labelledby="pipeline-title">
              <h2 id="pipeline-title">Pipeline by month</h2>
              <p>{f.totals.renewals} renewals, {money(f.totals.arr)} ARR, {money(f.totals.expectedArr)} expected.</p>
              <table className="grid compact" aria-label="Pipeline by month">
                <thead><tr><th scope="col">Month</th><th scope="col">Renewals</th><th scope="col">ARR</th><th scope="col">Expected</th></tr></thead>
                <tbody>{f.byMonth.map((m) => <tr key={m.month}><th scope="row">{m.month}</th><td className="num">{m.renewals}</td><td className="num">{money(m.arr)}</td><td className="num">{money(m.expectedArr)}</td></tr>)}</tbody>
              </table>
              <h3>By owner</h3>
              <table className="grid compact" aria-label="Pipeline by owner">
                <thead><tr><th scope="col">Owner</th><th scope="col">Renewals</th><th scope="col">ARR</th><th scope="col">Expected</th></tr></thead>
                <tbody>{f.byOwner.map((m) => <tr key={m.owner}><th scope="row">{m.owner}</th><td className="num">{m.renewals}</td><td className="num">{money(m.arr)}</td><td className="num">{money(m.expectedArr)}</td></tr>)}</tbody>
              </table>
            </section>
            <section className="panel" aria-labelledby="calendar-title">
              <h2 id="calendar-title">Calendar and forecast</h2>
              <table className="grid" aria-label="Upcoming renewals">
                <thead><tr><th scope="col">Account</th><th scope="col">Ends</th><th scope="col">Days</th><th scope="col">ARR</th><th scope="col">Likelihood</th><th scope="col">Why</th></tr></thead>
                <tbody>{f.renewals.map((r) => (
                  <tr key={r.contractId}>
                    <th scope="row"><Link href={`/accounts/${encodeURIComponent(r.accountId)}`}>{r.accountName ?? r.accountId}</Link></th>
                    <td><When at={r.endDate} /></td><td className="num">{r.daysToRenewal}</td><td className="num">{money(r.arr)}</td>
                    <td className="num">{r.likelihoodPct} %</td><td>{r.explanation}</td>
                  </tr>
                ))}</tbody>
              </table>
            </section>
          </>
        )}
      </Show>
    </section>
  );
}
