import { ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, get, LiveChange, onLive } from '../api';

export interface Loaded<T> {
  data?: T;
  error?: ApiError;
  loading: boolean;
  reload: () => void;
}

/** GET a path; reload when it changes, on demand, or when a live change passes `liveFilter`. */
export function useGet<T>(path: string | null, liveFilter?: (c: LiveChange) => boolean): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: !!path });
  const seq = useRef(0);
  const load = useCallback(() => {
    if (!path) return;
    const n = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    get<T>(path).then(
      (data) => { if (n === seq.current) setState({ data, loading: false }); },
      (error) => { if (n === seq.current) setState((s) => ({ data: s.data, error: error instanceof ApiError ? error : new ApiError(0, [String(error)]), loading: false })); },
    );
  }, [path]);
  useEffect(() => { load(); }, [load]);
  const filter = useRef(liveFilter);
  filter.current = liveFilter;
  useEffect(() => onLive((c) => { if (filter.current?.(c)) load(); }), [load]);
  return { ...state, reload: load };
}

export function Loading({ what }: { what: string }) {
  return <div className="state loading" role="status" aria-live="polite"><span className="spinner" aria-hidden="true" /> Loading {what}…</div>;
}

export function ErrorState({ error, retry, what }: { error: ApiError; retry?: () => void; what: string }) {
  return (
    <div className="state error" role="alert">
      <strong>Could not load {what}.</strong> <span>{error.message}</span>
      {retry && <button type="button" className="link" onClick={retry}>Try again</button>}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="state empty">{children}</div>;
}

/** The usual three states around a loaded value. */
export function Show<T>({ r, what, children, empty }: { r: Loaded<T>; what: string; children: (d: T) => ReactNode; empty?: (d: T) => ReactNode | false }) {
  if (r.data === undefined && r.loading) return <Loading what={what} />;
  if (r.data === undefined && r.error) return <ErrorState error={r.error} retry={r.reload} what={what} />;
  if (r.data === undefined) return null;
  const e = empty?.(r.data);
  return <>{r.error && <ErrorState error={r.error} retry={r.reload} what={`the latest ${what}`} />}{e ? <Empty>{e}</Empty> : children(r.data)}</>;
}

export function Band({ band, score }: { band: string | null | undefined; score?: number | null }) {
  if (!band) return <span className="band unscored" title="Not scored yet: too little data">not scored yet</span>;
  return <span className={`band ${band}`}>{score !== undefined && score !== null ? `${score.toFixed(0)} ` : ''}{band}</span>;
}

export function When({ at }: { at: string | null | undefined }) {
  if (!at) return <span className="muted">—</span>;
  const d = new Date(at);
  return <time dateTime={at} title={d.toLocaleString()}>{d.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' })}</time>;
}

export const money = (n: number | null | undefined) => (n === null || n === undefined ? '—' : n.toLocaleString(undefined, { style: 'currency', currency: 'USD', maximumFractionDigits: 0 }));

/** A form field with the server's message(s) about it right under it. */
export function Field({ label, name, error, children }: { label: string; name: string; error?: ApiError; children: ReactNode }) {
  const messages = error?.about(name) ?? [];
  return (
    <div className={`field${messages.length ? ' invalid' : ''}`}>
      <label htmlFor={`f-${name}`}>{label}</label>
      {children}
      {messages.map((m) => <div key={m} className="field-error" id={`f-${name}-error`} role="alert">{m}</div>)}
    </div>
  );
}

/** Messages of an error that name no field of the form. */
export function FormError({ error, fields }: { error?: ApiError; fields: string[] }) {
  if (!error) return null;
  const rest = error.messages.filter((m) => !fields.some((f) => m.startsWith(`${f}:`) || m.startsWith(`${f} `)));
  return rest.length ? <div className="state error" role="alert">{rest.join('; ')}</div> : null;
}
