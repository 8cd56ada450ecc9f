import { completeMeasures, DEFAULT_SCORECARD, DEFAULT_WEIGHTS, Scorecard, selectScorecard, validateScorecard } from './scorecard';
import { MEASURES } from './measures';

describe('the built-in scorecard', () => {
  it('has weights summing to 100 and every known measure but the NPS trend and the support measures', () => {
    expect(Object.values(DEFAULT_WEIGHTS).reduce((a, b) => a + b, 0)).toBe(100);
    expect(DEFAULT_SCORECARD.measures.map((m) => m.measure)).toEqual(Object.values(MEASURES).filter((m) => m.name !== 'npsTrend' && m.group !== 'support').map((m) => m.name));
    expect(validateScorecard(DEFAULT_SCORECARD)).toEqual([]);
  });
});

describe('validateScorecard', () => {
  it('accepts a valid scorecard and fills in default thresholds', () => {
    const draft = { measures: [{ measure: 'usageTrend', weight: 2 }, { measure: 'npsLatest', weight: 1, thresholds: [{ value: 0, points: 0 }, { value: 10, points: 100 }] }] };
    expect(validateScorecard(draft)).toEqual([]);
    expect(completeMeasures(draft)[0].thresholds).toBe(MEASURES.usageTrend.defaultThresholds);
  });

  it('names each problem and where it is', () => {
    const problems = validateScorecard({
      measures: [
        { measure: 'usageTrend', weight: 0 },
        { measure: 'ticketsOpen', weight: 1 },
        { measure: 'usageTrend', weight: 1, thresholds: [{ value: 10, points: 0 }, { value: 5, points: 120 }] },
        { measure: 'csat', weight: 1, thresholds: [{ value: 1, points: 0 }] },
      ],
      bands: { yellowFrom: 70, greenFrom: 40 },
    });
    expect(problems).toEqual([
      'measures[0].weight: must be a number greater than 0 (got 0)',
      expect.stringMatching(/^measures\[1\]\.measure: unknown measure 'ticketsOpen' \(known: usageTrend, activeUsersVsSeats, /),
      "measures[2].measure: 'usageTrend' appears more than once",
      'measures[2].thresholds[1].points: must be between 0 and 100 (got 120)',
      'measures[2].thresholds[1].value: thresholds must be strictly ascending by value (5 after 10)',
      'measures[3].thresholds: at least two thresholds are needed to interpolate',
      'bands: yellowFrom (70) must be below greenFrom (40)',
    ]);
  });

  it('requires at least one measure', () => {
    expect(validateScorecard({ measures: [] })).toEqual(['measures: at least one measure is required']);
  });
});

describe('selectScorecard', () => {
  const card = (id: string, segment: Scorecard['segment'], createdAt = '2026-01-01T00:00:00Z'): Scorecard =>
    ({ ...DEFAULT_SCORECARD, builtIn: false, id, segment, createdAt });
  const all = [card('any', {}), card('enterprise', { plan: 'Enterprise' }), card('enterprise-onboarding', { plan: 'enterprise', lifecycleStage: 'onboarding' })];

  it('picks the most specific scorecard whose segment matches', () => {
    expect(selectScorecard(all, { plan: 'enterprise', lifecycleStage: 'onboarding' }).id).toBe('enterprise-onboarding');
    expect(selectScorecard(all, { plan: 'enterprise', lifecycleStage: 'adopted' }).id).toBe('enterprise');
    expect(selectScorecard(all, { plan: 'starter' }).id).toBe('any');
    expect(selectScorecard(all, {}).id).toBe('any');
  });

  it('prefers the newest of equally specific scorecards', () => {
    const twins = [card('old', { plan: 'pro' }, '2026-01-01T00:00:00Z'), card('new', { plan: 'pro' }, '2026-02-01T00:00:00Z')];
    expect(selectScorecard(twins, { plan: 'pro' }).id).toBe('new');
  });

  it('falls back to the built-in default when nothing matches', () => {
    expect(selectScorecard([card('enterprise', { plan: 'enterprise' })], { plan: 'starter' }).id).toBe('default');
  });
});
