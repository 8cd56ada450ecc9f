/**
 * Counts requests per key in fixed one-minute windows. In memory, per instance: with N
 * instances behind a load balancer the effective limit is up to N times higher.
 */
export class FixedWindowRateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly limit: number, private readonly windowMs = 60_000, private readonly maxKeys = 50_000) {}

  /** Counts one request; says whether it is within the limit and, if not, when to retry. */
  take(key: string, now: number): { allowed: boolean; retryAfterSeconds: number; remaining: number } {
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      if (!w && this.windows.size >= this.maxKeys) this.prune(now);
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    const allowed = w.count <= this.limit;
    return { allowed, remaining: Math.max(0, this.limit - w.count), retryAfterSeconds: allowed ? 0 : Math.ceil((w.start + this.windowMs - now) / 1000) };
  }

  private prune(now: number): void {
    for (const [key, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(key);
    // Still full (a flood of distinct keys): forget the oldest half rather than grow without bound.
    if (this.windows.size >= this.maxKeys) {
      const keys = [...this.windows.keys()];
      for (const key of keys.slice(0, Math.ceil(keys.length / 2))) this.windows.delete(key);
    }
  }
}
