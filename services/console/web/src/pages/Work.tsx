import type { ReactElement } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import { svc } from '../api';
import { Show, useGet, When } from '../components/data';
import { canWork, ReadOnlyNote, useMe } from '../components/session';
import { AckButton, Alert, Task, TaskActions } from '../components/work';
import { Link, navigate, useLocation } from '../router';

/** Long lists render only the rows in view (TanStack Virtual); a queue can hold thousands. */
function VirtualList<T>({ items, render, label, estimate = 92 }: { items: T[]; render: (t: T) => ReactElement; label: string; estimate?: number }) {
  const parent = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({ count: items.length, getScrollElement: () => parent.current, estimateSize: () => estimate, overscan: 8 });
  return (
    <div ref={parent} className="virtual" role="list" aria-label={label} tabIndex={0} style={{ maxHeight: '70vh', overflow: 'auto' }}>
      <div style={{ height: v.getTotalSize(), position: 'relative' }}>
        {v.getVirtualItems().map((row) => (
          <div key={row.key} role="listitem" data-index={row.index} ref={v.measureElement} style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${row.start}px)` }}>
            {render(items[row.index])}
          </div>
        ))}
      </div>
    </div>
  );
}

export function Tasks() {
  const me = useMe();
  const { query } = useLocation();
  const status = query.get('status') ?? 'open';
  const mine = query.get('assignee') !== 'all';
  const path = svc('playbooks', `/tasks?limit=1000${status === 'any' ? '' : `&status=${status}`}${mine && me.role === 'csm' ? `&assignee=${encodeURIComponent(me.email)}` : ''}`);
  const r = useGet<Task[]>(path, (c) => c.kind === 'task');
  const set = (k: string, v: string) => { const q = new URLSearchParams(query); q.set(k, v); navigate(`/tasks?${q}`); };
  return (
    <section aria-labelledby="tasks-title">
      <header className="page-head">
        <h1 id="tasks-title">Task queue</h1>
        <div className="actions">
          <label>Status
            <select value={status} onChange={(e) => set('status', e.target.value)}>
              {['open', 'in_progress', 'done', 'dismissed', 'any'].map((s) => <option key={s} value={s}>{s.replace('_', ' ')}</option>)}
            </select>
          </label>
          {me.role === 'csm' && (
            <div className="segmented" role="group" aria-label="Whose tasks">
              <button type="button" aria-pressed={mine} onClick={() => set('assignee', 'me')}>Mine</button>
              <button type="button" aria-pressed={!mine} onClick={() => set('assignee', 'all')}>Team</button>
            </div>
          )}
        </div>
      </header>
      {!canWork(me) && <ReadOnlyNote what="change tasks" />}
      <Show r={r} what="tasks" empty={(d) => d.length === 0 && <>No {status === 'any' ? '' : status.replace('_', ' ')} tasks. Playbooks create tasks when an account shows risk.</>}>
        {(tasks) => (
          <VirtualList items={tasks} label="Tasks" render={(t) => (
            <div className="item" data-task={t.id}>
              <div><strong>{t.title}</strong> <span className="tag">{t.priority}</span> <span className={`status ${t.status}`}>{t.status.replace('_', ' ')}</span></div>
              <p className="muted"><Link href={`/accounts/${encodeURIComponent(t.accountId)}`}>{t.accountId}</Link> · due <When at={t.dueAt} /> · {t.assignee ?? 'unassigned'}</p>
              <TaskActions task={t} onChanged={r.reload} />
            </div>
          )} />
        )}
      </Show>
    </section>
  );
}

export function Alerts() {
  const me = useMe();
  const { query } = useLocation();
  const status = query.get('status') ?? 'open';
  const r = useGet<Alert[]>(svc('playbooks', `/inbox?limit=500${status === 'any' ? '' : `&status=${status}`}`), (c) => c.kind === 'alert');
  return (
    <section aria-labelledby="alerts-title">
      <header className="page-head">
        <h1 id="alerts-title">Alerts inbox</h1>
        <div className="actions">
          <label>Status
            <select value={status} onChange={(e) => navigate(`/alerts?status=${e.target.value}`)}>
              {['open', 'acknowledged', 'any'].map((s) => <option key={s} value={s}>{s}</option>)}
            </select>
          </label>
        </div>
      </header>
      {!canWork(me) && <ReadOnlyNote what="acknowledge alerts" />}
      <Show r={r} what="alerts" empty={(d) => d.length === 0 && <>Inbox zero: no {status === 'any' ? '' : status} alerts.</>}>
        {(alerts) => (
          <VirtualList items={alerts} label="Alerts" render={(a) => (
            <div className={`item sev-${a.severity}`} data-alert={a.id}>
              <div><strong>{a.title}</strong> <span className="tag">{a.severity}</span> <When at={a.createdAt} /></div>
              <p>{a.reason}</p>
              <p className="muted"><Link href={`/accounts/${encodeURIComponent(a.accountId)}`}>{a.accountId}</Link>{a.cause ? ` · cause: ${a.cause.type}` : ''}{a.taskId ? ' · has a task' : ''}</p>
              <AckButton alert={a} onChanged={r.reload} />
            </div>
          )} />
        )}
      </Show>
    </section>
  );
}
