import { Threshold, interpolate } from './interpolation';
import { MEASURE_NAMES, MeasureName } from './measures';
import { Bands, ScorecardMeasure } from './scorecard';

/**
 * Fits a scorecard to a workspace's own history: per measure, points from the churn rate seen
 * at the measure's quantiles (thresholds); then weights from an L2-regularised logistic
 * regression of churn on those points; then bands from the fitted score's distribution. Plain
 * TypeScript, deterministic (no randomness), small enough to read.
 */
export interface FitRow {
  /** Raw measure inputs in MEASURE_NAMES order (null: no data). */
  inputs: (number | null)[];
  churned: boolean;
}

export interface FittedMeasure {
  measure: MeasureName;
  thresholds: Threshold[];
  /** Logistic coefficient on points/100 (negative: more points, less churn). */
  coefficient: number;
  /** Share of training rows that had data. */
  coverage: number;
}

export interface ScorecardFit {
  measures: ScorecardMeasure[];
  bands: Bands;
  intercept: number;
  fitted: FittedMeasure[];
  trainingRows: number;
  trainingChurnRate: number;
  /** Measures left out, each with why. */
  leftOut: { measure: MeasureName; why: string }[];
}

const QUANTILES = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1];
/** Pseudo-observations pulling a thin bin's churn rate toward the overall rate. */
const SMOOTHING = 20;
const MIN_COVERAGE = 0.05;

/** Thresholds of one measure: at each distinct quantile value, 100 × how much safer than the riskiest bin it is. */
export function fitThresholds(values: number[], labels: boolean[], overallRate: number): Threshold[] | null {
  const order = values.map((v, i) => i).sort((a, b) => values[a] - values[b]);
  const sorted = order.map((i) => values[i]);
  const cuts = [...new Set(QUANTILES.map((q) => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))]))];
  if (cuts.length < 2) return null;
  // Each cut owns the rows nearer to it than to its neighbours.
  const churned = new Array(cuts.length).fill(0);
  const count = new Array(cuts.length).fill(0);
  let c = 0;
  for (const i of order) {
    const v = values[i];
    while (c < cuts.length - 1 && Math.abs(cuts[c + 1] - v) <= Math.abs(cuts[c] - v)) c++;
    count[c]++;
    if (labels[i]) churned[c]++;
  }
  const rates = cuts.map((_, k) => (churned[k] + SMOOTHING * overallRate) / (count[k] + SMOOTHING));
  const hi = Math.max(...rates), lo = Math.min(...rates);
  if (hi - lo < 1e-6) return null;
  return cuts.map((value, k) => ({ value, points: Math.round(((hi - rates[k]) / (hi - lo)) * 1000) / 10 }));
}

/** L2-regularised logistic regression by Newton's method (IRLS). Returns [intercept, ...coefficients]. */
export function logisticRegression(x: number[][], y: boolean[], lambda = 1, iterations = 25): number[] {
  const n = x.length;
  const d = (x[0]?.length ?? 0) + 1;
  const beta = new Array(d).fill(0);
  for (let it = 0; it < iterations; it++) {
    const grad = new Array(d).fill(0);
    const hess = Array.from({ length: d }, () => new Array(d).fill(0));
    for (let i = 0; i < n; i++) {
      const row = x[i];
      let z = beta[0];
      for (let j = 1; j < d; j++) z += beta[j] * row[j - 1];
      const p = 1 / (1 + Math.exp(-z));
      const r = (y[i] ? 1 : 0) - p;
      const w = Math.max(p * (1 - p), 1e-9);
      const xi = [1, ...row];
      for (let j = 0; j < d; j++) {
        grad[j] += r * xi[j];
        for (let k = j; k < d; k++) hess[j][k] += w * xi[j] * xi[k];
      }
    }
    for (let j = 1; j < d; j++) { grad[j] -= lambda * beta[j]; hess[j][j] += lambda; }
    for (let j = 0; j < d; j++) for (let k = 0; k < j; k++) hess[j][k] = hess[k][j];
    const step = solve(hess, grad);
    if (!step) break;
    let moved = 0;
    for (let j = 0; j < d; j++) { beta[j] += step[j]; moved = Math.max(moved, Math.abs(step[j])); }
    if (moved < 1e-6) break;
  }
  return beta;
}

