/** Repeated wrong passwords lock a user for a while; a success clears the count. */
export interface LockoutPolicy {
  attempts: number;
  lockMinutes: number;
}

export interface LockoutState {
  failedAttempts: number;
  lockedUntil: Date | null;
}

export function isLocked(state: LockoutState, now: Date): boolean {
  return !!state.lockedUntil && state.lockedUntil.getTime() > now.getTime();
}

/** The state after one more wrong password. */
export function afterFailure(state: LockoutState, policy: LockoutPolicy, now: Date): LockoutState {
  // A lock that has run out starts a fresh count.
  const previous = state.lockedUntil && state.lockedUntil.getTime() <= now.getTime() ? 0 : state.failedAttempts;
  const failedAttempts = previous + 1;
  if (failedAttempts >= policy.attempts) {
    return { failedAttempts, lockedUntil: new Date(now.getTime() + policy.lockMinutes * 60_000) };
  }
  return { failedAttempts, lockedUntil: null };
}
