import { SignalCause, Topics } from '@cairn/contracts';
import { createLogger } from '@cairn/observability';
import { OutboxWriter } from '@cairn/persistence';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { deterministicUuid } from '../domain/ids';
import { describeChange } from '../domain/narrative';
import { Scorecard, selectScorecard } from '../domain/scorecard';
import { AccountScore, scoreAccount } from '../domain/scoring';
import { ScorecardsService } from '../scorecards/scorecards.service';
import { SignalStore } from '../signals/signal.store';
import { AccountHealthEntity, HealthHistoryEntity } from './health.entities';

export type RescoreOutcome = 'unscored' | 'unchanged' | 'changed';

/**
 * Recomputes an account's score from its signals, in the caller's transaction. When score or
 * band moved it stores a history row and publishes cairn.health.changed.v1 through the outbox
 * (event id derived from account + cause, so a retried cause is still one event); otherwise it
 * only refreshes the stored explanation.
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
    m: EntityManager, workspaceId: string, accountId: string, cause: SignalCause, asOf: Date,
    candidates?: Scorecard[],
  ): Promise<RescoreOutcome> {
    const signals = await this.signals.load(m, workspaceId, accountId);
    const scorecard = selectScorecard(candidates ?? await this.scorecards.activeScorecards(m, workspaceId), {
      plan: signals.plan?.value, lifecycleStage: signals.lifecycleStage?.value,
    });
    const result = scoreAccount(scorecard, signals, asOf);
    if (!result) return 'unscored';
    const repo = m.getRepository(AccountHealthEntity);
    const current = await repo.findOneBy({ workspaceId, accountId });
    if (current && current.score === result.score && current.band === result.band) {
      await repo.update({ workspaceId, accountId }, {
        explanation: result.explanation, coverage: result.coverage, scorecardId: result.scorecardId,
        scorecardVersion: result.scorecardVersion, computedAt: asOf,
      });
      return 'unchanged';
    }
    await this.recordChange(m, workspaceId, accountId, current, result, cause, asOf);
    return 'changed';
  }

  private async recordChange(
    m: EntityManager, workspaceId: string, accountId: string, current: AccountHealthEntity | null,
    result: AccountScore, cause: SignalCause, asOf: Date,
  ): Promise<void> {
    const previous = current ? { score: current.score, band: current.band } : null;
    const summary = describeChange(previous, result, cause.summary);
    const eventId = deterministicUuid('health.changed', workspaceId, accountId, cause.eventId);
    await m.getRepository(AccountHealthEntity).upsert({
      workspaceId, accountId, score: result.score, band: result.band, scorecardId: result.scorecardId,
      scorecardVersion: result.scorecardVersion, explanation: result.explanation, coverage: result.coverage,
      cause, summary, changedAt: asOf, computedAt: asOf,
    }, ['workspaceId', 'accountId']);
    await m.query(`
      INSERT INTO health_history (workspace_id, account_id, id, score, band, previous_score, previous_band, scorecard_id,
        scorecard_version, explanation, cause, summary, at, recorded_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11::jsonb, $12, $13, clock_timestamp())
      ON CONFLICT DO NOTHING`,
    [workspaceId, accountId, eventId, result.score, result.band, previous?.score ?? null, previous?.band ?? null,
      result.scorecardId, result.scorecardVersion, JSON.stringify(result.explanation), JSON.stringify(cause), summary, asOf]);
    await this.outbox.publish(m, Topics.healthChanged, {
      id: eventId, workspaceId, accountId,
      data: {
        scorecardId: result.scorecardId, scorecardVersion: result.scorecardVersion,
        previous, current: { score: result.score, band: result.band },
        explanation: result.explanation, cause, summary,
      },
    });
    this.log.info({ workspaceId, accountId, previous, score: result.score, band: result.band, cause: cause.eventId }, 'health changed');
  }
}
