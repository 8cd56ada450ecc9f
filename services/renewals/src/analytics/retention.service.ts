import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ClosedRenewal, retentionMetrics, RetentionMetrics } from '../domain/retention-metrics';
import { MetricsQueryDto } from './dto';

export interface RetentionReport extends RetentionMetrics {
  from: string;
  to: string;
  segment: string | null;
  plan: string | null;
  /** Renewals due in the period without a recorded outcome: not in the ratios. */
  openRenewals: number;
  openArr: number;
}

/** NRR, GRR, churn, expansion and CLTV from the contracts and outcomes renewals recorded. */
@Injectable()
export class RetentionService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async metrics(workspaceId: string, q: MetricsQueryDto): Promise<RetentionReport> {
    if (q.from > q.to) throw new BadRequestException('to: must not be before from');
    const params: unknown[] = [workspaceId, q.from, q.to];
    const where = ['c.workspace_id = $1', 'c.end_date BETWEEN $2::date AND $3::date'];
    if (q.segment) { params.push(q.segment); where.push(`a.segment = $${params.length}`); }
    if (q.plan) { params.push(q.plan); where.push(`c.plan = $${params.length}`); }
    const rows: Array<{ account_id: string; arr: string; arr_after: string | null; outcome: ClosedRenewal['outcome'] | null }> = await this.db.query(
      `SELECT c.account_id, c.arr, c.arr_after, c.outcome
         FROM contract c LEFT JOIN account a ON a.workspace_id = c.workspace_id AND a.account_id = c.account_id
        WHERE ${where.join(' AND ')}`, params);
    const closed = rows.filter((r) => r.outcome !== null)
      .map((r) => ({ accountId: r.account_id, arrBefore: Number(r.arr), arrAfter: Number(r.arr_after), outcome: r.outcome! }));
    const open = rows.filter((r) => r.outcome === null);
    return {
      from: q.from, to: q.to, segment: q.segment ?? null, plan: q.plan ?? null,
      ...retentionMetrics(closed, q.grossMarginPct ?? 100),
      openRenewals: open.length, openArr: Math.round(open.reduce((s, r) => s + Number(r.arr), 0) * 100) / 100,
    };
  }
}
