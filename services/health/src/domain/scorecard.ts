import { HealthBand } from '@cairn/contracts';
import { Threshold } from './interpolation';
import { isMeasureName, MEASURE_NAMES, MeasureName, MEASURES } from './measures';

/** Lower bounds of the yellow and green bands: red < yellowFrom ≤ yellow < greenFrom ≤ green. */
export interface Bands {
  yellowFrom: number;
  greenFrom: number;
}

export const DEFAULT_BANDS: Bands = { yellowFrom: 40, greenFrom: 70 };

export interface ScorecardMeasure {
  measure: MeasureName;
  weight: number;
  thresholds: Threshold[];
}

/** Which accounts a scorecard is for; an absent field matches any account. */
export interface Segment {
  plan?: string;
  lifecycleStage?: string;
}

export interface Scorecard {
  id: string;
  version: number;
  name: string;
  segment: Segment;
  measures: ScorecardMeasure[];
  bands: Bands;
  builtIn?: boolean;
  /** When this version was created (selection tie-break: the newest wins). */
  createdAt?: string;
}

/**
 * Weights of the built-in scorecard (they sum to 100, so each is a percentage when every
 * measure has data). Usage is what predicts churn best in most B2B products, so adoption
 * carries 60: the trend vs the account's own baseline 25, breadth of seats used 15, breadth of
 * features 10, recency 10. A champion is the single strongest relationship signal (15).
 * Sentiment is sparse and noisy per response, so NPS 10, CSAT 5, CES 5. Renewal proximity is a
 * risk amplifier rather than a health signal in itself (5). The NPS trend needs two answers of
 * one account, rarer still: it is offered to workspace scorecards, not used by the built-in one.
 * The support-ticket measures (group support) are offered to workspace scorecards too: ticket
 * volume means different things under different support models, and until a workspace's
 * backtest shows they predict churn there, the built-in score stays comparable across
 * workspaces with and without a help desk connected (README, health measures).
 */
export const DEFAULT_WEIGHTS: Partial<Record<MeasureName, number>> = {
  usageTrend: 25,
  activeUsersVsSeats: 15,
  featureAdoption: 10,
  daysSinceLastActivity: 10,
  championPresent: 15,
  npsLatest: 10,
  csat: 5,
  ces: 5,
  daysToRenewal: 5,
};

export const DEFAULT_SCORECARD: Scorecard = {
  id: 'default',
  version: 1,
  name: 'Cairn default',
  segment: {},
  builtIn: true,
  bands: DEFAULT_BANDS,
  measures: MEASURE_NAMES.filter((m) => DEFAULT_WEIGHTS[m] !== undefined)
    .map((m) => ({ measure: m, weight: DEFAULT_WEIGHTS[m]!, thresholds: MEASURES[m].defaultThresholds })),
};

export function bandFor(score: number, bands: Bands = DEFAULT_BANDS): HealthBand {
  if (score >= bands.greenFrom) return 'green';
  if (score >= bands.yellowFrom) return 'yellow';
  return 'red';
}

/** A scorecard as submitted, before validation. */
export interface ScorecardDraft {
  measures: { measure: string; weight: number; thresholds?: Threshold[] }[];
  bands?: Bands;
}

/**
 * Checks what the DTO's shape validation cannot: known measure names, each measure once,
 * weights > 0, thresholds strictly ascending in raw value with points in 0–100, bands ordered.
 * Returns one "path: problem" sentence per problem (empty when valid).
 */
export function validateScorecard(draft: ScorecardDraft): string[] {
  const problems: string[] = [];
  if (!Array.isArray(draft.measures) || draft.measures.length === 0) problems.push('measures: at least one measure is required');
  const seen = new Set<string>();
  (draft.measures ?? []).forEach((m, i) => {
    const at = `measures[${i}]`;
    if (!isMeasureName(m.measure)) {
      problems.push(`${at}.measure: unknown measure '${m.measure}' (known: ${MEASURE_NAMES.join(', ')})`);
    } else if (seen.has(m.measure)) {
      problems.push(`${at}.measure: '${m.measure}' appears more than once`);
    }
    seen.add(m.measure);
    if (!(typeof m.weight === 'number' && Number.isFinite(m.weight) && m.weight > 0)) {
      problems.push(`${at}.weight: must be a number greater than 0 (got ${JSON.stringify(m.weight)})`);
    }
    if (m.thresholds !== undefined) {
      if (m.thresholds.length < 2) problems.push(`${at}.thresholds: at least two thresholds are needed to interpolate`);
      m.thresholds.forEach((t, j) => {
        if (!(t.points >= 0 && t.points <= 100)) problems.push(`${at}.thresholds[${j}].points: must be between 0 and 100 (got ${t.points})`);
        if (j > 0 && !(t.value > m.thresholds![j - 1].value)) {
          problems.push(`${at}.thresholds[${j}].value: thresholds must be strictly ascending by value (${t.value} after ${m.thresholds![j - 1].value})`);
        }
      });
    }
  });
  if (draft.bands) {
    const { yellowFrom, greenFrom } = draft.bands;
    if (!(yellowFrom > 0 && yellowFrom <= 100)) problems.push(`bands.yellowFrom: must be between 0 (exclusive) and 100 (got ${yellowFrom})`);
    if (!(greenFrom > 0 && greenFrom <= 100)) problems.push(`bands.greenFrom: must be between 0 (exclusive) and 100 (got ${greenFrom})`);
    if (!(yellowFrom < greenFrom)) problems.push(`bands: yellowFrom (${yellowFrom}) must be below greenFrom (${greenFrom})`);
  }
  return problems;
}

/** A valid draft with every measure's thresholds filled in (defaults where none were given). */
export function completeMeasures(draft: ScorecardDraft): ScorecardMeasure[] {
  return draft.measures.map((m) => ({
    measure: m.measure as MeasureName,
    weight: m.weight,
    thresholds: m.thresholds ?? MEASURES[m.measure as MeasureName].defaultThresholds,
  }));
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

function specificity(segment: Segment): number {
  return (segment.plan ? 1 : 0) + (segment.lifecycleStage ? 1 : 0);
}

export function matchesSegment(segment: Segment, account: Segment): boolean {
  if (segment.plan && !(account.plan && same(segment.plan, account.plan))) return false;
  if (segment.lifecycleStage && !(account.lifecycleStage && same(segment.lifecycleStage, account.lifecycleStage))) return false;
  return true;
}

/**
 * The scorecard for an account: among the workspace's active scorecards whose segment matches,
 * the most specific (most segment fields set); on a tie the newest; the built-in default when
 * none matches.
 */
export function selectScorecard(candidates: readonly Scorecard[], account: Segment, fallback: Scorecard = DEFAULT_SCORECARD): Scorecard {
  const matching = candidates.filter((c) => matchesSegment(c.segment, account));
  matching.sort((a, b) => specificity(b.segment) - specificity(a.segment)
    || (b.createdAt ?? '').localeCompare(a.createdAt ?? '')
    || a.id.localeCompare(b.id));
  return matching[0] ?? fallback;
}
