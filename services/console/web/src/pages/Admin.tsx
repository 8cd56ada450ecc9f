import { FormEvent, useState } from 'react';
import { api, ApiError, svc } from '../api';
import { Field, FormError, Show, useGet, When } from '../components/data';
import { useMe } from '../components/session';

interface User { id: string; email: string; name: string | null; role: string; disabled: boolean; sso: boolean; lockedUntil: string | null; lastSignInAt: string | null }
const ROLES = ['admin', 'cs-ops', 'csm', 'viewer'];

function Users() {
  const me = useMe();
  const r = useGet<User[]>('/api/users');
  const [form, setForm] = useState({ email: '', name: '', role: 'csm', password: '' });
  const [error, setError] = useState<ApiError>();
  const [rowError, setRowError] = useState<string>();
  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      await api('POST', '/api/users', { ...form, name: form.name || undefined });
      setForm({ email: '', name: '', role: 'csm', password: '' });
      r.reload();
    } catch (err) { setError(err as ApiError); }
  };
  const change = async (u: User, body: Record<string, unknown>) => {
    setRowError(undefined);
    try { await api('PATCH', `/api/users/${u.id}`, body); r.reload(); } catch (err) { setRowError((err as ApiError).message); }
  };
  return (
    <section className="panel" aria-labelledby="users-title">
      <h2 id="users-title">Users and roles</h2>
      {rowError && <div className="state error" role="alert">{rowError}</div>}
      <Show r={r} what="users">
        {(users) => (
          <table className="grid" aria-label="Users">
            <thead><tr><th scope="col">E-mail</th><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Last sign-in</th><th scope="col">State</th></tr></thead>
            <tbody>{users.map((u) => (
              <tr key={u.id}>
                <th scope="row">{u.email}{u.sso && <span className="tag">SSO</span>}</th><td>{u.name ?? '—'}</td>
                <td>
                  <label className="sr-only" htmlFor={`role-${u.id}`}>Role of {u.email}</label>
                  <select id={`role-${u.id}`} value={u.role} disabled={u.email === me.email} onChange={(e) => change(u, { role: e.target.value })}>
                    {ROLES.map((x) => <option key={x}>{x}</option>)}
                  </select>
                </td>
                <td><When at={u.lastSignInAt} /></td>
                <td>
                  {u.lockedUntil && new Date(u.lockedUntil) > new Date() ? <button type="button" onClick={() => change(u, { unlock: true })}>Unlock</button> : null}
                  {u.email !== me.email && <button type="button" onClick={() => change(u, { disabled: !u.disabled })}>{u.disabled ? 'Enable' : 'Disable'}</button>}
                </td>
              </tr>
            ))}</tbody>
          </table>
        )}
      </Show>
      <h3>Add a user</h3>
      <form className="form-grid" onSubmit={create} noValidate>
        <Field label="E-mail" name="email" error={error}><input id="f-email" type="email" value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} /></Field>
        <Field label="Name" name="name" error={error}><input id="f-name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} /></Field>
        <Field label="Role" name="role" error={error}><select id="f-role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value })}>{ROLES.map((x) => <option key={x}>{x}</option>)}</select></Field>
        <Field label="Password (12+ characters)" name="password" error={error}><input id="f-password" type="password" autoComplete="new-password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} /></Field>
        <FormError error={error} fields={['email', 'name', 'role', 'password']} />
        <div><button type="submit" className="primary">Add user</button></div>
      </form>
    </section>
  );
}

function WriteKeys() {
  const r = useGet<any[]>(svc('ingestion', '/write-keys'));
  const [created, setCreated] = useState<string>();
  const [name, setName] = useState('');
  const [error, setError] = useState<ApiError>();
  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      const k = await api('POST', svc('ingestion', '/write-keys'), { name });
      setCreated(k.writeKey); setName(''); r.reload();
    } catch (err) { setError(err as ApiError); }
  };
  return (
    <section className="panel" aria-labelledby="keys-title">
      <h2 id="keys-title">Segment write keys</h2>
      <Show r={r} what="write keys" empty={(d) => d.length === 0 && <>No write keys yet.</>}>
        {(keys) => <ul className="items">{keys.map((k) => <li key={k.id}><strong>{k.name}</strong> <span className="muted">{k.prefix ?? ''}</span> <When at={k.createdAt} /></li>)}</ul>}
      </Show>
      {created && <p className="note" role="status">New key (shown once): <code>{created}</code></p>}
      <form className="form-grid" onSubmit={create} noValidate>
        <Field label="Name of the new key" name="name" error={error}><input id="f-name" value={name} onChange={(e) => setName(e.target.value)} /></Field>
        <FormError error={error} fields={['name']} />
        <div><button type="submit">Create key</button></div>
      </form>
    </section>
  );
}

function Audit() {
  const r = useGet<any[]>('/api/audit?limit=200');
  return (
    <section className="panel" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      <Show r={r} what="the audit log" empty={(d) => d.length === 0 && <>No changes made through the console yet.</>}>
        {(entries) => (
          <table className="grid" aria-label="Audit log">
            <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Before → after</th></tr></thead>
            <tbody>{entries.map((e) => (
              <tr key={e.id} data-audit={e.id}>
                <td><time dateTime={e.at}>{new Date(e.at).toLocaleString()}</time></td>
                <td>{e.actor} <span className="tag">{e.actorRole}</span></td>
                <td><code>{e.action}</code></td>
                <td><details><summary>{summarize(e.before, e.after)}</summary><pre>{JSON.stringify({ before: e.before, after: e.after }, null, 2)}</pre></details></td>
              </tr>
            ))}</tbody>
          </table>
        )}
      </Show>
    </section>
  );
}

function summarize(before: any, after: any): string {
  if (before && after && typeof before === 'object' && typeof after === 'object') {
    const changed = Object.keys(after).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]) && !/At$/.test(k));
    if (changed.length) return changed.slice(0, 3).map((k) => `${k}: ${JSON.stringify(before[k])} → ${JSON.stringify(after[k])}`).join(', ');
  }
  return after ? 'created' : 'removed';
}

function Channels() {
  const r = useGet<any[]>(svc('playbooks', '/channels'));
  return (
    <section className="panel" aria-labelledby="channels-title">
      <h2 id="channels-title">Alert channels</h2>
      <Show r={r} what="channels" empty={(d) => d.length === 0 && <>No channels: alerts land in the in-app inbox only.</>}>
        {(cs) => <ul className="items">{cs.map((c) => <li key={c.id}><strong>{c.type}</strong> <span className="muted">{c.url ?? c.to ?? ''}</span></li>)}</ul>}
      </Show>
    </section>
  );
}

export function Admin() {
  return (
    <section aria-labelledby="admin-title">
      <header className="page-head"><h1 id="admin-title">Administration</h1></header>
      <Users />
      <Audit />
      <WriteKeys />
      <Channels />
    </section>
  );
}
