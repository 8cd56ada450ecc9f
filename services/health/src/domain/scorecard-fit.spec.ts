import { MEASURE_NAMES } from './measures';
import { fitBands, fitScorecard, fitThresholds, logisticRegression, scoreFromInputs } from './scorecard-fit';
import { DEFAULT_SCORECARD } from './scorecard';
import { scoreAccount } from './scoring';
import { seededRandom } from './backtest-metrics';

describe('scorecard fit', () => {
  it('logistic regression recovers the sign and rough size of a known effect', () => {
    const random = seededRandom(3);
    const x: number[][] = [];
    const y: boolean[] = [];
    for (let i = 0; i < 4000; i++) {
      const a = random(), b = random();
      x.push([a, b]);
      y.push(random() < 1 / (1 + Math.exp(-(1 - 4 * a))));
    }
    const [b0, b1, b2] = logisticRegression(x, y, 0.01);
    expect(b0).toBeCloseTo(1, 0);
    expect(b1).toBeCloseTo(-4, 0);
    expect(Math.abs(b2)).toBeLessThan(0.4);
  });

  it('thresholds give more points where churn is rarer', () => {
    const values = Array.from({ length: 100 }, (_, i) => i);
    const labels = values.map((v) => v < 30);
    const t = fitThresholds(values, labels, 0.3)!;
    const points = t.map((x) => x.points);
    expect(Math.min(...points)).toBe(0);
    expect(Math.max(...points)).toBe(100);
    // Below 30 everyone churns, above nobody: every cut above 30 is worth more than every cut below.
    const below = t.filter((x) => x.value < 30).map((x) => x.points), above = t.filter((x) => x.value >= 30).map((x) => x.points);
    expect(Math.max(...below)).toBeLessThan(Math.min(...above));
    expect(t.map((x) => x.value)).toEqual([...t.map((x) => x.value)].sort((a, b) => a - b));
  });

  it('weights only measures that protect, and leaves out measures without data', () => {
    const nps = MEASURE_NAMES.indexOf('npsLatest');
    const rows = Array.from({ length: 300 }, (_, i) => {
      const inputs: (number | null)[] = MEASURE_NAMES.map(() => null);
      inputs[nps] = i % 11;
      return { inputs, churned: i % 11 <= 3 };
    });
    const fit = fitScorecard(rows);
    expect(fit.measures.map((m) => m.measure)).toEqual(['npsLatest']);
    expect(fit.leftOut.map((l) => l.measure)).toContain('csat');
  });

  it('scores from inputs exactly as scoreAccount does', () => {
    const signals = {
      nps: { value: { score: 7, category: 'passive', surveyId: 's' }, eventId: 'e', observedAt: '2026-01-01T00:00:00Z' },
      featuresUsed30d: { value: 4, eventId: 'e', observedAt: '2026-01-01T00:00:00Z' },
    };
    const asOf = new Date('2026-01-02T00:00:00Z');
    const inputs = MEASURE_NAMES.map((m) => (m === 'npsLatest' ? 7 : m === 'featureAdoption' ? 4 : null));
    expect(scoreFromInputs(DEFAULT_SCORECARD.measures, inputs)).toBe(scoreAccount(DEFAULT_SCORECARD, signals, asOf)!.score);
  });

  it('bands put red below the score that separates churners best', () => {
    const scored = Array.from({ length: 100 }, (_, i) => ({ score: i, churned: i < 25 }));
    const bands = fitBands(scored);
    expect(bands.yellowFrom).toBe(25);
    expect(bands.greenFrom).toBeGreaterThan(25);
  });
});
