import { deterministicUuid, HealthBand, HealthChangedV1, NewEvent, SignalCause, Topics } from '@cairn/contracts';
import { createLogger } from '@cairn/observability';
import { OutboxWriter } from '@cairn/messaging';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { describeChange } from '../domain/narrative';
import { Scorecard, selectScorecard } from '../domain/scorecard';
import { AccountScore, Coverage, explanationDigest, MeasureOutcome, scoreAccount } from '../domain/scoring';
import { ScorecardsService } from '../scorecards/scorecards.service';
import { SignalStore } from '../signals/signal.store';

export type RescoreOutcome = 'unscored' | 'unchanged' | 'changed';

export interface RescoreTally {
  scored: number;
  changed: number;
}

interface StoredHealth {
  account_id: string;
  score: number;
  band: HealthBand;
  explanation_digest: string | null;
}

interface Change {
  accountId: string;
  previous: { score: number; band: HealthBand } | null;
  result: AccountScore;
  digest: string;
  summary: string;
  eventId: string;
}

/**
 * Recomputes accounts' scores from their signals, in the caller's transaction, set-based: one
 * read of the signals, contracts and stored scores of all the accounts, scoring in memory, then
 * one multi-row statement per table. When score or band moved it stores a history row and
 * publishes cairn.health.changed.v1 through the outbox (event id derived from account + cause,
 * so a retried cause is still one event); when only the explanation moved it refreshes it; when
 * nothing moved it only records the time of computation.
 */
@Injectable()
export class HealthScoringService {
  private readonly log = createLogger('health-scoring');

  constructor(
    private readonly signals: SignalStore,
    private readonly scorecards: ScorecardsService,
    private readonly outbox: OutboxWriter,
  ) {}

  /** The caller holds the account's lock (SignalStore.lockAccounts). */
  async rescore(
    m: EntityManager, workspaceId: string, accountId: string, cause: SignalCause, asOf: Date, candidates?: Scorecard[],
  ): Promise<RescoreOutcome> {
    const tally = await this.rescoreMany(m, workspaceId, [accountId], cause, asOf, candidates);
    return tally.changed ? 'changed' : tally.scored ? 'unchanged' : 'unscored';
  }

  /**
   * The caller holds the accounts' locks. Statements join the id list (`unnest`) rather than
   * filter with `= ANY(...)`: that plans as primary-key lookups even while the table statistics
   * are stale (e.g. a first recompute that fills an empty table).
   */
  async rescoreMany(
    m: EntityManager, workspaceId: string, accountIds: string[], cause: SignalCause, asOf: Date, candidates?: Scorecard[],
  ): Promise<RescoreTally> {
    if (accountIds.length === 0) return { scored: 0, changed: 0 };
    const signals = await this.signals.loadMany(m, workspaceId, accountIds);
    const stored: StoredHealth[] = await m.query(`
      SELECT h.account_id, h.score, h.band, h.explanation_digest
      FROM unnest($2::text[]) AS k(id) JOIN account_health h ON h.workspace_id = $1 AND h.account_id = k.id`, [workspaceId, accountIds]);
    const cards = candidates ?? await this.scorecards.activeScorecards(m, workspaceId);
    const current = new Map(stored.map((h) => [h.account_id, h]));

    const changes: Change[] = [];
    const refreshed: {
      account_id: string; scorecard_id: string; scorecard_version: number; explanation: MeasureOutcome[]; coverage: Coverage; digest: string;
    }[] = [];
    const untouched: string[] = [];
    let scored = 0;
    for (const accountId of accountIds) {
      const s = signals.get(accountId);
      if (!s) continue;
      const scorecard = selectScorecard(cards, { plan: s.plan?.value, lifecycleStage: s.lifecycleStage?.value });
      const result = scoreAccount(scorecard, s, asOf);
      if (!result) continue;
      scored += 1;
      const digest = explanationDigest(result);
      const h = current.get(accountId);
      if (h && h.score === result.score && h.band === result.band) {
        if (h.explanation_digest === digest) untouched.push(accountId);
        else {
          refreshed.push({
            account_id: accountId, scorecard_id: result.scorecardId, scorecard_version: result.scorecardVersion,
            explanation: result.explanation, coverage: result.coverage, digest,
          });
        }
        continue;
      }
      const previous = h ? { score: h.score, band: h.band } : null;
      changes.push({
        accountId, previous, result, digest,
        summary: describeChange(previous, result, cause.summary),
        eventId: deterministicUuid('health.changed', workspaceId, accountId, cause.eventId),
      });
    }

    if (untouched.length) {
      await m.query(`
        UPDATE account_health h SET computed_at = $3 FROM unnest($2::text[]) AS k(id)
        WHERE h.workspace_id = $1 AND h.account_id = k.id`, [workspaceId, untouched, asOf]);
    }
    if (refreshed.length) {
      await m.query(`
        UPDATE account_health h SET scorecard_id = x.scorecard_id, scorecard_version = x.scorecard_version,
          explanation = x.explanation, coverage = x.coverage, explanation_digest = x.digest, computed_at = $3
        FROM jsonb_to_recordset($2::jsonb) AS x(account_id text, scorecard_id text, scorecard_version int, explanation jsonb, coverage jsonb, digest text)
        WHERE h.workspace_id = $1 AND h.account_id = x.account_id`, [workspaceId, JSON.stringify(refreshed), asOf]);
    }
    if (changes.length) await this.recordChanges(m, workspaceId, changes, cause, asOf);
    return { scored, changed: changes.length };
  }

