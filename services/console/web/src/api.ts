/** The browser's only door is the console's origin: /api/… (console) and /api/svc/<service>/… (gateway). */
export interface Me {
  workspaceId: string;
  email: string;
  name: string | null;
  role: 'admin' | 'cs-ops' | 'csm' | 'viewer';
  via: 'password' | 'sso';
  csrfToken: string;
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly messages: string[]) {
    super(messages.join('; ') || `request failed (${status})`);
  }

  /** Messages about one field: "field: …" or class-validator's "field must …". */
  about(field: string): string[] {
    return this.messages.filter((m) => m.startsWith(`${field}:`) || m.startsWith(`${field} `));
  }
}

let csrf = '';
export function setCsrf(token: string) { csrf = token; }

let onSignedOut: () => void = () => undefined;
export function whenSignedOut(fn: () => void) { onSignedOut = fn; }

export async function api<T = any>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrf;
  const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  const text = await r.text();
  let json: any;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = text; }
  if (!r.ok) {
    const m = json?.message;
    const messages = Array.isArray(m) ? m.map(String) : m ? [String(m)] : [`request failed (${r.status})`];
    if (r.status === 401 && path !== '/api/session') onSignedOut();
    throw new ApiError(r.status, messages);
  }
  return json as T;
}

export const get = <T = any>(path: string) => api<T>('GET', path);
export const svc = (service: string, path: string) => `/api/svc/${service}${path}`;

type LiveListener = (change: LiveChange) => void;
export interface LiveChange { kind: string; type: string; accountId?: string; id?: string; summary?: string }
const listeners = new Set<LiveListener>();
let source: EventSource | undefined;

/** One EventSource per tab; every page that wants live changes subscribes to it. */
export function startLive(onStatus: (connected: boolean) => void) {
  source?.close();
  source = new EventSource('/api/live');
  source.onopen = () => onStatus(true);
  source.onerror = () => onStatus(false);
  source.addEventListener('change', (e) => {
    const change = JSON.parse((e as MessageEvent).data) as LiveChange;
    for (const l of listeners) l(change);
  });
}
export function stopLive() { source?.close(); source = undefined; }
export function onLive(listener: LiveListener): () => void {
  listeners.add(listener);
  return () => { listeners.delete(listener); };
}
