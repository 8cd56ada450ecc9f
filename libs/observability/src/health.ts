export interface HealthCheckResult {
  ok: boolean;
  detail?: string;
}

/** A dependency the service needs to be ready (database, Kafka). */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<HealthCheckResult>;
}

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

export async function runChecks(checks: ReadinessCheck[], timeoutMs = 2000) {
  const results = await Promise.all(
    checks.map(async (c) => {
      const timeout = new Promise<HealthCheckResult>((resolve) =>
        setTimeout(() => resolve({ ok: false, detail: `no answer within ${timeoutMs} ms` }), timeoutMs).unref());
      try {
        return [c.name, await Promise.race([c.check(), timeout])] as const;
      } catch (e) {
        return [c.name, { ok: false, detail: e instanceof Error ? e.message : String(e) }] as const;
      }
    }),
  );
  return { ok: results.every(([, r]) => r.ok), checks: Object.fromEntries(results) };
}
