import { interpolate } from './interpolation';
import { bandFor, DEFAULT_SCORECARD, Scorecard } from './scorecard';
import { scoreAccount } from './scoring';
import { AccountSignals, Observation } from './signals';
import { MEASURES } from './measures';

const asOf = new Date('2026-03-10T12:00:00Z');
let seq = 0;
function obs<T>(value: T, observedAt = '2026-03-10T00:00:00Z'): Observation<T> {
  seq += 1;
  return { value, eventId: `evt-${seq}`, eventType: 'test', observedAt };
}

describe('scoreAccount with the default scorecard', () => {
  it('scores an account with every measure present exactly as computed by hand', () => {
    const signals: AccountSignals = {
      usageTrendPct: obs(5), // 80 + 5/20 × 20 = 85
      activeUsers30d: obs(12), seats: obs(20), // 60 % of seats → 80
      featuresUsed30d: obs(6), // 75 + 1/5 × 25 = 80
      lastActivityAt: obs('2026-03-09T06:00:00Z'), // 1 whole day → 100 − 1/3 × 10 = 96.7
      championPresent: obs(true), // 100
      nps: obs({ score: 3, category: 'detractor', surveyId: 's' }), // 3/6 × 40 = 20
      csat: obs({ score: 4, category: 'satisfied', surveyId: 's' }), // 80
      ces: obs({ score: 2, category: 'low_effort', surveyId: 's' }), // 100 − 1/2 × 20 = 90
      contracts: [{ contractId: 'c-1', endDate: '2026-05-09', eventId: 'evt-contract' }], // 60 days → 50 + 30/60 × 30 = 65
    };
    const result = scoreAccount(DEFAULT_SCORECARD, signals, asOf)!;
    // (85×25 + 80×15 + 80×10 + 96.7×10 + 100×15 + 20×10 + 80×5 + 90×5 + 65×5) / 100 = 79.67
    expect(result.score).toBe(80);
    expect(result.band).toBe('green');
    const byMeasure = Object.fromEntries(result.explanation.map((e) => [e.measure, e]));
    expect(byMeasure.usageTrend).toMatchObject({ raw: 5, points: 85, weight: 25, contribution: 21.25, lastEventId: signals.usageTrendPct!.eventId });
    expect(byMeasure.activeUsersVsSeats).toMatchObject({ raw: 60, points: 80, weight: 15, contribution: 12 });
    expect(byMeasure.featureAdoption).toMatchObject({ raw: 6, points: 80, weight: 10, contribution: 8 });
    expect(byMeasure.daysSinceLastActivity).toMatchObject({ raw: 1, points: 96.7, weight: 10, contribution: 9.67 });
    expect(byMeasure.championPresent).toMatchObject({ raw: true, points: 100, weight: 15, contribution: 15 });
    expect(byMeasure.npsLatest).toMatchObject({ raw: 3, points: 20, weight: 10, contribution: 2 });
    expect(byMeasure.npsLatest.detail).toBe('latest NPS answer 3 (detractor)');
    expect(byMeasure.csat).toMatchObject({ raw: 4, points: 80, weight: 5, contribution: 4 });
    expect(byMeasure.ces).toMatchObject({ raw: 2, points: 90, weight: 5, contribution: 4.5 });
    expect(byMeasure.daysToRenewal).toMatchObject({ raw: 60, points: 65, weight: 5, contribution: 3.25, lastEventId: 'evt-contract' });
    expect(result.coverage).toMatchObject({ missing: [], presentWeight: 100, totalWeight: 100, note: 'all 9 measures had data' });
  });

  it('leaves measures without data out and renormalizes the remaining weights, saying so', () => {
    const signals: AccountSignals = { usageTrendPct: obs(5), championPresent: obs(false) };
    const result = scoreAccount(DEFAULT_SCORECARD, signals, asOf)!;
    // (85 × 25 + 0 × 15) / (25 + 15) = 53.125
    expect(result.score).toBe(53);
    expect(result.band).toBe('yellow');
    const byMeasure = Object.fromEntries(result.explanation.map((e) => [e.measure, e]));
    expect(byMeasure.usageTrend).toMatchObject({ points: 85, weight: 25, contribution: 53.13 });
    expect(byMeasure.usageTrend.detail).toContain('weight 25 of 40 present = 62.5%');
    expect(byMeasure.championPresent).toMatchObject({ raw: false, points: 0, contribution: 0 });
    expect(byMeasure.npsLatest).toMatchObject({ raw: null, points: null, contribution: 0 });
    expect(byMeasure.npsLatest.detail).toMatch(/no data yet: left out .* renormalized/);
    expect(result.coverage.missing).toEqual(['activeUsersVsSeats', 'featureAdoption', 'daysSinceLastActivity', 'npsLatest', 'csat', 'ces', 'daysToRenewal']);
    expect(result.coverage.note).toBe('2 of 9 measures had data; left out (no data): activeUsersVsSeats, featureAdoption, '
      + 'daysSinceLastActivity, npsLatest, csat, ces, daysToRenewal; the remaining weights (40 of 100) were renormalized to 100%');
  });

  it('gives no score while no measure has data', () => {
    expect(scoreAccount(DEFAULT_SCORECARD, { plan: obs('pro'), seats: obs(10) }, asOf)).toBeNull();
  });

  it('scores a hand-made scorecard with its own thresholds, weights and bands', () => {
    const scorecard: Scorecard = {
      id: 'sc', version: 2, name: 'x', segment: {},
      bands: { yellowFrom: 50, greenFrom: 90 },
      measures: [
        { measure: 'activeUsersVsSeats', weight: 3, thresholds: [{ value: 0, points: 0 }, { value: 50, points: 100 }] },
        { measure: 'npsLatest', weight: 1, thresholds: [{ value: 0, points: 0 }, { value: 10, points: 100 }] },
      ],
    };
    const result = scoreAccount(scorecard, { activeUsers30d: obs(10), seats: obs(40), nps: obs({ score: 8, category: 'passive', surveyId: 's' }) }, asOf)!;
    // 25 % of seats → 50 points; NPS 8 → 80 points; (50 × 3 + 80 × 1) / 4 = 57.5 → 58 (yellow from 50)
    expect(result).toMatchObject({ score: 58, band: 'yellow', scorecardId: 'sc', scorecardVersion: 2 });
    expect(result.explanation.map((e) => e.contribution)).toEqual([37.5, 20]);
  });
});

