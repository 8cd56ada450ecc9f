import { FormEvent, useState } from 'react';
import { api, ApiError, Me } from '../api';
import { Field, FormError, useGet } from '../components/data';
import { useLocation } from '../router';

export function SignIn({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const { query } = useLocation();
  const options = useGet<{ password: boolean; sso: { url: string } | null }>('/api/auth/options');
  const [workspace, setWorkspace] = useState(() => localStorage.getItem('cairn.workspace') ?? '');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ApiError | undefined>(query.get('error') ? new ApiError(401, [query.get('error')!]) : undefined);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const me = await api<Me>('POST', '/api/session', { workspace, email, password });
      localStorage.setItem('cairn.workspace', workspace);
      onSignedIn(me);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, [String(err)]));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="signin">
      <form className="card" onSubmit={submit} aria-labelledby="signin-title" noValidate>
        <h1 id="signin-title"><span className="logo" aria-hidden="true" /> Sign in to Cairn</h1>
        <Field label="Workspace" name="workspace" error={error}>
          <input id="f-workspace" name="workspace" autoComplete="organization" value={workspace} onChange={(e) => setWorkspace(e.target.value)} required />
        </Field>
        <Field label="E-mail" name="email" error={error}>
          <input id="f-email" name="email" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required />
        </Field>
        <Field label="Password" name="password" error={error}>
          <input id="f-password" name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </Field>
        <FormError error={error} fields={['workspace', 'email', 'password']} />
        <button type="submit" className="primary" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
        {options.data?.sso && (
          <>
            <div className="or" aria-hidden="true">or</div>
            <a className="button" href={`${options.data.sso.url}?returnTo=/`}>Sign in with single sign-on</a>
          </>
        )}
      </form>
    </main>
  );
}
