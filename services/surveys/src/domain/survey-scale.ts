import type { ResponseCategory, SurveyKind } from '@cairn/contracts';

/**
 * The answer scale of each survey kind and how an answer is classified.
 *
 * - NPS, 0–10 ("How likely are you to recommend us?"): 9–10 promoter, 7–8 passive, 0–6 detractor.
 * - CSAT, 1–5 ("How satisfied are you?"): 4–5 satisfied, 1–3 unsatisfied.
 * - CES, 1–7, asked as an effort question ("How much effort did it take?", 1 = very little,
 *   7 = a great deal): 1–3 low effort, 4–7 high effort. A lower average CES is better. The
 *   neutral 4 counts as high effort: an answer that is not clearly easy is worth a look.
 */
export interface SurveyScale {
  kind: SurveyKind;
  label: string;
  min: number;
  max: number;
  defaultQuestion: string;
  classify(score: number): ResponseCategory;
}

export const SURVEY_SCALES: Record<SurveyKind, SurveyScale> = {
  nps: {
    kind: 'nps', label: 'NPS', min: 0, max: 10,
    defaultQuestion: 'How likely are you to recommend us to a friend or colleague? (0 = not at all likely, 10 = extremely likely)',
    classify: (s) => (s >= 9 ? 'promoter' : s >= 7 ? 'passive' : 'detractor'),
  },
  csat: {
    kind: 'csat', label: 'CSAT', min: 1, max: 5,
    defaultQuestion: 'How satisfied are you with our product? (1 = very unsatisfied, 5 = very satisfied)',
    classify: (s) => (s >= 4 ? 'satisfied' : 'unsatisfied'),
  },
  ces: {
    kind: 'ces', label: 'CES', min: 1, max: 7,
    defaultQuestion: 'How much effort did it take to get what you needed done? (1 = very little effort, 7 = a great deal of effort)',
    classify: (s) => (s <= 3 ? 'low_effort' : 'high_effort'),
  },
};

/** The categories an answer of this kind can fall in, best first. */
export const CATEGORIES_OF: Record<SurveyKind, ResponseCategory[]> = {
  nps: ['promoter', 'passive', 'detractor'],
  csat: ['satisfied', 'unsatisfied'],
  ces: ['low_effort', 'high_effort'],
};

/** Why a score is not a valid answer on this survey's scale, or null when it is. */
export function scoreProblem(kind: SurveyKind, score: number): string | null {
  const scale = SURVEY_SCALES[kind];
  if (!Number.isInteger(score) || score < scale.min || score > scale.max) {
    return `score: must be a whole number from ${scale.min} to ${scale.max} on the ${scale.label} scale (got ${score})`;
  }
  return null;
}

export function classifyScore(kind: SurveyKind, score: number): ResponseCategory {
  const problem = scoreProblem(kind, score);
  if (problem) throw new RangeError(problem);
  return SURVEY_SCALES[kind].classify(score);
}