describe('usage trend measure', () => {
  const trendOf = (signals: AccountSignals) =>
    scoreAccount(DEFAULT_SCORECARD, signals, asOf)!.explanation.find((e) => e.measure === 'usageTrend')!;

  it('uses the drop detector\'s numbers and reason while a drop episode is open', () => {
    const dropped = obs({ state: 'dropped' as const, changePct: -88, reason: 'Weekly usage fell 88%', episodeId: 'ep', kind: 'drop' as const, thresholdPct: 50 }, '2026-03-09T00:00:00Z');
    const t = trendOf({ usageEpisode: dropped, usageTrendPct: obs(-10, '2026-03-10T00:00:00Z') });
    // −88 lies between −100 (0) and −50 (20): 12/50 × 20 = 4.8
    expect(t).toMatchObject({ raw: -88, points: 4.8, lastEventId: dropped.eventId });
    expect(t.detail).toContain('Weekly usage fell 88%');
  });

  it('caps a summary\'s trend at the drop threshold until the detector confirms a drop', () => {
    const t = trendOf({ usageTrendPct: obs(-90) });
    expect(t).toMatchObject({ raw: -90, points: 20 });
    expect(t.detail).toContain('until the drop detector confirms a drop');
  });

  it('uses a summary newer than a recovery', () => {
    const recovered = obs({ state: 'recovered' as const, changePct: -10, reason: 'back', episodeId: 'ep' }, '2026-03-08T00:00:00Z');
    expect(trendOf({ usageEpisode: recovered })).toMatchObject({ raw: -10, points: 68 });
    expect(trendOf({ usageEpisode: recovered, usageTrendPct: obs(0, '2026-03-09T00:00:00Z') })).toMatchObject({ raw: 0, points: 80 });
  });
});

describe('interpolate', () => {
  const usage = DEFAULT_SCORECARD.measures.find((m) => m.measure === 'usageTrend')!.thresholds;

  it('is flat beyond the first and the last threshold', () => {
    expect(interpolate(usage, -150)).toBe(0);
    expect(interpolate(usage, -100)).toBe(0);
    expect(interpolate(usage, 20)).toBe(100);
    expect(interpolate(usage, 500)).toBe(100);
  });

  it('hits each threshold exactly and is linear between neighbours', () => {
    expect(interpolate(usage, -50)).toBe(20);
    expect(interpolate(usage, -25)).toBe(50);
    expect(interpolate(usage, 0)).toBe(80);
    expect(interpolate(usage, -75)).toBe(10);
    expect(interpolate(usage, -37.5)).toBe(35);
    expect(interpolate(usage, 10)).toBe(90);
  });

  it('follows falling curves (customer effort: less is better)', () => {
    const ces = DEFAULT_SCORECARD.measures.find((m) => m.measure === 'ces')!.thresholds;
    expect(interpolate(ces, 1)).toBe(100);
    expect(interpolate(ces, 6)).toBe(15);
    expect(interpolate(ces, 7)).toBe(0);
  });

  it('maps NPS answers into the documented ranges', () => {
    const nps = DEFAULT_SCORECARD.measures.find((m) => m.measure === 'npsLatest')!.thresholds;
    expect([0, 3, 6, 7, 8, 9, 10].map((s) => interpolate(nps, s))).toEqual([0, 20, 40, 60, 75, 90, 100]);
  });
});

