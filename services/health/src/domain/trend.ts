export interface ScoredAt {
  score: number;
  at: string;
}

export interface HealthTrend {
  delta: number;
  /** '7d': compared with the score in force 7 days before the current one; 'previous': with the score before it. */
  basis: '7d' | 'previous';
  comparedTo: ScoredAt;
}

const WEEK_MS = 7 * 86_400_000;

/**
 * Trend of a score: the change vs the score in force a week before the current one was
 * reached, or — when the history is younger than a week — vs the previous score.
 * `history` is newest first and starts with the current score.
 */
export function healthTrend(history: readonly ScoredAt[]): HealthTrend | null {
  const [current, ...older] = history;
  if (!current || older.length === 0) return null;
  const weekBefore = Date.parse(current.at) - WEEK_MS;
  const then = older.find((h) => Date.parse(h.at) <= weekBefore);
  if (then) return { delta: current.score - then.score, basis: '7d', comparedTo: then };
  return { delta: current.score - older[0].score, basis: 'previous', comparedTo: older[0] };
}
