import { UsageDroppedV1 } from '@cairn/contracts';

/**
 * A cairn.usage.dropped.v1 payload as ingestion publishes it: a 7-day window at 45 events/day
 * against a 120/day baseline (−62.5 %, threshold 30 %). `over` changes any field.
 */
export function usageDroppedPayload(episodeId: string, over: Partial<UsageDroppedV1> = {}): UsageDroppedV1 {
  return {
    baselineWindow: { from: '2025-02-01', to: '2025-02-28' }, currentWindow: { from: '2025-03-01', to: '2025-03-07' },
    baselineDailyAvg: 120, currentDailyAvg: 45, changePct: -62.5, thresholdPct: 30, kind: 'drop', episodeId,
    reason: 'Daily usage fell 62.5% (45/day over the last 7 days vs 120/day baseline)', ...over,
  };
}
