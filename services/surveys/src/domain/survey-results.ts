import type { ResponseCategory, SurveyKind } from '@cairn/contracts';
import { CATEGORIES_OF, SURVEY_SCALES } from './survey-scale';

/** Below this many answers a score swings too much to be read on its own; results say so. */
export const SMALL_SAMPLE_BELOW = 30;

/** How many current answers gave each score. */
export type ScoreDistribution = ReadonlyMap<number, number>;

export interface SurveyResultSummary {
  responses: number;
  /** Answers per category (all categories of the kind, zeros included). */
  categories: Partial<Record<ResponseCategory, number>>;
  /** Answers per score, e.g. { "9": 3, "3": 1 }. */
  distribution: Record<string, number>;
  averageScore: number | null;
  /** NPS only: % promoters − % detractors, −100…100, one decimal. */
  nps?: number | null;
  /** CSAT only: % of answers that are satisfied (4–5), one decimal. */
  csatPct?: number | null;
  /** CES only: mean effort score, 1–7 (lower is better), two decimals. */
  cesAverage?: number | null;
  /** True when fewer than SMALL_SAMPLE_BELOW answers stand behind the numbers. */
  smallSample: boolean;
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

/** NPS, CSAT % or average CES of a set of answers, with the counts behind them. */
export function summarizeResponses(kind: SurveyKind, distribution: ScoreDistribution): SurveyResultSummary {
  const scale = SURVEY_SCALES[kind];
  const categories: Partial<Record<ResponseCategory, number>> = Object.fromEntries(CATEGORIES_OF[kind].map((c) => [c, 0]));
  const byScore: Record<string, number> = {};
  let responses = 0;
  let sum = 0;
  for (const [score, count] of [...distribution].sort(([a], [b]) => b - a)) {
    if (count <= 0) continue;
    const category = scale.classify(score);
    categories[category] = (categories[category] ?? 0) + count;
    byScore[String(score)] = count;
    responses += count;
    sum += score * count;
  }
  const pct = (n: number) => (responses === 0 ? null : round((n / responses) * 100, 1));
  const summary: SurveyResultSummary = {
    responses, categories, distribution: byScore,
    averageScore: responses === 0 ? null : round(sum / responses, 2),
    smallSample: responses < SMALL_SAMPLE_BELOW,
  };
  if (kind === 'nps') {
    // From the counts, not from two rounded percentages, so 1/3 − 1/3 is exactly 0.
    summary.nps = responses === 0 ? null : round(((categories.promoter! - categories.detractor!) / responses) * 100, 1);
  } else if (kind === 'csat') {
    summary.csatPct = pct(categories.satisfied!);
  } else {
    summary.cesAverage = summary.averageScore;
  }
  return summary;
}