/** Gaussian elimination with partial pivoting; null when singular. */
function solve(a: number[][], b: number[]): number[] | null {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    if (Math.abs(m[p][c]) < 1e-12) return null;
    [m[c], m[p]] = [m[p], m[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  return m.map((row, i) => row[n] / row[i]);
}

export function fitScorecard(rows: readonly FitRow[], lambda = 1): ScorecardFit {
  const labels = rows.map((r) => r.churned);
  const overall = labels.filter(Boolean).length / Math.max(1, rows.length);
  const leftOut: ScorecardFit['leftOut'] = [];
  const candidates: { measure: MeasureName; index: number; thresholds: Threshold[]; coverage: number; mean: number }[] = [];
  MEASURE_NAMES.forEach((measure, index) => {
    const present = rows.filter((r) => r.inputs[index] !== null);
    const coverage = present.length / Math.max(1, rows.length);
    if (coverage < MIN_COVERAGE) { leftOut.push({ measure, why: `data on ${(coverage * 100).toFixed(1)} % of the training days (< ${MIN_COVERAGE * 100} %)` }); return; }
    const thresholds = fitThresholds(present.map((r) => r.inputs[index]!), present.map((r) => r.churned), overall);
    if (!thresholds) { leftOut.push({ measure, why: 'churn rate does not vary with it in the training data' }); return; }
    const mean = present.reduce((s, r) => s + interpolate(thresholds, r.inputs[index]!), 0) / present.length / 100;
    candidates.push({ measure, index, thresholds, coverage, mean });
  });
  // Missing data takes the measure's mean: the scorecard leaves such a measure out and renormalizes, which is close.
  const x = rows.map((r) => candidates.map((c) => (r.inputs[c.index] === null ? c.mean : interpolate(c.thresholds, r.inputs[c.index]!) / 100)));
  const beta = rows.length && candidates.length ? logisticRegression(x, labels, lambda) : [0];
  const fitted: FittedMeasure[] = candidates.map((c, j) => ({ measure: c.measure, thresholds: c.thresholds, coefficient: beta[j + 1], coverage: c.coverage }));
  const useful = fitted.filter((f) => f.coefficient < 0);
  for (const f of fitted) if (f.coefficient >= 0) leftOut.push({ measure: f.measure, why: `no protective effect once the other measures are known (coefficient ${f.coefficient.toFixed(3)})` });
  const total = useful.reduce((s, f) => s - f.coefficient, 0);
  let measures: ScorecardMeasure[] = useful
    .map((f) => ({ measure: f.measure, weight: Math.round((-f.coefficient / total) * 100), thresholds: f.thresholds }))
    .filter((m) => m.weight >= 1);
  if (measures.length === 0 && fitted.length) {
    const best = [...fitted].sort((a, b) => a.coefficient - b.coefficient)[0];
    measures = [{ measure: best.measure, weight: 100, thresholds: best.thresholds }];
  }
  return {
    measures, bands: { yellowFrom: 40, greenFrom: 70 }, intercept: beta[0], fitted,
    trainingRows: rows.length, trainingChurnRate: overall, leftOut,
  };
}

/**
 * Bands from scored training rows: red below the score that best separates churners (Youden's J
 * of "score below t"), green from the lowest score above it whose accounts churn at most half the
 * overall rate.
 */
export function fitBands(scored: readonly { score: number; churned: boolean }[]): Bands {
  const P = scored.filter((s) => s.churned).length;
  const N = scored.length - P;
  if (P === 0 || N === 0) return { yellowFrom: 40, greenFrom: 70 };
  let best = { t: 40, j: -1 };
  for (let t = 5; t <= 90; t++) {
    let tp = 0, fp = 0;
    for (const s of scored) if (s.score < t) { if (s.churned) tp++; else fp++; }
    const j = tp / P - fp / N;
    if (j > best.j) best = { t, j };
  }
  const overall = P / scored.length;
  let green = Math.min(100, best.t + 20);
  for (let t = best.t + 5; t <= 95; t++) {
    const above = scored.filter((s) => s.score >= t);
    if (above.length < Math.max(10, scored.length * 0.05)) break;
    if (above.filter((s) => s.churned).length / above.length <= overall / 2) { green = t; break; }
  }
  return { yellowFrom: best.t, greenFrom: Math.max(best.t + 1, green) };
}

/**
 * The score a scorecard gives from raw measure inputs (MEASURE_NAMES order), exactly as
 * scoreAccount computes it: points to one decimal, weights renormalized over the measures with
 * data, rounded to whole points. Null when no measure has data.
 */
export function scoreFromInputs(measures: readonly ScorecardMeasure[], inputs: readonly (number | null)[]): number | null {
  let presentWeight = 0;
  let sum = 0;
  for (const m of measures) {
    const x = inputs[MEASURE_NAMES.indexOf(m.measure)];
    if (x === null || x === undefined) continue;
    presentWeight += m.weight;
    sum += (Math.round(interpolate(m.thresholds, x) * 10) / 10) * m.weight;
  }
  if (presentWeight === 0) return null;
  return Math.round(sum / presentWeight);
}
