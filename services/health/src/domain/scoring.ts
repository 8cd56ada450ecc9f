import { createHash } from 'node:crypto';
import { HealthBand, MeasureExplanation } from '@cairn/contracts';
import { interpolate, round } from './interpolation';
import { MeasureName, MEASURES } from './measures';
import { bandFor, Scorecard } from './scorecard';
import { AccountSignals } from './signals';

export interface MeasureOutcome extends MeasureExplanation {
  measure: MeasureName;
  group: string;
}

export interface Coverage {
  used: MeasureName[];
  missing: MeasureName[];
  /** Sum of the weights of the measures that had data (what the weights were renormalized by). */
  presentWeight: number;
  totalWeight: number;
  note: string;
}

export interface AccountScore {
  /** 0–100, whole points. */
  score: number;
  band: HealthBand;
  scorecardId: string;
  scorecardVersion: number;
  explanation: MeasureOutcome[];
  coverage: Coverage;
}

/**
 * Scores an account with a scorecard. Each measure with data gets points (0–100, one decimal)
 * from its thresholds; measures without data are left out and the remaining weights are
 * renormalized, so score = Σ points × weight / Σ weight of the measures that had data.
 * Returns null while no measure has data. `asOf` is the time of scoring (the triggering event's
 * time, or the clock for a scheduled recompute).
 */
export function scoreAccount(scorecard: Scorecard, signals: AccountSignals, asOf: Date): AccountScore | null {
  const readings = scorecard.measures.map((m) => ({ m, reading: MEASURES[m.measure].read(signals, asOf) }));
  const present = readings.filter((r) => r.reading !== null);
  if (present.length === 0) return null;
  const presentWeight = present.reduce((sum, r) => sum + r.m.weight, 0);
  const totalWeight = scorecard.measures.reduce((sum, m) => sum + m.weight, 0);
  const renormalized = presentWeight !== totalWeight;

  let weighted = 0;
  const explanation: MeasureOutcome[] = readings.map(({ m, reading }) => {
    const group = MEASURES[m.measure].group;
    if (!reading) {
      return {
        measure: m.measure, group, raw: null, points: null, weight: m.weight, contribution: 0,
        detail: 'no data yet: left out of the score, the other measures\' weights were renormalized',
      };
    }
    const points = round(interpolate(m.thresholds, reading.input), 1);
    const share = m.weight / presentWeight;
    weighted += points * share;
    const weightNote = renormalized ? `; weight ${m.weight} of ${presentWeight} present = ${round(share * 100, 1)}%` : '';
    return {
      measure: m.measure, group, raw: reading.raw, points, weight: m.weight,
      contribution: round(points * share, 2),
      detail: reading.detail + weightNote,
      ...(reading.lastEventId ? { lastEventId: reading.lastEventId } : {}),
    };
  });

  const score = Math.round(weighted);
  const used = present.map((r) => r.m.measure);
  const missing = readings.filter((r) => r.reading === null).map((r) => r.m.measure);
  return {
    score,
    band: bandFor(score, scorecard.bands),
    scorecardId: scorecard.id,
    scorecardVersion: scorecard.version,
    explanation,
    coverage: {
      used, missing, presentWeight, totalWeight,
      note: missing.length === 0
        ? `all ${used.length} measures had data`
        : `${used.length} of ${readings.length} measures had data; left out (no data): ${missing.join(', ')}; `
          + `the remaining weights (${presentWeight} of ${totalWeight}) were renormalized to 100%`,
    },
  };
}

/**
 * A short hash of everything a score explains (scorecard and version, each measure's part,
 * coverage): equal digests mean there is nothing to rewrite. Key order is fixed by construction.
 */
export function explanationDigest(s: AccountScore): string {
  return createHash('sha1')
    .update(JSON.stringify([s.scorecardId, s.scorecardVersion, s.explanation, s.coverage]))
    .digest('base64');
}
