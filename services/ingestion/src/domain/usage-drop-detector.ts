import { addDays, Day, daysBetween } from './days';

/** Per-workspace detection settings (see GET/PUT /settings/detection). */
export interface UsageDropSettings {
  /** Days in the recent window compared with the baseline. */
  windowDays: number;
  /** Days in the baseline window, immediately before the recent window. */
  baselineDays: number;
  /** Percent drop (vs baseline) that opens an episode; it closes above −thresholdPct/2. */
  thresholdPct: number;
  /** Accounts whose baseline is below this many events/day are too small to judge. */
  minBaselineDailyAvg: number;
}

export const DEFAULT_USAGE_DROP_SETTINGS: UsageDropSettings = {
  windowDays: 7, baselineDays: 28, thresholdPct: 50, minBaselineDailyAvg: 5,
};

export interface DayRange {
  from: Day;
  to: Day;
}

export interface UsageComparison {
  baselineWindow: DayRange;
  currentWindow: DayRange;
  baselineDailyAvg: number;
  currentDailyAvg: number;
  changePct: number;
  reason: string;
}

/** A drop or silence that has been signalled and has not recovered yet. */
export interface OpenEpisode {
  kind: 'drop' | 'silence';
  baselineWindow: DayRange;
  baselineDailyAvg: number;
}

export type UsageVerdict =
  | { kind: 'not-enough-history'; needFrom: Day }
  | { kind: 'baseline-too-small'; baselineDailyAvg: number }
  | { kind: 'steady'; comparison: UsageComparison }
  | { kind: 'dropped'; comparison: UsageComparison; thresholdPct: number }
  | { kind: 'still-low'; comparison: UsageComparison }
  | { kind: 'recovered'; comparison: UsageComparison };

export type SilenceVerdict =
  | { kind: 'not-silent' }
  | { kind: 'not-enough-history' }
  | { kind: 'baseline-too-small'; baselineDailyAvg: number }
  | { kind: 'silent'; comparison: UsageComparison; thresholdPct: number; silentDays: number };

/** Events per day (event time, UTC) of one account; days without events count 0. */
export type DailyEvents = (day: Day) => number;

const round1 = (n: number) => Math.round(n * 10) / 10;
const fmt = (n: number) => round1(n).toFixed(1);

/**
 * Compares an account's recent usage with its own baseline. Evaluated when the account's
 * latest event day advances: the complete `windowDays` before that day are the current
 * window, the `baselineDays` before those the baseline. An account is judged only once its
 * history covers the whole baseline (days before its first event are not "zero usage") and
 * the baseline is large enough. A drop of `thresholdPct` or more opens an episode, signalled
 * once; the episode ends when usage is back within half the threshold of the baseline it was
 * measured against — not of a baseline that the drop itself has since pulled down.
 */
export class UsageDropDetector {
  constructor(readonly settings: UsageDropSettings = DEFAULT_USAGE_DROP_SETTINGS) {}

  /** The windows judged when `day` is the newest day seen: both end before it. */
  windowsBefore(day: Day): { current: DayRange; baseline: DayRange } {
    const { windowDays, baselineDays } = this.settings;
    const current = { from: addDays(day, -windowDays), to: addDays(day, -1) };
    const baseline = { from: addDays(current.from, -baselineDays), to: addDays(current.from, -1) };
    return { current, baseline };
  }

  evaluate(input: { day: Day; firstDay: Day; events: DailyEvents; episode?: OpenEpisode }): UsageVerdict {
    const { current, baseline } = this.windowsBefore(input.day);
    const currentAvg = this.average(current, input.events);
    if (input.episode) {
      const comparison = this.compare(input.episode.baselineWindow, input.episode.baselineDailyAvg, current, currentAvg);
      return comparison.changePct > -this.settings.thresholdPct / 2
        ? { kind: 'recovered', comparison: { ...comparison, reason: this.recoveredReason(comparison) } }
        : { kind: 'still-low', comparison };
    }
    if (input.firstDay > baseline.from) return { kind: 'not-enough-history', needFrom: baseline.from };
    const baselineAvg = this.average(baseline, input.events);
    if (baselineAvg < this.settings.minBaselineDailyAvg || baselineAvg === 0) {
      return { kind: 'baseline-too-small', baselineDailyAvg: round1(baselineAvg) };
    }
    const comparison = this.compare(baseline, baselineAvg, current, currentAvg);
    if (comparison.changePct <= -this.settings.thresholdPct) {
      return { kind: 'dropped', comparison: { ...comparison, reason: this.droppedReason(comparison) }, thresholdPct: this.settings.thresholdPct };
    }
    return { kind: 'steady', comparison };
  }

