import { forecastRenewal } from './renewal-forecast';

const none = { healthBand: null, healthScore: null, previousHealthScore: null, usageTrendPct: null, npsScore: null, autoRenew: false };

describe('renewal forecast', () => {
  it('starts from the health band', () => {
    expect(forecastRenewal({ ...none, healthBand: 'green', healthScore: 82 }).likelihoodPct).toBe(90);
    expect(forecastRenewal({ ...none, healthBand: 'red' }).likelihoodPct).toBe(40);
    expect(forecastRenewal(none)).toMatchObject({ likelihoodPct: 70, explanation: 'health unknown: base 70 % → 70 %' });
  });

  it('adds each signal as points and explains them', () => {
    const f = forecastRenewal({ healthBand: 'yellow', healthScore: 55, previousHealthScore: 72, usageTrendPct: -45, npsScore: 3, autoRenew: true });
    // 70 − 10 (health fell 17) − 15 (usage −45 %) − 10 (detractor) + 5 (auto-renew) = 40
    expect(f.likelihoodPct).toBe(40);
    expect(f.factors.map((x) => [x.signal, x.effectPts])).toEqual([['health', 70], ['health_trend', -10], ['usage_trend', -15], ['nps', -10], ['auto_renew', 5]]);
    expect(f.explanation).toBe('health is yellow (55): base 70 %; -10 pts: health fell 17 points at the last change; -15 pts: usage -45 % against its baseline; '
      + '-10 pts: latest NPS answer 3 (detractor); +5 pts: renews automatically unless cancelled → 40 %');
  });

  it('keeps the likelihood within 5–98 %', () => {
    expect(forecastRenewal({ healthBand: 'green', healthScore: 95, previousHealthScore: 70, usageTrendPct: 40, npsScore: 10, autoRenew: true }).likelihoodPct).toBe(98);
  });
});
