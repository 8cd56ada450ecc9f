const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

/**
 * Polls until `probe` returns a value other than undefined/null/false, or throws the last
 * error (or a timeout naming `what`). The way to assert on something that happens "soon".
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false> | T | undefined | null | false, options: WaitOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false) return value as T;
      lastError = undefined;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`timed out after ${options.timeoutMs ?? 30_000} ms waiting for ${what}${why}`);
    }
    await sleep(options.intervalMs ?? 100);
  }
}

/** Waits a while and checks that `probe` stays true the whole time (e.g. "still one task"). */
export async function holdsFor(ms: number, probe: () => Promise<boolean> | boolean, intervalMs = 200): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!(await probe())) return false;
    await sleep(intervalMs);
  }
  return probe();
}