describe('bandFor', () => {
  it('puts red below 40, yellow from 40 and green from 70 by default', () => {
    expect([0, 39, 40, 69, 70, 100].map((s) => bandFor(s))).toEqual(['red', 'red', 'yellow', 'yellow', 'green', 'green']);
  });

  it('uses configured bands', () => {
    expect([49, 50, 89, 90].map((s) => bandFor(s, { yellowFrom: 50, greenFrom: 90 }))).toEqual(['red', 'yellow', 'yellow', 'green']);
  });
});

describe('the NPS trend measure', () => {
  const trend: Scorecard = {
    ...DEFAULT_SCORECARD, id: 'trend', builtIn: false,
    measures: [{ measure: 'npsTrend', weight: 1, thresholds: [{ value: -6, points: 0 }, { value: -3, points: 30 }, { value: 0, points: 70 }, { value: 3, points: 100 }] }],
  };

  it('scores the latest answer minus the previous one, and has no data with a single answer', () => {
    const latest = obs({ score: 6, category: 'detractor', surveyId: 's' });
    const r = scoreAccount(trend, { nps: latest, npsPrevious: obs({ score: 8, category: 'passive', surveyId: 's' }) }, asOf)!;
    // −2 → 30 + 1/3 × 40 = 43.3
    expect(r.explanation[0]).toMatchObject({ measure: 'npsTrend', raw: -2, points: 43.3, lastEventId: latest.eventId, detail: 'NPS answers 8 (passive) → 6 (detractor): -2' });
    expect(r.score).toBe(43);
    expect(scoreAccount(trend, { nps: latest }, asOf)).toBeNull();
  });
});

describe('support ticket measures', () => {
  const ticket = (id: string, openedAt: string, extra: Partial<import('./signals').TicketSignal> = {}) =>
    ({ ticketId: id, status: 'open', escalated: false, openedAt, eventId: `evt-${id}`, ...extra });
  // One ticket a week for the 8 weeks before the last 7 days, then 4 in the last 7 days.
  const baseline = Array.from({ length: 8 }, (_, i) => ticket(`b${i}`, new Date(asOf.getTime() - (10 + 7 * i) * 86_400_000).toISOString(),
    { status: 'solved', solvedAt: new Date(asOf.getTime() - (9 + 7 * i) * 86_400_000).toISOString(), resolutionMinutes: 24 * 60, satisfaction: i < 6 ? 'good' : 'bad' }));
  const spike = Array.from({ length: 4 }, (_, i) => ticket(`s${i}`, new Date(asOf.getTime() - (i + 1) * 3_600_000).toISOString(), { escalated: i === 0 }));
  const scorecard: Scorecard = {
    ...DEFAULT_SCORECARD, id: 'support', builtIn: false,
    measures: (['openTickets', 'escalatedOpenTickets', 'ticketVolumeTrend', 'medianTimeToResolve', 'ticketCsat'] as const)
      .map((m) => ({ measure: m, weight: 1, thresholds: MEASURES[m].defaultThresholds })),
  };

  it('explains a ticket spike against the account\'s own baseline', () => {
    const r = scoreAccount(scorecard, { tickets: [...baseline, ...spike], seats: obs(40) }, asOf)!;
    const by = Object.fromEntries(r.explanation.map((e) => [e.measure, e]));
    expect(by.ticketVolumeTrend.raw).toBe(300);
    expect(by.ticketVolumeTrend.points).toBe(0);
    expect(by.ticketVolumeTrend.detail).toMatch(/^4 tickets opened in the last 7 days vs 1 a week before \(\+300%\)/);
    expect(by.openTickets.detail).toMatch(/^4 open tickets for 40 seats \(10 per 100 seats\)/);
    expect(by.escalatedOpenTickets).toMatchObject({ raw: 1, points: 50 });
    expect(by.medianTimeToResolve).toMatchObject({ raw: 24, points: 80 });
    expect(by.ticketCsat).toMatchObject({ raw: 75 });
  });

  it('counts a ticket open only until it was solved (event time)', () => {
    const solvedLater = ticket('x', '2026-03-01T00:00:00Z', { status: 'solved', solvedAt: '2026-03-12T00:00:00Z', resolutionMinutes: 15_840 });
    const r = scoreAccount(scorecard, { tickets: [solvedLater] }, asOf)!;
    expect(r.explanation.find((e) => e.measure === 'openTickets')!.raw).toBe(1);
    expect(r.explanation.find((e) => e.measure === 'medianTimeToResolve')!.raw).toBeNull();
  });

  it('has no ticket measure without tickets, so the built-in score of an account without a help desk is unchanged', () => {
    const r = scoreAccount(DEFAULT_SCORECARD, { usageTrendPct: obs(5) }, asOf)!;
    expect(r.explanation.map((e) => e.measure)).not.toContain('ticketVolumeTrend');
    expect(r.score).toBe(85);
  });
});
