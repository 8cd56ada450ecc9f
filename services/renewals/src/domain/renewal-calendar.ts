/**
 * The renewal calendar: at fixed horizons before a contract's end date (by default 120, 90,
 * 60 and 30 days) the CSM hears that the renewal is coming, once per contract and horizon.
 *
 * Days are counted on calendar dates in UTC. A contract moves towards its end date only once:
 * when several horizons have passed since the last notice (a late import, the service was
 * down), only the nearest one fires and the ones skipped never will; once a horizon fired, no
 * wider horizon fires for that contract any more, even if its end date is moved later (a
 * renewed term is a new contract).
 */
export const DEFAULT_HORIZONS_DAYS = [120, 90, 60, 30] as const;

const DAY_MS = 86_400_000;

/** YYYY-MM-DD of an instant, in UTC. */
export function utcDate(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** Whole days from `today` to `endDate` (both YYYY-MM-DD); negative once the contract ended. */
export function daysUntil(endDate: string, today: string): number {
  return Math.round((Date.parse(`${endDate}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS);
}

/**
 * The horizon whose notice is due now, or null: the nearest horizon already reached, unless
 * that horizon or a nearer one was already announced, or the contract has ended.
 */
export function dueHorizon(daysToRenewal: number, horizons: readonly number[], nearestFired: number | null): number | null {
  if (daysToRenewal < 0) return null;
  const reached = horizons.filter((h) => daysToRenewal <= h);
  if (reached.length === 0) return null;
  const nearest = Math.min(...reached);
  if (nearestFired !== null && nearestFired <= nearest) return null;
  return nearest;
}

/** The horizon that fires next: the one due now (at the next scan), else the next one to be reached, else null. */
export function nextHorizon(days: number, horizons: readonly number[], nearestSent: number | null): number | null {
  const dueNow = dueHorizon(days, horizons, nearestSent);
  if (dueNow !== null) return dueNow;
  const ahead = horizons.filter((h) => h < days && (nearestSent === null || h < nearestSent));
  return ahead.length ? Math.max(...ahead) : null;
}

/** Parses "120,90,60,30" into distinct positive day counts, widest first; throws naming the problem. */
export function parseHorizons(text: string): number[] {
  const parts = text.split(',').map((p) => p.trim()).filter((p) => p !== '');
  if (parts.length === 0) throw new Error('needs at least one horizon, e.g. "120,90,60,30"');
  const days = parts.map((p) => {
    if (!/^\d+$/.test(p) || Number(p) < 1 || Number(p) > 1095) throw new Error(`"${p}" is not a whole number of days from 1 to 1095`);
    return Number(p);
  });
  if (new Set(days).size !== days.length) throw new Error(`horizons must be distinct (got ${text})`);
  return days.sort((a, b) => b - a);
}
