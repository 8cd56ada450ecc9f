import { useState } from 'react';
import { api, ApiError, svc } from '../api';
import { canWork, useMe } from './session';

export interface Task {
  id: string; accountId: string; title: string; description: string; priority: string; assignee: string | null;
  status: string; statusReason: string | null; dueAt: string; createdAt: string; cause?: { type: string; summary: string };
}
export interface Alert {
  id: string; accountId: string; title: string; reason: string; severity: string; status: string; taskId: string | null;
  acknowledgedBy: string | null; acknowledgedAt: string | null; createdAt: string; cause?: { type: string; summary: string };
}

const NEXT: Record<string, { to: string; label: string }[]> = {
  open: [{ to: 'in_progress', label: 'Start' }, { to: 'done', label: 'Close as done' }],
  in_progress: [{ to: 'done', label: 'Close as done' }],
};

/** Status buttons of a task (and dismiss with a reason); the server has the last word. */
export function TaskActions({ task, onChanged }: { task: Task; onChanged: () => void }) {
  const me = useMe();
  const [error, setError] = useState<ApiError>();
  const [dismissing, setDismissing] = useState(false);
  const [reason, setReason] = useState('');
  const allowed = canWork(me);
  const move = async (status: string, why?: string) => {
    setError(undefined);
    try {
      await api('PATCH', svc('playbooks', `/tasks/${task.id}`), { status, ...(why ? { reason: why } : {}) });
      setDismissing(false);
      onChanged();
    } catch (e) {
      setError(e as ApiError);
    }
  };
  if (!NEXT[task.status]) return <span className="muted">{task.status === 'dismissed' && task.statusReason ? `dismissed: ${task.statusReason}` : ''}</span>;
  const title = allowed ? undefined : `The ${me.role} role cannot change tasks`;
  return (
    <div className="row-actions">
      {NEXT[task.status].map((n) => (
        <button key={n.to} type="button" disabled={!allowed} title={title} onClick={() => move(n.to)} aria-label={`${n.label}: ${task.title}`}>{n.label}</button>
      ))}
      {!dismissing && <button type="button" disabled={!allowed} title={title} onClick={() => setDismissing(true)}>Dismiss…</button>}
      {dismissing && (
        <form className="inline" onSubmit={(e) => { e.preventDefault(); void move('dismissed', reason); }}>
          <label className="sr-only" htmlFor={`reason-${task.id}`}>Reason for dismissing</label>
          <input id={`reason-${task.id}`} placeholder="reason" value={reason} onChange={(e) => setReason(e.target.value)} />
          <button type="submit">Dismiss</button>
          <button type="button" className="link" onClick={() => setDismissing(false)}>Cancel</button>
        </form>
      )}
      {error && <span className="field-error" role="alert">{error.message}</span>}
    </div>
  );
}

export function AckButton({ alert, onChanged }: { alert: Alert; onChanged: () => void }) {
  const me = useMe();
  const [error, setError] = useState<ApiError>();
  if (alert.status !== 'open') return <span className="muted">acknowledged{alert.acknowledgedBy ? ` by ${alert.acknowledgedBy}` : ''}</span>;
  const allowed = canWork(me);
  const ack = async () => {
    setError(undefined);
    try {
      await api('POST', svc('playbooks', `/alerts/${alert.id}/ack`));
      onChanged();
    } catch (e) {
      setError(e as ApiError);
    }
  };
  return (
    <div className="row-actions">
      <button type="button" disabled={!allowed} title={allowed ? undefined : `The ${me.role} role cannot acknowledge alerts`} onClick={ack} aria-label={`Acknowledge: ${alert.title}`}>Acknowledge</button>
      {error && <span className="field-error" role="alert">{error.message}</span>}
    </div>
  );
}
