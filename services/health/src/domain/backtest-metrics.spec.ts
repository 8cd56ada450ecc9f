import { bandChurnRates, bootstrapIntervals, histogram, prAuc, rocAuc, ScoredPair, topDecileLift } from './backtest-metrics';

const pairs = (list: [number, boolean][]): ScoredPair[] =>
  list.map(([score, churned], account) => ({ account, score, churned, band: score < 40 ? 'red' : score < 70 ? 'yellow' : 'green' }));

describe('backtest metrics', () => {
  it('ROC AUC counts the churner-below-stayer pairs, ties half', () => {
    // churners 10, 50; stayers 50, 80: (10<50, 10<80, 50=50 half, 50<80) = 3.5 / 4
    expect(rocAuc(histogram(pairs([[10, true], [50, true], [50, false], [80, false]])))).toBe(0.875);
    expect(rocAuc(histogram(pairs([[10, false]])))).toBeNull();
  });

  it('PR AUC is the average precision, riskiest first', () => {
    // 10 churned (P 1, R .5), 20 stayed, 30 churned (P 2/3, R 1): .5 + .5 × 2/3
    expect(prAuc(histogram(pairs([[10, true], [20, false], [30, true], [90, false]])))).toBeCloseTo(0.8333, 4);
    expect(prAuc(histogram(pairs([[10, false]])))).toBeNull();
  });

  it('top-decile lift takes the riskiest tenth, a tie group pro rata', () => {
    const list: [number, boolean][] = Array.from({ length: 20 }, (_, i) => [i * 5, i < 2]);
    // The riskiest 2 of 20 are the 2 churners: rate 1 over base .1 = 10.
    expect(topDecileLift(histogram(pairs(list)))).toBeCloseTo(10, 6);
  });

  it('churn rate per band is null for an empty band, never NaN', () => {
    expect(bandChurnRates(pairs([[10, true], [20, false]]))).toEqual([
      { band: 'red', pairs: 2, churned: 1, churnRate: 0.5 },
      { band: 'yellow', pairs: 0, churned: 0, churnRate: null },
      { band: 'green', pairs: 0, churned: 0, churnRate: null },
    ]);
  });

  it('bootstrap intervals are reproducible and contain the estimate', () => {
    const list = pairs(Array.from({ length: 200 }, (_, i) => [i % 100, (i * 7919) % 100 < 30 - (i % 100) / 4] as [number, boolean]));
    const a = bootstrapIntervals(list, 100, 1);
    expect(a).toEqual(bootstrapIntervals(list, 100, 1));
    const auc = rocAuc(histogram(list))!;
    expect(a.roc!.low).toBeLessThanOrEqual(auc);
    expect(a.roc!.high).toBeGreaterThanOrEqual(auc);
  });
});
