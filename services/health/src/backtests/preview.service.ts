import { HealthBand } from '@cairn/contracts';
import { Clock } from '@cairn/runtime';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { scoreAccount, MeasureOutcome } from '../domain/scoring';
import { SignalStore } from '../signals/signal.store';
import { BacktestRunner } from './backtest-runner';
import { PreviewScorecardDto } from './dto';

const PAGE = 1000;

/**
 * What-if: a scorecard version (typically a draft) applied to every account's signals now, next
 * to the bands the accounts have now; the accounts that would change band, each with the
 * measures that moved it most. Reads only, changes nothing.
 */
@Injectable()
export class PreviewService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly store: SignalStore,
    private readonly runner: BacktestRunner,
    private readonly clock: Clock,
  ) {}

  async preview(workspaceId: string, dto: PreviewScorecardDto) {
    const card = await this.runner.scorecard(workspaceId, dto.scorecard, 'scorecard');
    const asOf = this.clock.now();
    const m = this.db.manager;
    const ids = await this.store.allAccountIds(m, workspaceId);
    const now = { red: 0, yellow: 0, green: 0, unscored: 0 };
    const draft = { red: 0, yellow: 0, green: 0, unscored: 0 };
    const changes: unknown[] = [];
    let changed = 0;
    for (let i = 0; i < ids.length; i += PAGE) {
      const page = ids.slice(i, i + PAGE);
      const signals = await this.store.loadMany(m, workspaceId, page);
      const current: { account_id: string; score: number; band: HealthBand; explanation: MeasureOutcome[]; scorecard_id: string }[] = await m.query(`
        SELECT h.account_id, h.score, h.band, h.explanation, h.scorecard_id FROM unnest($2::text[]) AS k(id)
        JOIN account_health h ON h.workspace_id = $1 AND h.account_id = k.id`, [workspaceId, page]);
      const byId = new Map(current.map((c) => [c.account_id, c]));
      for (const accountId of page) {
        const h = byId.get(accountId);
        now[h?.band ?? 'unscored']++;
        const s = signals.get(accountId);
        const result = s ? scoreAccount(card, s, asOf) : null;
        draft[result?.band ?? 'unscored']++;
        if (!result || !h || result.band === h.band) continue;
        changed++;
        if (changes.length >= (dto.limit ?? 100)) continue;
        const before = new Map(h.explanation.map((e) => [e.measure, e]));
        const moves = result.explanation.map((e) => ({
          measure: e.measure, contributionNow: before.get(e.measure)?.contribution ?? 0, contributionDraft: e.contribution,
          weightNow: before.get(e.measure)?.weight ?? 0, weightDraft: e.weight, points: e.points, detail: e.detail,
        }));
        for (const [measure, e] of before) {
          if (!result.explanation.some((x) => x.measure === measure)) {
            moves.push({ measure, contributionNow: e.contribution, contributionDraft: 0, weightNow: e.weight, weightDraft: 0, points: e.points, detail: `not in the draft: ${e.detail}` });
          }
        }
        moves.sort((a, b) => Math.abs(b.contributionDraft - b.contributionNow) - Math.abs(a.contributionDraft - a.contributionNow));
        changes.push({
          accountId, now: { score: h.score, band: h.band, scorecardId: h.scorecard_id }, draft: { score: result.score, band: result.band },
          why: moves.slice(0, 3).map((x) => ({ ...x, delta: Math.round((x.contributionDraft - x.contributionNow) * 100) / 100 })),
        });
      }
    }
    return {
      scorecard: { id: card.id, version: card.version, active: card.active }, asOf: asOf.toISOString(), accounts: ids.length,
      bands: { now, draft }, changedBand: changed, changes,
    };
  }
}
