import { FixedWindowRateLimiter } from './rate-limiter';

describe('rate limiter', () => {
  it('allows the limit per key and window, then says when to retry', () => {
    const limiter = new FixedWindowRateLimiter(2, 60_000);
    expect(limiter.take('ip:1', 0).allowed).toBe(true);
    expect(limiter.take('ip:1', 1000).allowed).toBe(true);
    expect(limiter.take('ip:1', 15_000)).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 45 });
    expect(limiter.take('ip:2', 15_000).allowed).toBe(true);
    expect(limiter.take('ip:1', 60_000).allowed).toBe(true);
  });

  it('stays bounded under a flood of distinct keys', () => {
    const limiter = new FixedWindowRateLimiter(1, 60_000, 100);
    for (let i = 0; i < 1000; i++) limiter.take(`ip:${i}`, i);
    expect((limiter as any).windows.size).toBeLessThanOrEqual(100);
  });
});
