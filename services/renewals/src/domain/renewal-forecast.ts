import type { HealthBand } from '@cairn/contracts';

/** What is known about an account ahead of its renewal. Every signal may be missing. */
export interface RenewalSignals {
  healthBand: HealthBand | null;
  healthScore: number | null;
  /** Score before the latest health change, for the trend. */
  previousHealthScore: number | null;
  /** Usage of the current window vs the account's baseline, % (negative = less). */
  usageTrendPct: number | null;
  /** Latest NPS answer from the account (0–10). */
  npsScore: number | null;
  autoRenew: boolean;
}

export interface ForecastFactor {
  signal: 'health' | 'health_trend' | 'usage_trend' | 'nps' | 'auto_renew';
  /** Percentage points added to (or taken from) the likelihood. */
  effectPts: number;
  detail: string;
}

export interface RenewalForecast {
  /** 0–100 %. */
  likelihoodPct: number;
  factors: ForecastFactor[];
  explanation: string;
}

const BASE_BY_BAND: Record<HealthBand, number> = { green: 90, yellow: 70, red: 40 };
const BASE_UNKNOWN = 70;

/**
 * Likelihood that a renewal closes without churn: a base from the health band, moved by the
 * health trend, the usage trend, the latest NPS answer and auto-renew, kept within 5–98 %.
 * Deliberately simple and additive, so each factor reads as "+x pts because …"; the health
 * service's backtests are where the weights should be tuned.
 */
export function forecastRenewal(s: RenewalSignals): RenewalForecast {
  const factors: ForecastFactor[] = [];
  const base = s.healthBand ? BASE_BY_BAND[s.healthBand] : BASE_UNKNOWN;
  factors.push({
    signal: 'health', effectPts: base,
    detail: s.healthBand ? `health is ${s.healthBand}${s.healthScore !== null ? ` (${s.healthScore})` : ''}: base ${base} %` : `health unknown: base ${base} %`,
  });
  if (s.healthScore !== null && s.previousHealthScore !== null) {
    const delta = s.healthScore - s.previousHealthScore;
    if (delta <= -10) factors.push({ signal: 'health_trend', effectPts: -10, detail: `health fell ${Math.abs(delta)} points at the last change` });
    else if (delta >= 10) factors.push({ signal: 'health_trend', effectPts: 5, detail: `health rose ${delta} points at the last change` });
  }
  if (s.usageTrendPct !== null) {
    if (s.usageTrendPct <= -30) factors.push({ signal: 'usage_trend', effectPts: -15, detail: `usage ${s.usageTrendPct} % against its baseline` });
    else if (s.usageTrendPct <= -10) factors.push({ signal: 'usage_trend', effectPts: -5, detail: `usage ${s.usageTrendPct} % against its baseline` });
    else if (s.usageTrendPct >= 10) factors.push({ signal: 'usage_trend', effectPts: 5, detail: `usage +${s.usageTrendPct} % against its baseline` });
  }
  if (s.npsScore !== null) {
    if (s.npsScore <= 6) factors.push({ signal: 'nps', effectPts: -10, detail: `latest NPS answer ${s.npsScore} (detractor)` });
    else if (s.npsScore >= 9) factors.push({ signal: 'nps', effectPts: 5, detail: `latest NPS answer ${s.npsScore} (promoter)` });
  }
  if (s.autoRenew) factors.push({ signal: 'auto_renew', effectPts: 5, detail: 'renews automatically unless cancelled' });
  const raw = factors.reduce((sum, f) => sum + f.effectPts, 0);
  const likelihoodPct = Math.min(98, Math.max(5, raw));
  const moves = factors.slice(1).map((f) => `${f.effectPts > 0 ? '+' : ''}${f.effectPts} pts: ${f.detail}`);
  const explanation = [`${factors[0].detail}`, ...moves].join('; ') + (likelihoodPct !== raw ? ` (kept within 5–98 %)` : '') + ` → ${likelihoodPct} %`;
  return { likelihoodPct, factors, explanation };
}
