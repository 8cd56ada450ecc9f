import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { COUNT_CAP, PORTFOLIO_COLUMNS, portfolioCountSql, portfolioPageSql, PortfolioQuery } from '../domain/portfolio-query';

export interface PortfolioRow {
  accountId: string; name: string | null; plan: string | null; arr: number | null; owner: string | null;
  score: number | null; band: string | null; previousScore: number | null; scoreChange: number | null; scoredAt: string | null;
  renewalDate: string | null; renewalArr: number | null; openTasks: number; openAlerts: number; lastNps: number | null;
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export function toRow(r: any): PortfolioRow {
  return {
    accountId: r.account_id, name: r.name, plan: r.plan, arr: num(r.arr), owner: r.owner,
    score: num(r.score), band: r.band, previousScore: num(r.previous_score), scoreChange: num(r.score_change),
    scoredAt: r.scored_at ? new Date(r.scored_at).toISOString() : null,
    renewalDate: r.renewal_date ? (r.renewal_date instanceof Date ? r.renewal_date.toISOString().slice(0, 10) : String(r.renewal_date).slice(0, 10)) : null,
    renewalArr: num(r.renewal_arr), openTasks: r.open_tasks, openAlerts: r.open_alerts, lastNps: r.last_nps,
  };
}

@Injectable()
export class PortfolioService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async page(workspaceId: string, q: PortfolioQuery) {
    const page = portfolioPageSql(workspaceId, q);
    const count = portfolioCountSql(workspaceId, q);
    const [rows, [{ total }]] = await Promise.all([this.db.query(page.sql, page.params), this.db.query(count.sql, count.params)]);
    // total is exact up to COUNT_CAP; beyond it, totalCapped says "more than".
    return { total: Math.min(total, COUNT_CAP), totalCapped: total > COUNT_CAP, page: q.page, pageSize: q.pageSize, rows: rows.map(toRow) };
  }

  /** Every matching row (CSV export), capped. */
  async all(workspaceId: string, q: PortfolioQuery, cap = 200_000): Promise<any[]> {
    const { sql, params } = portfolioPageSql(workspaceId, { ...q, page: 0, pageSize: cap });
    return this.db.query(sql, params);
  }

  async facets(workspaceId: string) {
    const [owners, plans, bands] = await Promise.all([
      this.db.query(`SELECT DISTINCT owner FROM portfolio_account WHERE workspace_id = $1 AND owner IS NOT NULL ORDER BY owner LIMIT 500`, [workspaceId]),
      this.db.query(`SELECT DISTINCT plan FROM portfolio_account WHERE workspace_id = $1 AND plan IS NOT NULL ORDER BY plan LIMIT 200`, [workspaceId]),
      this.db.query(`SELECT coalesce(band, 'unscored') AS band, count(*)::int AS n FROM portfolio_account WHERE workspace_id = $1 GROUP BY 1`, [workspaceId]),
    ]);
    return { owners: owners.map((r: any) => r.owner), plans: plans.map((r: any) => r.plan), bands: Object.fromEntries(bands.map((r: any) => [r.band, r.n])) };
  }

  async one(workspaceId: string, accountId: string): Promise<PortfolioRow | undefined> {
    const [r] = await this.db.query(`SELECT ${PORTFOLIO_COLUMNS} FROM portfolio_account WHERE workspace_id = $1 AND account_id = $2`, [workspaceId, accountId]);
    return r ? toRow(r) : undefined;
  }

  async timeline(workspaceId: string, accountId: string, limit = 200) {
    const rows = await this.db.query(
      `SELECT event_id, at, kind, summary, detail FROM account_activity WHERE workspace_id = $1 AND account_id = $2 ORDER BY at DESC LIMIT $3`,
      [workspaceId, accountId, limit]);
    return rows.map((r: any) => ({ eventId: r.event_id, at: new Date(r.at).toISOString(), kind: r.kind, summary: r.summary, detail: r.detail }));
  }
}