  private async recordChanges(m: EntityManager, workspaceId: string, changes: Change[], cause: SignalCause, asOf: Date): Promise<void> {
    const rows = JSON.stringify(changes.map((c) => ({
      account_id: c.accountId, id: c.eventId, score: c.result.score, band: c.result.band,
      previous_score: c.previous?.score ?? null, previous_band: c.previous?.band ?? null,
      scorecard_id: c.result.scorecardId, scorecard_version: c.result.scorecardVersion,
      explanation: c.result.explanation, coverage: c.result.coverage, digest: c.digest, summary: c.summary,
    })));
    const columns = `account_id text, id uuid, score int, band text, previous_score int, previous_band text, scorecard_id text,
      scorecard_version int, explanation jsonb, coverage jsonb, digest text, summary text`;
    // One statement, so the rows' JSON is parsed once for both tables.
    await m.query(`
      WITH x AS (SELECT * FROM jsonb_to_recordset($2::jsonb) AS x(${columns})),
      current AS (
        INSERT INTO account_health AS h (workspace_id, account_id, score, band, scorecard_id, scorecard_version, explanation, coverage,
          explanation_digest, cause, summary, changed_at, computed_at)
        SELECT $1, x.account_id, x.score, x.band, x.scorecard_id, x.scorecard_version, x.explanation, x.coverage, x.digest, $3::jsonb,
          x.summary, $4, $4
        FROM x
        ON CONFLICT (workspace_id, account_id) DO UPDATE SET
          score = EXCLUDED.score, band = EXCLUDED.band, scorecard_id = EXCLUDED.scorecard_id, scorecard_version = EXCLUDED.scorecard_version,
          explanation = EXCLUDED.explanation, coverage = EXCLUDED.coverage, explanation_digest = EXCLUDED.explanation_digest,
          cause = EXCLUDED.cause, summary = EXCLUDED.summary,
          changed_at = EXCLUDED.changed_at, computed_at = EXCLUDED.computed_at)
      INSERT INTO health_history (workspace_id, account_id, id, score, band, previous_score, previous_band, scorecard_id,
        scorecard_version, explanation, cause, summary, at, recorded_at)
      SELECT $1, x.account_id, x.id, x.score, x.band, x.previous_score, x.previous_band, x.scorecard_id, x.scorecard_version,
        x.explanation, $3::jsonb, x.summary, $4, clock_timestamp()
      FROM x
      ON CONFLICT DO NOTHING`,
    [workspaceId, rows, JSON.stringify(cause), asOf]);
    const events: NewEvent<HealthChangedV1>[] = changes.map((c) => ({
      id: c.eventId, workspaceId, accountId: c.accountId,
      data: {
        scorecardId: c.result.scorecardId, scorecardVersion: c.result.scorecardVersion,
        previous: c.previous, current: { score: c.result.score, band: c.result.band },
        explanation: c.result.explanation, cause, summary: c.summary,
      },
    }));
    await this.outbox.publishAll(m, Topics.healthChanged, events);
    if (changes.length === 1) {
      const [c] = changes;
      this.log.info({ workspaceId, accountId: c.accountId, previous: c.previous, score: c.result.score, band: c.result.band, cause: cause.eventId }, 'health changed');
    } else {
      this.log.debug({ workspaceId, changed: changes.length, cause: cause.eventId }, 'health changed (batch)');
    }
  }
}