  /**
   * Wall-clock check for an account that stopped sending anything: silent when nothing arrived
   * for a whole window; judged against the baseline before its last active day.
   */
  silence(input: { today: Day; lastActiveDay: Day; lastReceivedDay: Day; firstDay: Day; events: DailyEvents; inEpisode: boolean }): SilenceVerdict {
    if (input.inEpisode) return { kind: 'not-silent' };
    const silentDays = daysBetween(input.lastReceivedDay, input.today) - 1;
    if (silentDays < this.settings.windowDays) return { kind: 'not-silent' };
    const baseline = { from: addDays(input.lastActiveDay, -this.settings.baselineDays + 1), to: input.lastActiveDay };
    if (input.firstDay > baseline.from) return { kind: 'not-enough-history' };
    const baselineAvg = this.average(baseline, input.events);
    if (baselineAvg < this.settings.minBaselineDailyAvg || baselineAvg === 0) {
      return { kind: 'baseline-too-small', baselineDailyAvg: round1(baselineAvg) };
    }
    const current = { from: addDays(input.lastReceivedDay, 1), to: addDays(input.today, -1) };
    const comparison = this.compare(baseline, baselineAvg, current, 0);
    comparison.reason = `No usage for ${silentDays} days (baseline ${fmt(baselineAvg)} events/day over the ${this.settings.baselineDays} days before)`;
    return { kind: 'silent', comparison, thresholdPct: this.settings.thresholdPct, silentDays };
  }

  /** Usage came back after a silence episode: any event ends it. */
  resumedAfterSilence(episode: OpenEpisode, day: Day, eventsThatDay: number): UsageComparison {
    const comparison = this.compare(episode.baselineWindow, episode.baselineDailyAvg, { from: day, to: day }, eventsThatDay);
    return { ...comparison, reason: `Usage resumed on ${day} after a silence (baseline ${fmt(episode.baselineDailyAvg)} events/day)` };
  }

  private average(range: DayRange, events: DailyEvents): number {
    let total = 0;
    const n = daysBetween(range.from, range.to) + 1;
    for (let i = 0; i < n; i++) total += events(addDays(range.from, i));
    return total / n;
  }

  private compare(baselineWindow: DayRange, baselineAvg: number, currentWindow: DayRange, currentAvg: number): UsageComparison {
    const changePct = round1(((currentAvg - baselineAvg) / baselineAvg) * 100);
    return {
      baselineWindow, currentWindow,
      baselineDailyAvg: round1(baselineAvg), currentDailyAvg: round1(currentAvg), changePct,
      reason: `Usage ${changePct >= 0 ? 'up' : 'down'} ${Math.abs(changePct)}% (${fmt(baselineAvg)} → ${fmt(currentAvg)} events/day)`,
    };
  }

  private windowName(): string {
    return this.settings.windowDays === 7 ? 'Weekly usage' : `Usage over the last ${this.settings.windowDays} days`;
  }

  private droppedReason(c: UsageComparison): string {
    return `${this.windowName()} fell ${Math.abs(c.changePct)}% (${fmt(c.baselineDailyAvg)} → ${fmt(c.currentDailyAvg)} events/day) `
      + `vs the ${this.settings.baselineDays}-day baseline`;
  }

  private recoveredReason(c: UsageComparison): string {
    const share = Math.round((c.currentDailyAvg / c.baselineDailyAvg) * 100);
    return `${this.windowName()} recovered to ${fmt(c.currentDailyAvg)} events/day (${share}% of the ${fmt(c.baselineDailyAvg)} `
      + `events/day baseline before the drop)`;
  }
}
