import { AccountFacts, MemberFacts, memberSentiment, personaMetrics } from './persona-metrics';

const member = (userId: string, accountId: string | null, over: Partial<MemberFacts> = {}): MemberFacts => ({
  userId, accountId, lifecycleStage: 'adopted', engagementLevel: 'medium', satisfaction: 'unknown', keyFeaturesUsed: [], ...over,
});

describe('memberSentiment', () => {
  it('uses the latest answer when there is one, otherwise estimates from behaviour', () => {
    expect(memberSentiment({ satisfaction: 'high_effort', lifecycleStage: 'adopted', engagementLevel: 'high' })).toEqual({ sentiment: 'negative', measured: true });
    expect(memberSentiment({ satisfaction: 'passive', lifecycleStage: 'dormant', engagementLevel: 'inactive' })).toEqual({ sentiment: 'neutral', measured: true });
    expect(memberSentiment({ satisfaction: 'unknown', lifecycleStage: 'adopted', engagementLevel: 'high' })).toEqual({ sentiment: 'positive', measured: false });
    expect(memberSentiment({ satisfaction: 'unknown', lifecycleStage: 'onboarding', engagementLevel: 'low' })).toEqual({ sentiment: 'neutral', measured: false });
    expect(memberSentiment({ satisfaction: 'unknown', lifecycleStage: 'dormant', engagementLevel: 'low' })).toEqual({ sentiment: 'negative', measured: false });
  });
});

describe('personaMetrics', () => {
  it('computes every figure as by hand, with its count', () => {
    const members = [
      member('u1', 'a', { satisfaction: 'promoter', nps: { score: 10, category: 'promoter' }, keyFeaturesUsed: ['k1', 'k2'] }),
      member('u2', 'a', { satisfaction: 'detractor', nps: { score: 3, category: 'detractor' }, csat: { score: 2, category: 'unsatisfied' }, keyFeaturesUsed: ['k1'] }),
      member('u3', 'b', { satisfaction: 'low_effort', nps: { score: 8, category: 'passive' }, csat: { score: 5, category: 'satisfied' }, ces: { score: 2, category: 'low_effort' } }),
      member('u4', 'c', { engagementLevel: 'high' }),
      member('u5', null, { lifecycleStage: 'dormant', engagementLevel: 'inactive' }),
    ];
    const accounts: AccountFacts[] = [
      { accountId: 'a', score: 35, band: 'red', daysToRenewal: 30 },
      { accountId: 'b', score: 82, band: 'green', daysToRenewal: 200 },
      { accountId: 'c', score: null, band: null, daysToRenewal: 10 },
    ];
    const m = personaMetrics(members, accounts, ['k1', 'k2']);
    expect(m.members).toBe(5);
    // 1 promoter, 1 passive, 1 detractor of 3: 33.3 % − 33.3 % = 0
    expect(m.nps).toEqual({ respondents: 3, promoters: 1, passives: 1, detractors: 1, score: 0 });
    // 1 satisfied of 2; (2 + 5) / 2
    expect(m.csat).toEqual({ respondents: 2, satisfied: 1, satisfiedPct: 50, average: 3.5 });
    expect(m.ces).toEqual({ respondents: 1, lowEffort: 1, average: 2 });
    // u1 +, u2 −, u3 + (measured); u4 + (high), u5 − (dormant) estimated: (3 − 2) / 5 = 20
    expect(m.sentiment).toMatchObject({ positive: 3, neutral: 0, negative: 2, measured: 3, estimated: 2, index: 20 });
    // Scored accounts a (35 red) and b (82 green): average 58.5
    expect(m.accounts).toEqual({ count: 3, scored: 2, averageScore: 58.5, bands: { green: 1, yellow: 0, red: 1 } });
    // red 40 %, green 90 % → 65; renewing within 90 days: a (red) → 40; c is unscored
    expect(m.renewal).toMatchObject({ accounts: 2, likelihoodPct: 65, renewingSoon: { withinDays: 90, accounts: 1, likelihoodPct: 40 } });
    // k1 used by u1, u2; k2 by u1; adoption per member 100, 50, 0, 0, 0 → 30
    expect(m.valueReceived).toEqual({
      keyFeatures: ['k1', 'k2'],
      perFeature: [{ feature: 'k1', members: 2, pct: 40 }, { feature: 'k2', members: 1, pct: 20 }],
      membersUsingAll: 1, averageAdoptionPct: 30,
    });
  });

  it('gives null rather than a number where there is nothing to compute from', () => {
    const m = personaMetrics([], [], []);
    expect(m.nps.score).toBeNull();
    expect(m.csat.satisfiedPct).toBeNull();
    expect(m.ces.average).toBeNull();
    expect(m.sentiment.index).toBeNull();
    expect(m.accounts.averageScore).toBeNull();
    expect(m.renewal.likelihoodPct).toBeNull();
    expect(m.valueReceived.averageAdoptionPct).toBeNull();
  });
});
