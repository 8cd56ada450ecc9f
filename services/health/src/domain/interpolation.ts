/** A point of a measure's curve: at raw `value` the measure gives `points` (0–100). */
export interface Threshold {
  value: number;
  points: number;
}

/**
 * Maps a raw value to points along the thresholds (raw values strictly ascending), linearly
 * between two neighbours and flat beyond the first and last one.
 */
export function interpolate(thresholds: readonly Threshold[], x: number): number {
  if (thresholds.length === 0) throw new Error('a measure needs at least one threshold');
  const first = thresholds[0];
  const last = thresholds[thresholds.length - 1];
  if (x <= first.value) return first.points;
  if (x >= last.value) return last.points;
  for (let i = 1; i < thresholds.length; i++) {
    const hi = thresholds[i];
    if (x <= hi.value) {
      const lo = thresholds[i - 1];
      return lo.points + ((x - lo.value) / (hi.value - lo.value)) * (hi.points - lo.points);
    }
  }
  return last.points; // unreachable with ascending thresholds
}

export function round(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}
