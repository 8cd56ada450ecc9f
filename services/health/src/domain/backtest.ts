import { HealthBand } from '@cairn/contracts';
import {
  BandRate, bandChurnRates, bootstrapIntervals, histogram, Interval, prAuc, redPrecisionRecall, RedPrecisionRecall, rocAuc,
  ScoredPair, topDecileLift,
} from './backtest-metrics';
import { addDays, DAY_MS, dayStart, OutcomeFact, PointInTimeAccount, SignalFact } from './history';
import { MEASURE_NAMES, MeasureName, MEASURES } from './measures';
import { bandFor, matchesSegment, Scorecard, Segment } from './scorecard';
import { scoreFromInputs } from './scorecard-fit';
import { AccountScore, scoreAccount } from './scoring';
import { AccountSignals } from './signals';

export const DEFAULT_HORIZONS = [30, 60, 90] as const;

export interface BacktestPlan {
  /** As-of days: from `from` to `to` inclusive, every `stepDays`. */
  from: string;
  to: string;
  stepDays: number;
  horizons: number[];
  segment: Segment;
  /** Labels are only known up to here (the latest fact of the workspace): later horizons are censored. */
  observedUntil: Date;
}

export interface AccountHistory {
  accountId: string;
  /** Sorted by event time (byEventTime). */
  facts: SignalFact[];
}

export interface Miss {
  accountId: string;
  asOf: string;
  churnedAt: string;
  score: number;
  band: HealthBand;
  /** The explanation the score had then. */
  explanation: { measure: string; raw: unknown; points: number | null; contribution: number; detail: string }[];
}

export interface HorizonResult {
  horizonDays: number;
  pairs: number;
  accounts: number;
  churners: number;
  churnedPairs: number;
  rocAuc: number | null;
  rocAucCi: Interval | null;
  prAuc: number | null;
  prAucCi: Interval | null;
  /** Churn rate of all pairs (the base rate PR AUC compares with). */
  baseRate: number | null;
  topDecileLift: number | null;
  bands: BandRate[];
  red: RedPrecisionRecall;
  /** ROC curve points (false positive rate, true positive rate), thresholds ascending: for a chart. */
  roc: { threshold: number; fpr: number; tpr: number }[];
  /** Churners the score called green at their last as-of day before churning (within the horizon). */
  greenChurners: { count: number; accounts: Miss[] };
  /** Pairs where a CSM override was in force: left out of the figures above, reported here. */
  overridden: { pairs: number; churnedPairs: number; churnRate: number | null };
}

export interface ScorecardResult {
  scorecardId: string;
  scorecardVersion: number;
  horizons: HorizonResult[];
}

/** One (account, day) of the sweep, as the fit needs it. */
export interface PairReadings {
  account: number;
  asOf: string;
  /** Raw measure inputs (null: no data). */
  inputs: (number | null)[];
  /** Per horizon: churned within it, or null when censored. */
  labels: (boolean | null)[];
  signals?: AccountSignals;
}

export function asOfDays(from: string, to: string, stepDays: number): string[] {
  const days: string[] = [];
  for (let d = from; d <= to; d = addDays(d, stepDays)) days.push(d);
  return days;
}

interface Collected {
  pairs: ScoredPair[];
  overridden: { churned: boolean }[];
  /** Per churner, its last pair before churning: the signals are kept so the explanation is built only for the misses. */
  lastBeforeChurn: Map<number, { pair: ScoredPair; asOf: string; signals: AccountSignals; churnedAt: string }>;
}

const MAX_MISSES = 100;

/**
 * Sweeps each account's history once, day by day: at each as-of day only facts dated before it
 * have been applied; the account counts while it is known, in the segment that day and not yet
 * churned; its label for a horizon h is "a churn outcome dated within [D, D + h)", and pairs
 * whose horizon reaches past what the history has observed are left out (censored).
 */
export class BacktestSweep {
  readonly days: string[];
  private readonly collected: Collected[][];
  readonly accountIds: string[] = [];
  readonly churnerIds = new Set<number>();
  readonly readings: PairReadings[] = [];

  constructor(private readonly plan: BacktestPlan, private readonly scorecards: Scorecard[], private readonly keepReadings = false) {
    this.days = asOfDays(plan.from, plan.to, plan.stepDays);
    this.collected = scorecards.map(() => plan.horizons.map(() => ({ pairs: [], overridden: [], lastBeforeChurn: new Map() })));
  }

