/** The steady mixed load the fault suite keeps up while it breaks things, and its ledger. */
export interface Outcome { status: number | 'refused' | 'hang'; ms: number }

export class Ledger {
  readonly byKind = new Map<string, { sent: number; accepted: number; refused: number; hangs: number; fiveXx: number; statuses: Map<string, number> }>();
  /** 5xx other than a 503 with Retry-After: each one a failure. */
  readonly fiveXxSamples: string[] = [];

  record(kind: string, what: string, o: Outcome, retryAfter: boolean) {
    const k = this.byKind.get(kind) ?? { sent: 0, accepted: 0, refused: 0, hangs: 0, fiveXx: 0, statuses: new Map() };
    this.byKind.set(kind, k);
    const key = String(o.status);
    k.statuses.set(key, (k.statuses.get(key) ?? 0) + 1);
    if (o.status === 'hang') k.hangs++;
    else if (o.status === 'refused' || o.status === 429 || (o.status === 503 && retryAfter)) k.refused++;
    else if (o.status >= 500) { k.fiveXx++; if (this.fiveXxSamples.length < 30) this.fiveXxSamples.push(`${kind} ${what} → ${o.status}`); }
  }
}

/** One HTTP call with a deadline: a status, 'refused' (nothing listening / reset) or 'hang' (no answer in time). */
export async function call(ledger: Ledger, kind: string, method: string, url: string, opts: { headers?: Record<string, string>; body?: string; timeoutMs?: number } = {}) {
  const t = Date.now();
  try {
    const res = await fetch(url, { method, headers: opts.headers, body: opts.body, signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000) });
    const text = await res.text();
    ledger.record(kind, `${method} ${new URL(url).pathname}`, { status: res.status, ms: Date.now() - t }, res.headers.has('retry-after'));
    return { status: res.status as number, text, headers: res.headers };
  } catch (e: any) {
    const hang = e?.name === 'TimeoutError' || e?.name === 'AbortError';
    ledger.record(kind, `${method} ${url}`, { status: hang ? 'hang' : 'refused', ms: Date.now() - t }, false);
    return { status: hang ? -2 : -1, text: '', headers: new Headers() };
  }
}

/**
 * Retries one logical operation until it is accepted (2xx), like Segment's SDKs and any sane
 * client do; the operation carries an idempotency key (messageId, contract id, contact id), so a
 * retry of something that did land must not count twice.
 */
export async function untilAccepted(ledger: Ledger, kind: string, op: () => Promise<{ status: number }>, giveUpMs = 120_000): Promise<boolean> {
  const k = () => ledger.byKind.get(kind)!;
  const deadline = Date.now() + giveUpMs;
  let first = true;
  while (Date.now() < deadline) {
    const r = await op();
    if (first) { k().sent++; first = false; }
    if (r.status >= 200 && r.status < 300) { k().accepted++; return true; }
    if (r.status >= 400 && r.status < 500 && r.status !== 429) return false;
    await new Promise((res) => setTimeout(res, 1000));
  }
  return false;
}
