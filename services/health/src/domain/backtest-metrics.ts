import { HealthBand } from '@cairn/contracts';

/**
 * Metrics of a health score as a churn predictor. A low score means risk, so an account's risk
 * rank is its score ascending. Scores are whole points 0–100, which lets every metric work on a
 * 101-bin histogram (ties handled exactly, bootstrap resamples cost one pass over the pairs).
 */
export const BINS = 101;

/** One (account, as-of day) observation: the score then and whether it churned within the horizon. */
export interface ScoredPair {
  account: number;
  score: number;
  band: HealthBand;
  churned: boolean;
}

export interface Histogram {
  pos: Float64Array;
  neg: Float64Array;
}

export function histogram(pairs: Iterable<{ score: number; churned: boolean }>, weight = 1, into?: Histogram): Histogram {
  const h = into ?? { pos: new Float64Array(BINS), neg: new Float64Array(BINS) };
  for (const p of pairs) {
    const b = Math.max(0, Math.min(100, Math.round(p.score)));
    if (p.churned) h.pos[b] += weight;
    else h.neg[b] += weight;
  }
  return h;
}

function totals(h: Histogram): { P: number; N: number } {
  let P = 0, N = 0;
  for (let b = 0; b < BINS; b++) { P += h.pos[b]; N += h.neg[b]; }
  return { P, N };
}

/**
 * ROC AUC: the probability that a churner scored lower than an account that stayed (ties count
 * half). Null without at least one of each.
 */
export function rocAuc(h: Histogram): number | null {
  const { P, N } = totals(h);
  if (P === 0 || N === 0) return null;
  // Walk from the highest score down: negatives above a positive's bin are ranked safer than it.
  let negAbove = 0, sum = 0;
  for (let b = BINS - 1; b >= 0; b--) {
    sum += h.pos[b] * (negAbove + 0.5 * h.neg[b]);
    negAbove += h.neg[b];
  }
  return sum / (P * N);
}

/**
 * PR AUC as average precision: accounts taken riskiest first (score ascending), a whole tie
 * group at a time; AP = Σ (recall gained) × precision at that point. Null without churners.
 */
export function prAuc(h: Histogram): number | null {
  const { P } = totals(h);
  if (P === 0) return null;
  let tp = 0, fp = 0, ap = 0;
  for (let b = 0; b < BINS; b++) {
    if (h.pos[b] === 0 && h.neg[b] === 0) continue;
    tp += h.pos[b];
    fp += h.neg[b];
    ap += (h.pos[b] / P) * (tp / (tp + fp));
  }
  return ap;
}

/**
 * Lift of the riskiest tenth: its churn rate over the overall churn rate. The tie group that
 * straddles the tenth counts pro rata. Null without churners.
 */
export function topDecileLift(h: Histogram): number | null {
  const { P, N } = totals(h);
  if (P === 0) return null;
  const n = P + N;
  let take = n / 10, churners = 0;
  for (let b = 0; b < BINS && take > 0; b++) {
    const inBin = h.pos[b] + h.neg[b];
    if (inBin === 0) continue;
    const share = Math.min(1, take / inBin);
    churners += h.pos[b] * share;
    take -= inBin * share;
  }
  return (churners / (n / 10)) / (P / n);
}

export interface BandRate {
  band: HealthBand;
  pairs: number;
  churned: number;
  /** Null when the band has no pair (never NaN). */
  churnRate: number | null;
}

export function bandChurnRates(pairs: Iterable<ScoredPair>): BandRate[] {
  const by: Record<HealthBand, { pairs: number; churned: number }> = { red: { pairs: 0, churned: 0 }, yellow: { pairs: 0, churned: 0 }, green: { pairs: 0, churned: 0 } };
  for (const p of pairs) {
    by[p.band].pairs++;
    if (p.churned) by[p.band].churned++;
  }
  return (['red', 'yellow', 'green'] as const).map((band) => ({
    band, ...by[band], churnRate: by[band].pairs ? by[band].churned / by[band].pairs : null,
  }));
}

export interface RedPrecisionRecall {
  /** Of the pairs called red, the share that churned (null: nothing red). */
  precision: number | null;
  /** Of the pairs that churned, the share called red (null: no churner). */
  recall: number | null;
}

export function redPrecisionRecall(bands: BandRate[]): RedPrecisionRecall {
  const red = bands.find((b) => b.band === 'red')!;
  const churners = bands.reduce((s, b) => s + b.churned, 0);
  return { precision: red.pairs ? red.churned / red.pairs : null, recall: churners ? red.churned / churners : null };
}

/** Small, fast, seeded PRNG (mulberry32): bootstrap intervals are reproducible run to run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Interval {
  low: number;
  high: number;
}

/**
 * 95 % bootstrap intervals of ROC AUC and PR AUC, resampling accounts (an account's pairs on
 * different days are not independent, so they are drawn together). Null when the resamples that
 * have both classes are too few to say.
 */
export function bootstrapIntervals(pairs: readonly ScoredPair[], iterations = 200, seed = 14): { roc: Interval | null; pr: Interval | null } {
  const byAccount = new Map<number, ScoredPair[]>();
  for (const p of pairs) {
    const list = byAccount.get(p.account);
    if (list) list.push(p);
    else byAccount.set(p.account, [p]);
  }
  // Each account as its pairs' bins (positive bins first), so a resample costs one pass over the pairs drawn.
  const accounts = [...byAccount.values()].map((list) => ({
    pos: Int32Array.from(list.filter((p) => p.churned).map((p) => clampBin(p.score))),
    neg: Int32Array.from(list.filter((p) => !p.churned).map((p) => clampBin(p.score))),
  }));
  const n = accounts.length;
  if (n < 2) return { roc: null, pr: null };
  const random = seededRandom(seed);
  const rocs: number[] = [];
  const prs: number[] = [];
  const h: Histogram = { pos: new Float64Array(BINS), neg: new Float64Array(BINS) };
  for (let i = 0; i < iterations; i++) {
    h.pos.fill(0);
    h.neg.fill(0);
    for (let j = 0; j < n; j++) {
      const a = accounts[Math.floor(random() * n)];
      for (let k = 0; k < a.pos.length; k++) h.pos[a.pos[k]]++;
      for (let k = 0; k < a.neg.length; k++) h.neg[a.neg[k]]++;
    }
    const roc = rocAuc(h);
    const pr = prAuc(h);
    if (roc !== null) rocs.push(roc);
    if (pr !== null) prs.push(pr);
  }
  return { roc: percentiles(rocs, iterations), pr: percentiles(prs, iterations) };
}

function clampBin(score: number): number {
  return Math.max(0, Math.min(100, Math.round(score)));
}

function percentiles(values: number[], iterations: number): Interval | null {
  if (values.length < Math.max(10, iterations / 2)) return null;
  values.sort((a, b) => a - b);
  const at = (q: number) => values[Math.min(values.length - 1, Math.max(0, Math.round(q * (values.length - 1))))];
  return { low: at(0.025), high: at(0.975) };
}
