import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { addDays, daysBetween, daysIn, isValidDay, utcDay } from '../domain/days';
import { timeToFirstValue } from '../domain/usage-batch';
import { DirectoryStore } from '../directory/directory.store';
import { DetectionSettingsService } from './detection-settings.service';
import { UsageStore } from './usage.store';

const MAX_RANGE_DAYS = 366;

/** The read side of usage (the API): an account's daily series, active users and feature adoption. */
@Injectable()
export class UsageQueryService {
  constructor(
    @InjectDataSource() private readonly db: DataSource, private readonly store: UsageStore, private readonly directory: DirectoryStore,
    private readonly settings: DetectionSettingsService,
  ) {}

  async series(ws: string, accountId: string, fromParam?: string, toParam?: string) {
    for (const [name, v] of [['from', fromParam], ['to', toParam]] as const) {
      if (v !== undefined && !isValidDay(v)) throw new BadRequestException(`${name}: must be a date like 2025-03-01`);
    }
    const m = this.db.manager;
    const state = await this.store.stateView(m, ws, accountId);
    if (!state && !(await this.directory.accountExists(m, ws, accountId))) throw new NotFoundException(`account '${accountId}' not found`);
    const to = toParam ?? state?.latest_day ?? utcDay(new Date());
    const from = fromParam ?? addDays(to, -29);
    if (from > to) throw new BadRequestException('from: must not be after to');
    if (daysBetween(from, to) >= MAX_RANGE_DAYS) throw new BadRequestException(`from: the range may span at most ${MAX_RANGE_DAYS} days`);

    const daily = await this.store.dailySeries(m, ws, accountId, from, to);
    const byDay = new Map(daily.map((d) => [d.day, d]));
    const users = await this.store.activeUsers(m, ws, accountId, from, to);
    const features = await this.store.featureUse(m, ws, accountId, from, to);
    const featuresUsed30d = await this.store.featuresUsed30d(m, ws, accountId, to);
    const { valueEvent } = await this.settings.get(ws);
    const firstValueAt = valueEvent === null ? null : await this.store.featureFirstAt(m, ws, accountId, valueEvent);
    const firstActivityAt = state?.first_event_at ? new Date(state.first_event_at) : null;
    const ttfv = timeToFirstValue(firstActivityAt, firstValueAt);
    const days = daysIn(from, to).map((day) => byDay.get(day) ?? { day, events: 0, activeUsers: 0 });
    return {
      accountId, from, to,
      days,
      totals: { events: days.reduce((n, d) => n + d.events, 0), activeUsers: users.in_range },
      activeUsers: { dau: users.dau, wau: users.wau, mau: users.mau },
      adoption: { featuresUsed30d },
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
