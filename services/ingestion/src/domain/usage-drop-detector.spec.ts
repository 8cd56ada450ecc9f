import { addDays } from './days';
import { UsageDropDetector } from './usage-drop-detector';

/** Day n of a synthetic history (day 0 = first event day). */
const D = (n: number) => addDays('2025-01-01', n);

function history(spans: Array<[fromDay: number, toDay: number, perDay: number]>) {
  const counts = new Map<string, number>();
  for (const [from, to, perDay] of spans) for (let d = from; d <= to; d++) counts.set(D(d), perDay);
  return (day: string) => counts.get(day) ?? 0;
}

describe('UsageDropDetector', () => {
  const detector = new UsageDropDetector();

  it('compares the 7 complete days before the new day with the 28 days before those', () => {
    expect(detector.windowsBefore(D(35))).toEqual({
      current: { from: D(28), to: D(34) },
      baseline: { from: D(0), to: D(27) },
    });
  });

  it('signals a drop with the numbers when weekly usage falls past the threshold', () => {
    const events = history([[0, 27, 40], [28, 34, 3]]);
    const v = detector.evaluate({ day: D(35), firstDay: D(0), events });
    expect(v.kind).toBe('dropped');
    if (v.kind !== 'dropped') return;
    expect(v.comparison).toMatchObject({
      baselineDailyAvg: 40, currentDailyAvg: 3, changePct: -92.5,
      baselineWindow: { from: D(0), to: D(27) }, currentWindow: { from: D(28), to: D(34) },
    });
    expect(v.thresholdPct).toBe(50);
    expect(v.comparison.reason).toBe('Weekly usage fell 92.5% (40.0 → 3.0 events/day) vs the 28-day baseline');
  });

  it('does not judge an account whose history does not cover the baseline yet', () => {
    const events = history([[0, 25, 40], [26, 32, 0]]);
    expect(detector.evaluate({ day: D(33), firstDay: D(0), events }).kind).toBe('not-enough-history');
  });

  it('stays quiet for a small account below the minimum baseline volume', () => {
    const events = history([[0, 27, 4], [28, 34, 0]]);
    expect(detector.evaluate({ day: D(35), firstDay: D(0), events })).toEqual({ kind: 'baseline-too-small', baselineDailyAvg: 4 });
  });

  it('calls a fall smaller than the threshold steady', () => {
    const events = history([[0, 27, 40], [28, 34, 25]]);
    const v = detector.evaluate({ day: D(35), firstDay: D(0), events });
    expect(v).toMatchObject({ kind: 'steady', comparison: { changePct: -37.5 } });
  });

  it('treats exactly the threshold as a drop', () => {
    const events = history([[0, 27, 40], [28, 34, 20]]);
    expect(detector.evaluate({ day: D(35), firstDay: D(0), events }).kind).toBe('dropped');
  });

  it('keeps an open episode until usage is back within half the threshold of the baseline before the drop', () => {
    const episode = { kind: 'drop' as const, baselineWindow: { from: D(0), to: D(27) }, baselineDailyAvg: 40 };
    const low = history([[0, 27, 40], [28, 41, 25]]);
    expect(detector.evaluate({ day: D(42), firstDay: D(0), events: low, episode }).kind).toBe('still-low');
    const back = history([[0, 27, 40], [28, 34, 3], [35, 41, 35]]);
    const v = detector.evaluate({ day: D(42), firstDay: D(0), events: back, episode });
    expect(v).toMatchObject({ kind: 'recovered', comparison: { baselineDailyAvg: 40, currentDailyAvg: 35, changePct: -12.5 } });
    if (v.kind === 'recovered') expect(v.comparison.reason).toMatch(/recovered to 35\.0 events\/day \(88% of the 40\.0/);
  });

  it('does not call a long drop recovered just because the baseline has caught up with it', () => {
    const episode = { kind: 'drop' as const, baselineWindow: { from: D(0), to: D(27) }, baselineDailyAvg: 40 };
    const events = history([[0, 27, 40], [28, 80, 3]]);
    expect(detector.evaluate({ day: D(81), firstDay: D(0), events, episode }).kind).toBe('still-low');
  });

  it('uses the workspace settings for window, baseline and threshold', () => {
    const custom = new UsageDropDetector({ windowDays: 3, baselineDays: 10, thresholdPct: 20, minBaselineDailyAvg: 1 });
    const events = history([[0, 9, 10], [10, 12, 7]]);
    const v = custom.evaluate({ day: D(13), firstDay: D(0), events });
    expect(v).toMatchObject({ kind: 'dropped', comparison: { changePct: -30, currentWindow: { from: D(10), to: D(12) } } });
    if (v.kind === 'dropped') expect(v.comparison.reason).toMatch(/^Usage over the last 3 days fell 30%/);
  });

  describe('silence', () => {
    const events = history([[0, 27, 10]]);

    it('is signalled when an account with baseline volume sent nothing for a whole window', () => {
      const v = detector.silence({ today: D(36), lastActiveDay: D(27), lastReceivedDay: D(28), firstDay: D(0), events, inEpisode: false });
      expect(v).toMatchObject({ kind: 'silent', silentDays: 7, comparison: { baselineDailyAvg: 10, currentDailyAvg: 0, changePct: -100 } });
      if (v.kind === 'silent') expect(v.comparison.reason).toBe('No usage for 7 days (baseline 10.0 events/day over the 28 days before)');
    });

    it('waits until the window has passed', () => {
      expect(detector.silence({ today: D(35), lastActiveDay: D(27), lastReceivedDay: D(28), firstDay: D(0), events, inEpisode: false }).kind)
        .toBe('not-silent');
    });

    it('is not signalled twice within an episode', () => {
      expect(detector.silence({ today: D(60), lastActiveDay: D(27), lastReceivedDay: D(28), firstDay: D(0), events, inEpisode: true }).kind)
        .toBe('not-silent');
    });

    it('ignores accounts too small to judge', () => {
      const tiny = history([[0, 27, 1]]);
      expect(detector.silence({ today: D(40), lastActiveDay: D(27), lastReceivedDay: D(28), firstDay: D(0), events: tiny, inEpisode: false }).kind)
        .toBe('baseline-too-small');
    });
  });
});
