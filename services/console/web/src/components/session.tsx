import { createContext, useContext } from 'react';
import type { Me } from '../api';

export const SessionContext = createContext<Me | null>(null);
export const useMe = () => useContext(SessionContext)!;

const WORKERS = ['admin', 'cs-ops', 'csm'];
const CONFIGURERS = ['admin', 'cs-ops'];
/** Mirrors the server's rules so the UI can say why a button is off; the server decides. */
export const canWork = (me: Me) => WORKERS.includes(me.role);
export const canConfigure = (me: Me) => CONFIGURERS.includes(me.role);
export const isAdmin = (me: Me) => me.role === 'admin';

export function ReadOnlyNote({ what }: { what: string }) {
  const me = useMe();
  return <p className="note" role="note">Read-only: the {me.role} role cannot {what}.</p>;
}
