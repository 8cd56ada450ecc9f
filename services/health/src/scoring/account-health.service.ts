import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { healthTrend } from '../domain/trend';
import { AccountHealthView } from './dto';
import { AccountHealthEntity } from './health.entities';

interface HistoryRow {
  id: string;
  score: number;
  band: string;
  previous_score: number | null;
  previous_band: string | null;
  scorecard_id: string;
  scorecard_version: number;
  explanation: unknown;
  cause: unknown;
  summary: string;
  at: Date;
}

/** Read side of account health: current score with trend and explanation, history, lists. Workspace-scoped. */
@Injectable()
export class AccountHealthService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async get(workspaceId: string, accountId: string): Promise<AccountHealthView> {
    const h = await this.db.getRepository(AccountHealthEntity).findOneBy({ workspaceId, accountId });
    if (!h) throw this.unknown(accountId);
    const latest: { score: number; at: Date }[] = await this.db.query(
      `SELECT score, at FROM health_history WHERE workspace_id = $1 AND account_id = $2 ORDER BY recorded_at DESC LIMIT 2`,
      [workspaceId, accountId]);
    const weekOld: { score: number; at: Date }[] = latest.length ? await this.db.query(
      `SELECT score, at FROM health_history WHERE workspace_id = $1 AND account_id = $2 AND at <= $3::timestamptz - interval '7 days'
       ORDER BY at DESC, recorded_at DESC LIMIT 1`, [workspaceId, accountId, latest[0].at]) : [];
    const [name] = await this.db.query(
      `SELECT value #>> '{}' AS name FROM account_signal WHERE workspace_id = $1 AND account_id = $2 AND signal = 'name'`,
      [workspaceId, accountId]);
    const [override]: { id: string; band: string; score: number | null; reason: string; created_by: string; expires_at: Date }[] = await this.db.query(
      `SELECT id, band, score, reason, created_by, expires_at FROM health_override WHERE workspace_id = $1 AND account_id = $2 AND ended_at IS NULL`,
      [workspaceId, accountId]);
    const trend = healthTrend([...latest, ...weekOld].map((r) => ({ score: r.score, at: new Date(r.at).toISOString() })));
    return {
      accountId, ...(name ? { name: name.name } : {}),
      score: h.score, band: h.band, trend, summary: h.summary,
      explanation: h.explanation, coverage: h.coverage, cause: h.cause,
      scorecardId: h.scorecardId, scorecardVersion: h.scorecardVersion,
      updatedAt: new Date(h.changedAt).toISOString(), computedAt: new Date(h.computedAt).toISOString(),
      ...(override ? {
        override: { id: override.id, band: override.band, score: override.score, reason: override.reason, by: override.created_by, expiresAt: new Date(override.expires_at).toISOString() },
      } : {}),
    };
  }

  async history(workspaceId: string, accountId: string, limit = 50) {
    const rows: HistoryRow[] = await this.db.query(`
      SELECT id, score, band, previous_score, previous_band, scorecard_id, scorecard_version, explanation, cause, summary, at
      FROM health_history WHERE workspace_id = $1 AND account_id = $2 ORDER BY recorded_at DESC LIMIT $3`,
    [workspaceId, accountId, limit]);
    if (rows.length === 0) throw this.unknown(accountId);
    return rows.map((r) => ({
      id: r.id, score: r.score, band: r.band,
      previous: r.previous_score === null ? null : { score: r.previous_score, band: r.previous_band },
      summary: r.summary, cause: r.cause, scorecardId: r.scorecard_id, scorecardVersion: r.scorecard_version,
      explanation: r.explanation, at: new Date(r.at).toISOString(),
    }));
  }

  async list(workspaceId: string, band?: string, limit = 100, offset = 0) {
    const rows = await this.db.query(`
      SELECT h.account_id, h.score, h.band, h.summary, h.changed_at, h.scorecard_id,
        (SELECT value #>> '{}' FROM account_signal s WHERE s.workspace_id = h.workspace_id AND s.account_id = h.account_id AND s.signal = 'name') AS name,
        (SELECT value #>> '{}' FROM account_signal s WHERE s.workspace_id = h.workspace_id AND s.account_id = h.account_id AND s.signal = 'plan') AS plan,
        (SELECT value #>> '{}' FROM account_signal s WHERE s.workspace_id = h.workspace_id AND s.account_id = h.account_id AND s.signal = 'csmOwner') AS csm_owner
      FROM account_health h
      WHERE h.workspace_id = $1 AND ($2::text IS NULL OR h.band = $2)
      ORDER BY h.score ASC, h.account_id ASC LIMIT $3 OFFSET $4`,
    [workspaceId, band ?? null, limit, offset]);
    return rows.map((r: Record<string, any>) => ({
      accountId: r.account_id, name: r.name ?? null, plan: r.plan ?? null, csmOwner: r.csm_owner ?? null,
      score: r.score, band: r.band, summary: r.summary, scorecardId: r.scorecard_id, updatedAt: new Date(r.changed_at).toISOString(),
    }));
  }

  private unknown(accountId: string): NotFoundException {
    return new NotFoundException(`account '${accountId}' has no health score in this workspace (no signals received for it yet)`);
  }
}
