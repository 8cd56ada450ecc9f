import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { addDays, daysBetween, daysIn, isValidDay, utcDay } from '../domain/days';
import { timeToFirstValue } from '../domain/usage-batch';
import { DetectionSettingsService } from './detection-settings.service';
import { STATE_COLUMNS, UsageState } from './usage.service';

const MAX_RANGE_DAYS = 366;

/** Read side of the rollups: an account's daily series, active users and feature adoption. */
@Injectable()
export class UsageApiService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly settings: DetectionSettingsService) {}

  async series(ws: string, accountId: string, fromParam?: string, toParam?: string) {
    for (const [name, v] of [['from', fromParam], ['to', toParam]] as const) {
      if (v !== undefined && !isValidDay(v)) throw new BadRequestException(`${name}: must be a date like 2025-03-01`);
    }
    const [state] = await this.db.query(`SELECT ${STATE_COLUMNS}, last_change_pct::float8 AS last_change_pct FROM account_usage_state
      WHERE workspace_id = $1 AND account_id = $2`, [ws, accountId]) as Array<UsageState & { last_change_pct: number | null }>;
    if (!state) {
      const [account] = await this.db.query(`SELECT 1 FROM account WHERE workspace_id = $1 AND id = $2`, [ws, accountId]) as unknown[];
      if (!account) throw new NotFoundException(`account '${accountId}' not found`);
    }
    const to = toParam ?? state?.latest_day ?? utcDay(new Date());
    const from = fromParam ?? addDays(to, -29);
    if (from > to) throw new BadRequestException('from: must not be after to');
    if (daysBetween(from, to) >= MAX_RANGE_DAYS) throw new BadRequestException(`from: the range may span at most ${MAX_RANGE_DAYS} days`);

    const params = [ws, accountId, from, to];
    const daily = await this.db.query(`SELECT day::text AS day, events, active_users AS "activeUsers" FROM usage_daily
      WHERE workspace_id = $1 AND account_id = $2 AND day BETWEEN $3 AND $4`, params) as Array<{ day: string; events: number; activeUsers: number }>;
    const byDay = new Map(daily.map((d) => [d.day, d]));
    const [users] = await this.db.query(
      `SELECT count(DISTINCT user_id) FILTER (WHERE day = $4::date)::int AS dau,
              count(DISTINCT user_id) FILTER (WHERE day > $4::date - 7)::int AS wau,
              count(DISTINCT user_id) FILTER (WHERE day > $4::date - 30)::int AS mau,
              count(DISTINCT user_id) FILTER (WHERE day >= $3::date)::int AS in_range
         FROM usage_daily_user WHERE workspace_id = $1 AND account_id = $2 AND day BETWEEN LEAST($3::date, $4::date - 29) AND $4::date`,
      params) as Array<{ dau: number; wau: number; mau: number; in_range: number }>;
    const features = await this.db.query(
      `SELECT feature, sum(events)::int AS events, count(*)::int AS "activeDays", max(day)::text AS "lastUsedDay"
         FROM usage_daily_feature WHERE workspace_id = $1 AND account_id = $2 AND day BETWEEN $3 AND $4
        GROUP BY feature ORDER BY sum(events) DESC, feature`, params) as Array<{ feature: string; events: number }>;
    const [adoption] = await this.db.query(
      `SELECT count(DISTINCT feature)::int AS n FROM usage_daily_feature
        WHERE workspace_id = $1 AND account_id = $2 AND day BETWEEN $3::date - 29 AND $3::date`,
      [ws, accountId, to]) as Array<{ n: number }>;
    const { valueEvent } = await this.settings.get(ws);
    const [value] = valueEvent === null ? [] : await this.db.query(
      `SELECT first_at FROM account_feature_first WHERE workspace_id = $1 AND account_id = $2 AND feature = $3`,
      [ws, accountId, valueEvent]) as Array<{ first_at: Date }>;
    const firstActivityAt = state?.first_event_at ? new Date(state.first_event_at) : null;
    const firstValueAt = value ? new Date(value.first_at) : null;
    const ttfv = timeToFirstValue(firstActivityAt, firstValueAt);
    const days = daysIn(from, to).map((day) => byDay.get(day) ?? { day, events: 0, activeUsers: 0 });
    return {
      accountId, from, to,
      days,
      totals: { events: days.reduce((n, d) => n + d.events, 0), activeUsers: users.in_range },
      activeUsers: { dau: users.dau, wau: users.wau, mau: users.mau },
      adoption: { featuresUsed30d: adoption.n },
      features,
      latestDay: state?.latest_day ?? null,
      lastActivityAt: state?.last_event_at ?? null,
      trendPct: state?.last_change_pct ?? null,
      // Event time, whatever the requested range: from the first activity to the first value event.
      timeToFirstValue: { valueEvent, firstActivityAt, firstValueAt, seconds: ttfv?.seconds ?? null, days: ttfv?.days ?? null },
      episode: state?.episode_kind ? { kind: state.episode_kind, episodeId: state.episode_id, baselineDailyAvg: state.episode_baseline_avg } : null,
    };
  }
}
