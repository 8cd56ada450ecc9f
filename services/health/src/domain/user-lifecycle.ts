import { CONTACT_ROLES, RESPONSE_CATEGORIES, ResponseCategory, SurveyKind } from '@cairn/contracts';

/**
 * User Success: what Cairn derives about one person (a contact, a Segment user) from their own
 * activity, survey answers and directory data. The rules, in one place:
 *
 * - lifecycleStage, evaluated in this order as of the time of evaluation:
 *   - dormant: no product activity for DORMANT_AFTER_DAYS (14) days — counted from the last
 *     activity, or from when the user was first seen if they never did anything;
 *   - new: first seen less than NEW_USER_DAYS (7) days ago;
 *   - adopted: at least `onboardingActiveDays` (default 5) distinct active days in total AND
 *     the workspace's key features adopted (`keyFeaturesToAdopt` of them, default all; no key
 *     features configured = no feature condition);
 *   - onboarding: otherwise.
 * - engagementLevel, from distinct active days in the 30 days up to the time of evaluation:
 *   0 → inactive, 1–3 → low, 4–11 → medium, 12+ → high.
 * - satisfaction: the category of the user's latest survey answer of any kind (promoter,
 *   passive, detractor, satisfied, unsatisfied, low_effort, high_effort), 'unknown' without one.
 *
 * Product activity = track, page and screen calls; a day = a UTC calendar day of event time.
 * The time of evaluation is the event time of the latest event seen for the user (never moving
 * backwards), or the clock for the scheduled re-evaluation — so replaying history gives the same
 * answer.
 */
export const LIFECYCLE_STAGES = ['new', 'onboarding', 'adopted', 'dormant'] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];
export const ENGAGEMENT_LEVELS = ['inactive', 'low', 'medium', 'high'] as const;
export type EngagementLevel = (typeof ENGAGEMENT_LEVELS)[number];
export const SATISFACTION_VALUES = [...RESPONSE_CATEGORIES, 'unknown'] as const;
export type Satisfaction = ResponseCategory | 'unknown';
export const USER_ROLES = CONTACT_ROLES;

export const NEW_USER_DAYS = 7;
export const DORMANT_AFTER_DAYS = 14;
export const ENGAGEMENT_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;

export interface LifecycleSettings {
  /** Track event names that deliver the product's value. */
  keyFeatures: string[];
  /** Distinct active days after which onboarding can end. */
  onboardingActiveDays: number;
  /** How many of the key features must be used; null = all of them. */
  keyFeaturesToAdopt: number | null;
}

export const DEFAULT_LIFECYCLE_SETTINGS: LifecycleSettings = { keyFeatures: [], onboardingActiveDays: 5, keyFeaturesToAdopt: null };

export interface SurveyAnswerFact {
  score: number;
  category: ResponseCategory;
  /** ISO time of the answer. */
  at: string;
}

/** What the read model knows about a user, as of `asOf`. */
export interface UserFacts {
  /** ISO; the first event of any kind about the user. */
  firstSeenAt: string | null;
  /** ISO; the latest product activity. */
  lastActiveAt: string | null;
  activeDaysTotal: number;
  /** Distinct active days in the ENGAGEMENT_WINDOW_DAYS days up to asOf (asOf's day included). */
  activeDays30d: number;
  /** The workspace's key features this user has used. */
  keyFeaturesUsed: string[];
  answers: Partial<Record<SurveyKind, SurveyAnswerFact>>;
  role: string | null;
  accountId: string | null;
  traits: Record<string, unknown>;
  departed: boolean;
}

/** The attributes a persona rule can test (stored with the user, shown by the API). */
export interface UserAttributes {
  lifecycleStage: LifecycleStage;
  engagementLevel: EngagementLevel;
  activeDays30d: number;
  activeDaysTotal: number;
  satisfaction: Satisfaction;
  npsScore?: number;
  csatScore?: number;
  cesScore?: number;
  keyFeaturesUsed: number;
  role?: string;
  accountId?: string;
  traits: Record<string, unknown>;
  departed: boolean;
}

function keyFeaturesNeeded(settings: LifecycleSettings): number {
  const all = settings.keyFeatures.length;
  return settings.keyFeaturesToAdopt === null ? all : Math.min(settings.keyFeaturesToAdopt, all);
}

export function lifecycleStage(f: Pick<UserFacts, 'firstSeenAt' | 'lastActiveAt' | 'activeDaysTotal' | 'keyFeaturesUsed'>, settings: LifecycleSettings, asOf: Date): LifecycleStage {
  const now = asOf.getTime();
  const lastSign = f.lastActiveAt ?? f.firstSeenAt;
  if (lastSign && now - Date.parse(lastSign) >= DORMANT_AFTER_DAYS * DAY_MS) return 'dormant';
  if (!f.firstSeenAt || now - Date.parse(f.firstSeenAt) < NEW_USER_DAYS * DAY_MS) return 'new';
  const used = f.keyFeaturesUsed.filter((k) => settings.keyFeatures.includes(k)).length;
  if (f.activeDaysTotal >= settings.onboardingActiveDays && used >= keyFeaturesNeeded(settings)) return 'adopted';
  return 'onboarding';
}

export function engagementLevel(activeDays30d: number): EngagementLevel {
  if (activeDays30d >= 12) return 'high';
  if (activeDays30d >= 4) return 'medium';
  if (activeDays30d >= 1) return 'low';
  return 'inactive';
}

export function latestAnswer(answers: UserFacts['answers']): (SurveyAnswerFact & { kind: SurveyKind }) | undefined {
  return (Object.entries(answers) as [SurveyKind, SurveyAnswerFact | undefined][])
    .filter((e): e is [SurveyKind, SurveyAnswerFact] => e[1] !== undefined)
    .map(([kind, a]) => ({ kind, ...a }))
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || a.kind.localeCompare(b.kind))[0];
}

export function userAttributes(f: UserFacts, settings: LifecycleSettings, asOf: Date): UserAttributes {
  const latest = latestAnswer(f.answers);
  return {
    lifecycleStage: lifecycleStage(f, settings, asOf),
    engagementLevel: engagementLevel(f.activeDays30d),
    activeDays30d: f.activeDays30d,
    activeDaysTotal: f.activeDaysTotal,
    satisfaction: latest?.category ?? 'unknown',
    ...(f.answers.nps ? { npsScore: f.answers.nps.score } : {}),
    ...(f.answers.csat ? { csatScore: f.answers.csat.score } : {}),
    ...(f.answers.ces ? { cesScore: f.answers.ces.score } : {}),
    keyFeaturesUsed: f.keyFeaturesUsed.filter((k) => settings.keyFeatures.includes(k)).length,
    ...(f.role ? { role: f.role } : {}),
    ...(f.accountId ? { accountId: f.accountId } : {}),
    traits: f.traits,
    departed: f.departed,
  };
}

/** Checks settings beyond their shape; one "field: problem" per problem. */
export function validateLifecycleSettings(s: LifecycleSettings): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  s.keyFeatures.forEach((k, i) => {
    if (seen.has(k)) problems.push(`keyFeatures[${i}]: '${k}' appears more than once`);
    seen.add(k);
  });
  if (s.keyFeaturesToAdopt !== null && s.keyFeaturesToAdopt > s.keyFeatures.length) {
    problems.push(`keyFeaturesToAdopt: ${s.keyFeaturesToAdopt} is more than the ${s.keyFeatures.length} key features listed`);
  }
  return problems;
}