  add(history: AccountHistory): void {
    const idx = this.accountIds.length;
    this.accountIds.push(history.accountId);
    const churns = history.facts
      .filter((f) => f.kind === 'outcome' && (f.value as OutcomeFact).outcome === 'churned')
      .map((f) => Date.parse((f.value as OutcomeFact).closedAt))
      .sort((a, b) => a - b);
    const account = new PointInTimeAccount();
    let next = 0;
    let known = false;
    const observed = this.plan.observedUntil.getTime();
    for (const day of this.days) {
      const t = dayStart(day).getTime();
      const cutoff = new Date(t).toISOString();
      while (next < history.facts.length && history.facts[next].at < cutoff) {
        const f = history.facts[next++];
        account.apply(f);
        if (f.kind !== 'outcome') known = true;
      }
      if (!known) continue;
      if (churns.length && churns[0] < t) break; // gone before this day
      if (!matchesSegment(this.plan.segment, account.accountFacts())) continue;
      const churnAt = churns.find((c) => c >= t);
      const labels = this.plan.horizons.map((h) => (t + h * DAY_MS > observed ? null : churnAt !== undefined && churnAt < t + h * DAY_MS));
      if (labels.every((l) => l === null)) continue;
      const signals = account.signals();
      const asOf = new Date(t);
      const override = account.overrideAt(asOf);
      // Each measure read once per account-day, whatever the number of scorecards; the score from
      // the inputs is the one scoreAccount gives (scoreFromInputs), without building explanations.
      const inputs = MEASURE_NAMES.map((m) => MEASURES[m].read(signals, asOf)?.input ?? null);
      if (this.keepReadings) this.readings.push({ account: idx, asOf: day, labels, inputs });
      this.scorecards.forEach((card, c) => {
        const score = scoreFromInputs(card.measures, inputs);
        if (score === null) return;
        const band = bandFor(score, card.bands);
        labels.forEach((label, h) => {
          if (label === null) return;
          const bucket = this.collected[c][h];
          if (override) { bucket.overridden.push({ churned: label }); return; }
          const pair: ScoredPair = { account: idx, score, band, churned: label };
          bucket.pairs.push(pair);
          if (label) {
            this.churnerIds.add(idx);
            bucket.lastBeforeChurn.set(idx, { pair, asOf: day, signals, churnedAt: new Date(churnAt!).toISOString() });
          }
        });
      });
    }
  }

  results(bootstrapIterations = 200): ScorecardResult[] {
    return this.scorecards.map((card, c) => ({
      scorecardId: card.id,
      scorecardVersion: card.version,
      horizons: this.plan.horizons.map((horizonDays, h) => summarize(horizonDays, this.collected[c][h], this.accountIds, bootstrapIterations, card)),
    }));
  }
}

function summarize(horizonDays: number, col: Collected, accountIds: string[], iterations: number, card: Scorecard): HorizonResult {
  const { pairs } = col;
  const hist = histogram(pairs);
  const ci = bootstrapIntervals(pairs, iterations);
  const bands = bandChurnRates(pairs);
  const churnedPairs = pairs.filter((p) => p.churned).length;
  const churners = new Set(pairs.filter((p) => p.churned).map((p) => p.account));
  const misses = [...col.lastBeforeChurn.entries()].filter(([, x]) => x.pair.band === 'green');
  const overriddenChurned = col.overridden.filter((o) => o.churned).length;
  return {
    horizonDays,
    pairs: pairs.length,
    accounts: new Set(pairs.map((p) => p.account)).size,
    churners: churners.size,
    churnedPairs,
    rocAuc: round4(rocAuc(hist)),
    rocAucCi: roundCi(ci.roc),
    prAuc: round4(prAuc(hist)),
    prAucCi: roundCi(ci.pr),
    baseRate: pairs.length ? round4(churnedPairs / pairs.length) : null,
    topDecileLift: round4(topDecileLift(hist)),
    bands: bands.map((b) => ({ ...b, churnRate: round4(b.churnRate) })),
    red: { precision: round4(redPrecisionRecall(bands).precision), recall: round4(redPrecisionRecall(bands).recall) },
    roc: rocCurve(hist),
    greenChurners: {
      count: misses.length,
      accounts: misses.slice(0, MAX_MISSES).map(([idx, x]) => {
        const result: AccountScore = scoreAccount(card, x.signals, dayStart(x.asOf))!;
        return {
          accountId: accountIds[idx], asOf: x.asOf, churnedAt: x.churnedAt, score: result.score, band: result.band,
          explanation: result.explanation.map((e) => ({ measure: e.measure, raw: e.raw ?? null, points: e.points, contribution: e.contribution, detail: e.detail })),
        };
      }),
    },
    overridden: {
      pairs: col.overridden.length, churnedPairs: overriddenChurned,
      churnRate: col.overridden.length ? round4(overriddenChurned / col.overridden.length) : null,
    },
  };
}

/** "Red if score < threshold", for every threshold: the ROC curve in 101 points at most. */
function rocCurve(h: { pos: Float64Array; neg: Float64Array }): { threshold: number; fpr: number; tpr: number }[] {
  let P = 0, N = 0;
  for (let b = 0; b < h.pos.length; b++) { P += h.pos[b]; N += h.neg[b]; }
  if (P === 0 || N === 0) return [];
  const out = [{ threshold: 0, fpr: 0, tpr: 0 }];
  let tp = 0, fp = 0;
  for (let b = 0; b < h.pos.length; b++) {
    if (h.pos[b] === 0 && h.neg[b] === 0) continue;
    tp += h.pos[b];
    fp += h.neg[b];
    out.push({ threshold: b + 1, fpr: round4(fp / N)!, tpr: round4(tp / P)! });
  }
  return out;
}

export function round4(x: number | null): number | null {
  return x === null || !Number.isFinite(x) ? null : Math.round(x * 10000) / 10000;
}

function roundCi(ci: Interval | null): Interval | null {
  return ci ? { low: round4(ci.low)!, high: round4(ci.high)! } : null;
}

export type { MeasureName };
