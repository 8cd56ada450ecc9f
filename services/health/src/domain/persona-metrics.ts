import { HealthBand, ResponseCategory } from '@cairn/contracts';
import { round } from './interpolation';
import { EngagementLevel, LifecycleStage, Satisfaction } from './user-lifecycle';

/** One member as the metrics need it: their latest answer per kind and what they used. */
export interface MemberFacts {
  userId: string;
  accountId: string | null;
  lifecycleStage: LifecycleStage;
  engagementLevel: EngagementLevel;
  satisfaction: Satisfaction;
  nps?: { score: number; category: ResponseCategory };
  csat?: { score: number; category: ResponseCategory };
  ces?: { score: number; category: ResponseCategory };
  keyFeaturesUsed: string[];
}

/** An account behind the members: its current health and its nearest renewal. */
export interface AccountFacts {
  accountId: string;
  score: number | null;
  band: HealthBand | null;
  /** Days from today to the end of the nearest contract not yet ended; null when none is known. */
  daysToRenewal: number | null;
}

/**
 * Likelihood to renew of one account, a deliberately simple estimate from its health band:
 * green 90 %, yellow 70 %, red 40 % (an account without a score is left out). Days to renewal
 * do not change the estimate; they say which accounts it matters for now (RENEWAL_SOON_DAYS).
 */
export const RENEWAL_LIKELIHOOD_BY_BAND: Record<HealthBand, number> = { green: 90, yellow: 70, red: 40 };
export const RENEWAL_SOON_DAYS = 90;

export type Sentiment = 'positive' | 'neutral' | 'negative';

const POLARITY: Record<ResponseCategory, Sentiment> = {
  promoter: 'positive', satisfied: 'positive', low_effort: 'positive',
  passive: 'neutral',
  detractor: 'negative', unsatisfied: 'negative', high_effort: 'negative',
};

/**
 * A member's sentiment: measured from their latest survey answer of any kind when they have one
 * (promoter / satisfied / low effort → positive, passive → neutral, detractor / unsatisfied /
 * high effort → negative); otherwise estimated from behaviour: dormant or inactive (no active
 * day in 30) → negative, high engagement → positive, anything else → neutral.
 */
export function memberSentiment(m: Pick<MemberFacts, 'satisfaction' | 'lifecycleStage' | 'engagementLevel'>): { sentiment: Sentiment; measured: boolean } {
  if (m.satisfaction !== 'unknown') return { sentiment: POLARITY[m.satisfaction], measured: true };
  if (m.lifecycleStage === 'dormant' || m.engagementLevel === 'inactive') return { sentiment: 'negative', measured: false };
  return { sentiment: m.engagementLevel === 'high' ? 'positive' : 'neutral', measured: false };
}

export interface PersonaMetrics {
  members: number;
  nps: { respondents: number; promoters: number; passives: number; detractors: number; score: number | null };
  csat: { respondents: number; satisfied: number; satisfiedPct: number | null; average: number | null };
  ces: { respondents: number; lowEffort: number; average: number | null };
  sentiment: { positive: number; neutral: number; negative: number; measured: number; estimated: number; index: number | null; method: string };
  accounts: { count: number; scored: number; averageScore: number | null; bands: Record<HealthBand, number> };
  renewal: {
    accounts: number; likelihoodPct: number | null;
    renewingSoon: { withinDays: number; accounts: number; likelihoodPct: number | null };
    method: string;
  };
  valueReceived: {
    keyFeatures: string[];
    perFeature: { feature: string; members: number; pct: number | null }[];
    membersUsingAll: number;
    averageAdoptionPct: number | null;
  };
}

const pct = (part: number, whole: number) => (whole === 0 ? null : round((part / whole) * 100, 1));
const avg = (xs: number[]) => (xs.length === 0 ? null : round(xs.reduce((a, b) => a + b, 0) / xs.length, 1));

