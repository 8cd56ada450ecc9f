import { describeChange, describeSignal } from './narrative';
import { healthTrend } from './trend';

describe('describeChange', () => {
  const cause = describeSignal.usageDropped({
    kind: 'drop', changePct: -88.04, reason: 'Weekly usage fell 88% (40.0 → 4.7 events/day)', thresholdPct: 50, episodeId: 'e',
    baselineDailyAvg: 40, currentDailyAvg: 4.7, baselineWindow: { from: 'a', to: 'b' }, currentWindow: { from: 'c', to: 'd' },
  });

  it('says how the score moved and why', () => {
    expect(describeChange({ score: 78, band: 'green' }, { score: 41, band: 'yellow' }, cause))
      .toBe('Health fell from 78 (green) to 41 (yellow): usage fell 88% vs baseline (Weekly usage fell 88% (40.0 → 4.7 events/day))');
    expect(describeChange({ score: 41, band: 'yellow' }, { score: 60, band: 'yellow' }, 'x')).toBe('Health rose from 41 (yellow) to 60 (yellow): x');
  });

  it('describes a first score and a band change at the same score', () => {
    expect(describeChange(null, { score: 72, band: 'green' }, 'x')).toBe('Health scored 72 (green) for the first time: x');
    expect(describeChange({ score: 60, band: 'green' }, { score: 60, band: 'yellow' }, 'new bands'))
      .toBe('Health band changed from green to yellow at 60: new bands');
  });
});

describe('healthTrend', () => {
  it('compares with the score in force a week earlier when the history reaches back that far', () => {
    expect(healthTrend([
      { score: 40, at: '2026-03-10T00:00:00Z' },
      { score: 55, at: '2026-03-08T00:00:00Z' },
      { score: 80, at: '2026-03-02T00:00:00Z' },
      { score: 90, at: '2026-02-20T00:00:00Z' },
    ])).toEqual({ delta: -40, basis: '7d', comparedTo: { score: 80, at: '2026-03-02T00:00:00Z' } });
  });

  it('compares with the previous score when the history is younger than a week', () => {
    expect(healthTrend([{ score: 40, at: '2026-03-10T00:00:00Z' }, { score: 55, at: '2026-03-08T00:00:00Z' }]))
      .toEqual({ delta: -15, basis: 'previous', comparedTo: { score: 55, at: '2026-03-08T00:00:00Z' } });
  });

  it('has no trend for a first score', () => {
    expect(healthTrend([{ score: 40, at: '2026-03-10T00:00:00Z' }])).toBeNull();
  });
});
