import { deterministicUuid, HealthBand, HealthChangedV1, HealthOverride, NewEvent, SignalCause, Topics } from '@cairn/contracts';
import { createLogger } from '@cairn/observability';
import { OutboxWriter } from '@cairn/messaging';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { describeChange } from '../domain/narrative';
import { ActiveOverride, applyOverride } from '../domain/override';
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

/** A computed score, or an overridden one with what was computed underneath. */
type ScoredResult = AccountScore & { override?: HealthOverride };

interface Change {
  accountId: string;
  previous: { score: number; band: HealthBand } | null;
  result: ScoredResult;
  digest: string;
  summary: string;
  eventId: string;
  cause: SignalCause;
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
    m: EntityManager, workspaceId: string, accountIds: string[], cause: SignalCause | ((accountId: string) => SignalCause), asOf: Date,
    candidates?: Scorecard[],
  ): Promise<RescoreTally> {
    if (accountIds.length === 0) return { scored: 0, changed: 0 };
    // One cause for all (a recompute), or each account's own (a chunk of events).
    const causeOf = typeof cause === 'function' ? cause : () => cause;
    const signals = await this.signals.loadMany(m, workspaceId, accountIds);
    const stored: StoredHealth[] = await m.query(`
      SELECT h.account_id, h.score, h.band, h.explanation_digest
      FROM unnest($2::text[]) AS k(id) JOIN account_health h ON h.workspace_id = $1 AND h.account_id = k.id`, [workspaceId, accountIds]);
    const cards = candidates ?? await this.scorecards.activeScorecards(m, workspaceId);
    const current = new Map(stored.map((h) => [h.account_id, h]));
    const overrides = await this.openOverrides(m, workspaceId, accountIds);

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
      const computed = scoreAccount(scorecard, s, asOf);
      if (!computed) continue;
      const override = overrides.get(accountId);
      const result: ScoredResult = override ? applyOverride(computed, override) : computed;
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
      const why = causeOf(accountId);
      changes.push({
        accountId, previous, result, digest, cause: why,
        summary: describeChange(previous, result, why.summary),
        eventId: deterministicUuid('health.changed', workspaceId, accountId, why.eventId),
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
    if (changes.length) await this.recordChanges(m, workspaceId, changes, asOf);
    return { scored, changed: changes.length };
  }

  /** Overrides in force (not yet ended: the lapse scan ends expired ones) of the accounts. */
  private async openOverrides(m: EntityManager, workspaceId: string, accountIds: string[]): Promise<Map<string, ActiveOverride>> {
    const rows: { id: string; account_id: string; band: HealthBand; score: number | null; reason: string; created_by: string; expires_at: Date }[] = await m.query(`
      SELECT o.id, o.account_id, o.band, o.score, o.reason, o.created_by, o.expires_at
        FROM unnest($2::text[]) AS k(id) JOIN health_override o ON o.workspace_id = $1 AND o.account_id = k.id AND o.ended_at IS NULL`,
    [workspaceId, accountIds]);
    return new Map(rows.map((r) => [r.account_id, {
      id: r.id, band: r.band, score: r.score, reason: r.reason, by: r.created_by, expiresAt: new Date(r.expires_at).toISOString(),
    }]));
  }

  private async recordChanges(m: EntityManager, workspaceId: string, changes: Change[], asOf: Date): Promise<void> {
    const rows = JSON.stringify(changes.map((c) => ({
      account_id: c.accountId, id: c.eventId, score: c.result.score, band: c.result.band,
      previous_score: c.previous?.score ?? null, previous_band: c.previous?.band ?? null,
      scorecard_id: c.result.scorecardId, scorecard_version: c.result.scorecardVersion,
      explanation: c.result.explanation, coverage: c.result.coverage, digest: c.digest, summary: c.summary, cause: c.cause,
    })));
    const columns = `account_id text, id uuid, score int, band text, previous_score int, previous_band text, scorecard_id text,
      scorecard_version int, explanation jsonb, coverage jsonb, digest text, summary text, cause jsonb`;
    // One statement, so the rows' JSON is parsed once for both tables.
    await m.query(`
      WITH x AS (SELECT * FROM jsonb_to_recordset($2::jsonb) AS x(${columns})),
      current AS (
        INSERT INTO account_health AS h (workspace_id, account_id, score, band, scorecard_id, scorecard_version, explanation, coverage,
          explanation_digest, cause, summary, changed_at, computed_at)
        SELECT $1, x.account_id, x.score, x.band, x.scorecard_id, x.scorecard_version, x.explanation, x.coverage, x.digest, x.cause,
          x.summary, $3, $3
        FROM x
        ON CONFLICT (workspace_id, account_id) DO UPDATE SET
          score = EXCLUDED.score, band = EXCLUDED.band, scorecard_id = EXCLUDED.scorecard_id, scorecard_version = EXCLUDED.scorecard_version,
          explanation = EXCLUDED.explanation, coverage = EXCLUDED.coverage, explanation_digest = EXCLUDED.explanation_digest,
          cause = EXCLUDED.cause, summary = EXCLUDED.summary,
          changed_at = EXCLUDED.changed_at, computed_at = EXCLUDED.computed_at)
      INSERT INTO health_history (workspace_id, account_id, id, score, band, previous_score, previous_band, scorecard_id,
        scorecard_version, explanation, cause, summary, at, recorded_at)
      SELECT $1, x.account_id, x.id, x.score, x.band, x.previous_score, x.previous_band, x.scorecard_id, x.scorecard_version,
        x.explanation, x.cause, x.summary, $3, clock_timestamp()
      FROM x
      ON CONFLICT DO NOTHING`,
    [workspaceId, rows, asOf]);
    const events: NewEvent<HealthChangedV1>[] = changes.map((c) => ({
      id: c.eventId, workspaceId, accountId: c.accountId,
      data: {
        scorecardId: c.result.scorecardId, scorecardVersion: c.result.scorecardVersion,
        previous: c.previous, current: { score: c.result.score, band: c.result.band },
        explanation: c.result.explanation, cause: c.cause, summary: c.summary,
        ...(c.result.override ? { override: c.result.override } : {}),
      },
    }));
    await this.outbox.publishAll(m, Topics.healthChanged, events);
    if (changes.length === 1) {
      const [c] = changes;
      this.log.info({ workspaceId, accountId: c.accountId, previous: c.previous, score: c.result.score, band: c.result.band, cause: c.cause.eventId }, 'health changed');
    } else {
      this.log.debug({ workspaceId, changed: changes.length, cause: changes[0].cause.eventId }, 'health changed (batch)');
    }
  }
}
