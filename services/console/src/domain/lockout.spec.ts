import { afterFailure, isLocked } from './lockout';

const policy = { attempts: 3, lockMinutes: 15 };
const t0 = new Date('2026-01-01T10:00:00Z');

describe('sign-in lock-out', () => {
  it('locks after the configured number of wrong passwords in a row, for the configured time', () => {
    let s = { failedAttempts: 0, lockedUntil: null as Date | null };
    s = afterFailure(s, policy, t0);
    s = afterFailure(s, policy, t0);
    expect(isLocked(s, t0)).toBe(false);
    s = afterFailure(s, policy, t0);
    expect(isLocked(s, t0)).toBe(true);
    expect(isLocked(s, new Date(t0.getTime() + 14 * 60_000))).toBe(true);
    expect(isLocked(s, new Date(t0.getTime() + 15 * 60_000 + 1))).toBe(false);
  });

  it('starts a fresh count once a lock has run out', () => {
    const expired = { failedAttempts: 3, lockedUntil: new Date(t0.getTime() - 1) };
    expect(afterFailure(expired, policy, t0)).toEqual({ failedAttempts: 1, lockedUntil: null });
  });
});