/**
 * Persona metrics, each with the count it stands on: NPS = % promoters − % detractors over the
 * members' latest NPS answers; CSAT = % satisfied (and the average score) over their latest CSAT
 * answers; CES = average latest CES; sentiment per memberSentiment, index = (positive −
 * negative) / members × 100; the health of the distinct accounts behind the members; their
 * likelihood to renew (RENEWAL_LIKELIHOOD_BY_BAND, averaged); value received = adoption of the
 * workspace's key features. Percentages and averages are rounded to one decimal.
 */
export function personaMetrics(members: readonly MemberFacts[], accounts: readonly AccountFacts[], keyFeatures: readonly string[]): PersonaMetrics {
  const nps = members.flatMap((m) => (m.nps ? [m.nps] : []));
  const csat = members.flatMap((m) => (m.csat ? [m.csat] : []));
  const ces = members.flatMap((m) => (m.ces ? [m.ces] : []));
  const count = (xs: { category: string }[], c: string) => xs.filter((x) => x.category === c).length;
  const promoters = count(nps, 'promoter');
  const detractors = count(nps, 'detractor');

  const sentiments = members.map(memberSentiment);
  const positive = sentiments.filter((s) => s.sentiment === 'positive').length;
  const negative = sentiments.filter((s) => s.sentiment === 'negative').length;

  const scored = accounts.filter((a): a is AccountFacts & { score: number; band: HealthBand } => a.score !== null && a.band !== null);
  const likelihood = (xs: typeof scored) => avg(xs.map((a) => RENEWAL_LIKELIHOOD_BY_BAND[a.band]));
  const soon = scored.filter((a) => a.daysToRenewal !== null && a.daysToRenewal <= RENEWAL_SOON_DAYS);

  const perFeature = keyFeatures.map((feature) => {
    const n = members.filter((m) => m.keyFeaturesUsed.includes(feature)).length;
    return { feature, members: n, pct: pct(n, members.length) };
  });
  const adoption = keyFeatures.length === 0 ? [] : members.map((m) => (keyFeatures.filter((k) => m.keyFeaturesUsed.includes(k)).length / keyFeatures.length) * 100);

  return {
    members: members.length,
    nps: {
      respondents: nps.length, promoters, passives: count(nps, 'passive'), detractors,
      score: nps.length === 0 ? null : round(((promoters - detractors) / nps.length) * 100, 1),
    },
    csat: { respondents: csat.length, satisfied: count(csat, 'satisfied'), satisfiedPct: pct(count(csat, 'satisfied'), csat.length), average: avg(csat.map((a) => a.score)) },
    ces: { respondents: ces.length, lowEffort: count(ces, 'low_effort'), average: avg(ces.map((a) => a.score)) },
    sentiment: {
      positive, neutral: members.length - positive - negative, negative,
      measured: sentiments.filter((s) => s.measured).length, estimated: sentiments.filter((s) => !s.measured).length,
      index: members.length === 0 ? null : round(((positive - negative) / members.length) * 100, 1),
      method: 'latest survey answer when there is one; otherwise estimated from behaviour (dormant or inactive → negative, high engagement → positive, else neutral); index = (positive − negative) / members × 100',
    },
    accounts: {
      count: accounts.length, scored: scored.length, averageScore: avg(scored.map((a) => a.score)),
      bands: { green: scored.filter((a) => a.band === 'green').length, yellow: scored.filter((a) => a.band === 'yellow').length, red: scored.filter((a) => a.band === 'red').length },
    },
    renewal: {
      accounts: scored.length, likelihoodPct: likelihood(scored),
      renewingSoon: { withinDays: RENEWAL_SOON_DAYS, accounts: soon.length, likelihoodPct: likelihood(soon) },
      method: 'per scored account from its health band: green 90%, yellow 70%, red 40%; averaged over the accounts',
    },
    valueReceived: {
      keyFeatures: [...keyFeatures], perFeature,
      membersUsingAll: keyFeatures.length === 0 ? 0 : members.filter((m) => keyFeatures.every((k) => m.keyFeaturesUsed.includes(k))).length,
      averageAdoptionPct: avg(adoption),
    },
  };
}
