import { lazy, StrictMode, Suspense, useCallback, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { api, get, Me, onLive, setCsrf, startLive, stopLive, whenSignedOut } from './api';
import { Loading } from './components/data';
import { isAdmin, SessionContext } from './components/session';
import { Portfolio } from './pages/Portfolio';
import { SignIn } from './pages/SignIn';
import { Link, navigate, useLocation } from './router';
import './styles.css';

const Account = lazy(() => import('./pages/Account').then((m) => ({ default: m.Account })));
const Tasks = lazy(() => import('./pages/Work').then((m) => ({ default: m.Tasks })));
const Alerts = lazy(() => import('./pages/Work').then((m) => ({ default: m.Alerts })));
const Renewals = lazy(() => import('./pages/Renewals').then((m) => ({ default: m.Renewals })));
const Settings = lazy(() => import('./pages/Settings').then((m) => ({ default: m.Settings })));
const Admin = lazy(() => import('./pages/Admin').then((m) => ({ default: m.Admin })));

interface Toast { id: number; text: string; href?: string }

function Shell({ me, onSignOut }: { me: Me; onSignOut: () => void }) {
  const { path } = useLocation();
  const [live, setLive] = useState(false);
  const [toasts, setToasts] = useState<Toast[]>([]);
  useEffect(() => {
    startLive(setLive);
    const off = onLive((c) => {
      if (c.type !== 'playbook.alert-raised') return;
      const t = { id: Date.now() + Math.random(), text: `New alert: ${c.summary ?? 'risk'} (${c.accountId})`, href: c.accountId ? `/accounts/${encodeURIComponent(c.accountId)}` : undefined };
      setToasts((ts) => [...ts.slice(-3), t]);
      setTimeout(() => setToasts((ts) => ts.filter((x) => x.id !== t.id)), 10_000);
    });
    return () => { off(); stopLive(); };
  }, []);
  let page;
  const account = /^\/accounts\/([^/]+)$/.exec(path);
  if (account) page = <Account id={decodeURIComponent(account[1])} />;
  else if (path === '/tasks') page = <Tasks />;
  else if (path === '/alerts') page = <Alerts />;
  else if (path === '/renewals') page = <Renewals />;
  else if (path.startsWith('/settings')) page = <Settings />;
  else if (path.startsWith('/admin')) page = isAdmin(me) ? <Admin /> : <p className="state error" role="alert">Administration is for admins; you are signed in as {me.role}.</p>;
  else page = <Portfolio />;
  const nav = [
    ['/portfolio', 'Portfolio'], ['/alerts', 'Alerts'], ['/tasks', 'Tasks'], ['/renewals', 'Renewals'], ['/settings', 'Configuration'],
    ...(isAdmin(me) ? [['/admin', 'Admin']] : []),
  ];
  const current = (href: string) => (href === '/portfolio' ? path === '/' || path === '/portfolio' || path.startsWith('/accounts/') : path.startsWith(href));
  return (
    <SessionContext.Provider value={me}>
      <a className="skip" href="#main">Skip to content</a>
      <header className="top">
        <Link href="/portfolio" className="brand"><span className="logo" aria-hidden="true" /> Cairn</Link>
        <nav aria-label="Main">
          <ul>{nav.map(([href, label]) => <li key={href}><Link href={href} aria-current={current(href) ? 'page' : undefined}>{label}</Link></li>)}</ul>
        </nav>
        <div className="who">
          <span className={`live ${live ? 'on' : 'off'}`} title={live ? 'Live updates on' : 'Live updates reconnecting'}>{live ? 'live' : 'offline'}</span>
          <span>{me.name ?? me.email} <span className="tag">{me.role}</span> <span className="muted">{me.workspaceId}</span></span>
          <button type="button" onClick={onSignOut}>Sign out</button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading what="the page" />}>{page}</Suspense>
      </main>
      <div className="toasts" aria-live="polite">
        {toasts.map((t) => <div key={t.id} className="toast" role="status">{t.href ? <Link href={t.href}>{t.text}</Link> : t.text}</div>)}
      </div>
    </SessionContext.Provider>
  );
}

function App() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const signedIn = useCallback((m: Me) => {
    setCsrf(m.csrfToken);
    setMe(m);
    if (location.pathname === '/signin') navigate('/portfolio');
  }, []);
  useEffect(() => {
    whenSignedOut(() => setMe(null));
    get<Me>('/api/session').then(signedIn, () => setMe(null));
  }, [signedIn]);
  const signOut = async () => {
    await api('DELETE', '/api/session').catch(() => undefined);
    setMe(null);
    navigate('/signin');
  };
  if (me === undefined) return <Loading what="Cairn" />;
  if (me === null) return <SignIn onSignedIn={signedIn} />;
  return <Shell me={me} onSignOut={signOut} />;
}

createRoot(document.getElementById('root')!).render(<StrictMode><App /></StrictMode>);
