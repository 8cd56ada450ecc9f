import { HealthBand, HEALTH_BANDS } from '@cairn/contracts';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '@cairn/runtime';
import { daysUntil, utcDate } from '../domain/renewal-calendar';
import { forecastRenewal, ForecastFactor } from '../domain/renewal-forecast';
import { ForecastQueryDto } from './dto';

export interface ForecastedRenewal {
  contractId: string;
  accountId: string;
  accountName: string | null;
  endDate: string;
  daysToRenewal: number;
  owner: string | null;
  arr: number;
  currency: string;
  likelihoodPct: number;
  expectedArr: number;
  explanation: string;
  factors: ForecastFactor[];
}

interface PipelineLine { renewals: number; arr: number; expectedArr: number }

const r2 = (v: number) => Math.round(v * 100) / 100;

/** Likelihood to renew of each open renewal, with the reasons, and the expected ARR by month and owner. */
@Injectable()
export class ForecastService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly clock: Clock) {}

  async forecast(workspaceId: string, q: ForecastQueryDto) {
    const today = utcDate(this.clock.now());
    const params: unknown[] = [workspaceId, today, q.withinDays ?? 365];
    let ownerFilter = '';
    if (q.owner) { params.push(q.owner); ownerFilter = `AND COALESCE(c.owner, a.csm_owner) = $${params.length}`; }
    const rows: any[] = await this.db.query(
      `SELECT c.id, c.account_id, a.name AS account_name, to_char(c.end_date, 'YYYY-MM-DD') AS end_date, COALESCE(c.owner, a.csm_owner) AS owner,
              c.arr, c.currency, c.auto_renew,
              COALESCE(a.health_band, c.health_band) AS health_band, COALESCE(a.health_score, c.health_score) AS health_score,
              a.health_previous_score, a.usage_trend_pct, a.nps_score
         FROM contract c LEFT JOIN account a ON a.workspace_id = c.workspace_id AND a.account_id = c.account_id
        WHERE c.workspace_id = $1 AND c.outcome IS NULL AND c.end_date >= $2::date AND c.end_date <= $2::date + $3::int ${ownerFilter}
        ORDER BY c.end_date, c.id`, params);
    const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    const renewals: ForecastedRenewal[] = rows.map((r) => {
      const band = (HEALTH_BANDS as readonly string[]).includes(r.health_band) ? (r.health_band as HealthBand) : null;
      const f = forecastRenewal({
        healthBand: band, healthScore: num(r.health_score), previousHealthScore: num(r.health_previous_score),
        usageTrendPct: num(r.usage_trend_pct), npsScore: num(r.nps_score), autoRenew: r.auto_renew,
      });
      const arr = Number(r.arr);
      return {
        contractId: r.id, accountId: r.account_id, accountName: r.account_name, endDate: r.end_date, daysToRenewal: daysUntil(r.end_date, today),
        owner: r.owner, arr, currency: r.currency, likelihoodPct: f.likelihoodPct, expectedArr: r2((arr * f.likelihoodPct) / 100),
        explanation: f.explanation, factors: f.factors,
      };
    });
    const group = (key: (x: ForecastedRenewal) => string) => {
      const out = new Map<string, PipelineLine>();
      for (const x of renewals) {
        const line = out.get(key(x)) ?? { renewals: 0, arr: 0, expectedArr: 0 };
        line.renewals++;
        line.arr = r2(line.arr + x.arr);
        line.expectedArr = r2(line.expectedArr + x.expectedArr);
        out.set(key(x), line);
      }
      return [...out].map(([k, v]) => ({ key: k, ...v }));
    };
    return {
      asOf: today,
      // ARR is summed across currencies as given; keep one currency per workspace for meaningful totals.
      totals: { renewals: renewals.length, arr: r2(renewals.reduce((s, x) => s + x.arr, 0)), expectedArr: r2(renewals.reduce((s, x) => s + x.expectedArr, 0)) },
      byMonth: group((x) => x.endDate.slice(0, 7)).map(({ key, ...v }) => ({ month: key, ...v })),
      byOwner: group((x) => x.owner ?? '(no owner)').map(({ key, ...v }) => ({ owner: key, ...v })).sort((a, b) => b.arr - a.arr),
      renewals,
    };
  }
}
