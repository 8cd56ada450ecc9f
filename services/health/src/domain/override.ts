import { HealthBand, HealthOverride } from '@cairn/contracts';
import { MeasureOutcome, AccountScore } from './scoring';

/** A CSM's override as stored: in force from creation until it expires, is replaced or cleared. */
export interface ActiveOverride {
  id: string;
  band: HealthBand;
  score: number | null;
  reason: string;
  by: string;
  expiresAt: string;
}

/**
 * The score as shown while an override is in force: band (and score, if given) replaced, the
 * computed figures kept underneath, and one more line in the explanation saying who, why and
 * until when. The scorecard's own measures stay as they are, so the "why" of the computed score
 * is still there to read.
 */
export function applyOverride(computed: AccountScore, o: ActiveOverride): AccountScore & { override: HealthOverride } {
  const line = {
    measure: 'override', group: 'override', raw: o.band, points: null, weight: 0, contribution: 0,
    detail: `band set to ${o.band}${o.score !== null ? ` and score to ${o.score}` : ''} by ${o.by} until ${o.expiresAt}: ${o.reason}`
      + ` (computed: ${computed.score}, ${computed.band})`,
  } as unknown as MeasureOutcome;
  return {
    ...computed,
    score: o.score ?? computed.score,
    band: o.band,
    explanation: [line, ...computed.explanation],
    override: {
      band: o.band, ...(o.score !== null ? { score: o.score } : {}), reason: o.reason, by: o.by, expiresAt: o.expiresAt,
      computed: { score: computed.score, band: computed.band },
    },
  };
}

/** Problems with a requested override, as "field: problem" sentences. */
export function overrideProblems(req: { band: string; score?: number; reason: string; expiresAt: string }, now: Date): string[] {
  const problems: string[] = [];
  const expires = Date.parse(req.expiresAt);
  if (!(expires > now.getTime())) problems.push(`expiresAt: must be in the future (got ${req.expiresAt}, now ${now.toISOString()})`);
  if (expires - now.getTime() > 366 * 86_400_000) problems.push('expiresAt: an override lasts at most a year');
  if (!req.reason.trim()) problems.push('reason: must say why');
  if (req.score !== undefined && !(req.score >= 0 && req.score <= 100)) problems.push(`score: must be 0–100 (got ${req.score})`);
  return problems;
}
