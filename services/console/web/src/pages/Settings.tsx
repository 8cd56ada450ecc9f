import type { ReactElement } from 'react';
import { FormEvent, useEffect, useState } from 'react';
import { api, ApiError, svc } from '../api';
import { Field, FormError, Show, useGet, When } from '../components/data';
import { canConfigure, ReadOnlyNote, useMe } from '../components/session';

interface Detection { windowDays: number; baselineDays: number; thresholdPct: number; minBaselineDailyAvg: number; championInactiveDays: number; valueEvent: string | null; customized: boolean }
const DETECTION_FIELDS: { name: keyof Detection; label: string; type: 'number' | 'text' }[] = [
  { name: 'windowDays', label: 'Recent window (days)', type: 'number' },
  { name: 'baselineDays', label: 'Baseline window (days)', type: 'number' },
  { name: 'thresholdPct', label: 'Drop that signals (%)', type: 'number' },
  { name: 'minBaselineDailyAvg', label: 'Minimum baseline events/day', type: 'number' },
  { name: 'championInactiveDays', label: 'Champion inactive after (days)', type: 'number' },
  { name: 'valueEvent', label: 'First-value event (track name)', type: 'text' },
];

function DetectionSettings() {
  const me = useMe();
  const r = useGet<Detection>(svc('ingestion', '/settings/detection'));
  const [form, setForm] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError>();
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (r.data) setForm(Object.fromEntries(DETECTION_FIELDS.map((f) => [f.name, r.data![f.name] === null ? '' : String(r.data![f.name])])));
  }, [r.data]);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined); setSaved(false);
    const body = Object.fromEntries(DETECTION_FIELDS.map((f) => [f.name, f.type === 'number' ? (form[f.name] === '' ? undefined : Number(form[f.name])) : (form[f.name] || null)]));
    try {
      await api('PUT', svc('ingestion', '/settings/detection'), body);
      setSaved(true);
      r.reload();
    } catch (err) { setError(err as ApiError); }
  };
  const allowed = canConfigure(me);
  return (
    <section className="panel" aria-labelledby="detection-title">
      <h2 id="detection-title">Detection settings</h2>
      {!allowed && <ReadOnlyNote what="change detection settings" />}
      <Show r={r} what="detection settings">
        {() => (
          <form onSubmit={save} className="form-grid" noValidate>
            {DETECTION_FIELDS.map((f) => (
              <Field key={f.name} label={f.label} name={f.name} error={error}>
                <input id={`f-${f.name}`} type={f.type} value={form[f.name] ?? ''} disabled={!allowed} onChange={(e) => setForm({ ...form, [f.name]: e.target.value })} />
              </Field>
            ))}
            <FormError error={error} fields={DETECTION_FIELDS.map((f) => f.name)} />
            <div><button type="submit" className="primary" disabled={!allowed}>Save</button> {saved && <span role="status">Saved.</span>}</div>
          </form>
        )}
      </Show>
    </section>
  );
}

function Scorecards() {
  const r = useGet<any[]>(svc('health', '/scorecards'));
  return (
    <section className="panel" aria-labelledby="scorecards-title">
      <h2 id="scorecards-title">Scorecards</h2>
      <Show r={r} what="scorecards" empty={(d) => d.length === 0 && <>No scorecard yet: the default one applies.</>}>
        {(cards) => (
          <ul className="items">
            {cards.map((c) => (
              <li key={c.id}>
                <strong>{c.name}</strong> <span className="tag">v{c.activeVersion ?? c.version ?? '?'}</span> {c.active || c.status === 'active' ? <span className="tag ok">active</span> : null}
                {Array.isArray(c.measures ?? c.definition?.measures) && (
                  <table className="grid compact" aria-label={`Measures of ${c.name}`}>
                    <thead><tr><th scope="col">Measure</th><th scope="col">Weight</th></tr></thead>
                    <tbody>{(c.measures ?? c.definition.measures).map((m: any) => <tr key={m.measure ?? m.id}><th scope="row">{m.measure ?? m.id}</th><td className="num">{m.weight}</td></tr>)}</tbody>
                  </table>
                )}
              </li>
            ))}
          </ul>
        )}
      </Show>
    </section>
  );
}

function Simple({ title, path, what, line }: { title: string; path: string; what: string; line: (x: any) => ReactElement }) {
  const r = useGet<any[]>(path);
  const id = title.toLowerCase().replace(/\W+/g, '-');
  return (
    <section className="panel" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <Show r={r} what={what} empty={(d) => (Array.isArray(d) ? d.length === 0 : false) && <>None yet.</>}>
        {(d) => <ul className="items">{(Array.isArray(d) ? d : []).map((x, i) => <li key={x.id ?? i}>{line(x)}</li>)}</ul>}
      </Show>
    </section>
  );
}

export function Settings() {
  return (
    <section aria-labelledby="settings-title">
      <header className="page-head"><h1 id="settings-title">Configuration</h1></header>
      <DetectionSettings />
      <Scorecards />
      <Simple title="Playbooks" path={svc('playbooks', '/playbooks')} what="playbooks" line={(p) => <><strong>{p.name}</strong> <span className="tag">{p.enabled ? 'enabled' : 'disabled'}</span> <span className="muted">{p.trigger?.type ?? p.definition?.trigger?.type ?? ''}</span></>} />
      <Simple title="Surveys" path={svc('surveys', '/surveys')} what="surveys" line={(s) => <><strong>{s.name}</strong> <span className="tag">{s.kind}</span> <span className="muted">{s.question}</span></>} />
      <Simple title="Personas" path={svc('health', '/personas')} what="personas" line={(p) => <><strong>{p.name}</strong> <span className="muted">{p.description ?? ''}</span> <When at={p.updatedAt ?? p.createdAt} /></>} />
    </section>
  );
}
