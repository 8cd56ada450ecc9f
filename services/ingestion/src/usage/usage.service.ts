import { Topics, UsageEventV1, UsageSummaryV1 } from '@cairn/contracts';
import { OutboxWriter } from '@cairn/persistence';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { addDays, Day, utcDay } from '../domain/days';
import { deterministicId } from '../domain/ids';
import { OpenEpisode, UsageComparison, UsageDropDetector } from '../domain/usage-drop-detector';
import { DirectoryService } from '../directory/directory.service';
import { DetectionSettings } from './detection-settings';
import { DetectionSettingsService } from './detection-settings.service';

/** account_usage_state as read back (dates as text, numbers as numbers). */
export interface UsageState {
  workspace_id: string;
  account_id: string;
  first_day: Day;
  latest_day: Day;
  last_event_at: Date;
  last_received_at: Date;
  episode_seq: number;
  episode_kind: 'drop' | 'silence' | null;
  episode_id: string | null;
  episode_baseline_from: Day | null;
  episode_baseline_to: Day | null;
  episode_baseline_avg: number | null;
  inserted?: boolean;
}

export const STATE_COLUMNS = `workspace_id, account_id, first_day::text AS first_day, latest_day::text AS latest_day, last_event_at,
  last_received_at, episode_seq, episode_kind, episode_id, episode_baseline_from::text AS episode_baseline_from,
  episode_baseline_to::text AS episode_baseline_to, episode_baseline_avg::float8 AS episode_baseline_avg`;

/** A person back after this long away may be ending an inactivity departure. */
const RETURN_GAP_MS = 24 * 3600_000;

export function openEpisode(s: UsageState): OpenEpisode | undefined {
  if (!s.episode_kind || !s.episode_baseline_from || !s.episode_baseline_to || s.episode_baseline_avg === null) return undefined;
  return { kind: s.episode_kind, baselineWindow: { from: s.episode_baseline_from, to: s.episode_baseline_to }, baselineDailyAvg: Number(s.episode_baseline_avg) };
}

/**
 * Rollups per account, user and feature per day (event time), updated as each event is
 * consumed, and usage-drop detection when an account's newest event day advances. Runs inside
 * the consumer's transaction; all events go through the outbox.
 */
@Injectable()
export class UsageService {
  constructor(
    private readonly outbox: OutboxWriter,
    private readonly directory: DirectoryService,
    private readonly settings: DetectionSettingsService,
  ) {}

  async recordActivity(m: EntityManager, ws: string, call: UsageEventV1): Promise<void> {
    const user = call.userId ?? call.anonymousId!;
    const at = new Date(call.timestamp);
    const receivedAt = new Date(call.receivedAt);
    const day = utcDay(at);

    const [seen] = await m.query(
      `WITH prev AS (SELECT last_received_at FROM user_activity WHERE workspace_id = $1 AND user_id = $2)
       INSERT INTO user_activity AS ua (workspace_id, user_id, first_seen_at, last_seen_at, last_received_at, events)
       VALUES ($1, $2, $3, $3, $4, 1)
       ON CONFLICT (workspace_id, user_id) DO UPDATE SET first_seen_at = LEAST(ua.first_seen_at, EXCLUDED.first_seen_at),
         last_seen_at = GREATEST(ua.last_seen_at, EXCLUDED.last_seen_at),
         last_received_at = GREATEST(ua.last_received_at, EXCLUDED.last_received_at), events = ua.events + 1
       RETURNING (SELECT last_received_at FROM prev) AS prev_received`, [ws, user, at, receivedAt]) as Array<{ prev_received: Date | null }>;
    if (call.userId && seen.prev_received && receivedAt.getTime() - new Date(seen.prev_received).getTime() > RETURN_GAP_MS) {
      await m.query(
        `UPDATE membership SET departed_at = NULL, departure_rule = NULL, updated_at = now()
         WHERE workspace_id = $1 AND contact_id = $2 AND departure_rule = 'inactive'`, [ws, call.userId]);
    }

    const accountId = call.groupId ?? (call.userId ? await this.directory.soleAccountOf(m, ws, call.userId) : undefined);
    if (!accountId) return;

    const [u] = await m.query(
      `INSERT INTO usage_daily_user AS d (workspace_id, account_id, day, user_id, events) VALUES ($1, $2, $3, $4, 1)
       ON CONFLICT (workspace_id, account_id, day, user_id) DO UPDATE SET events = d.events + 1
       RETURNING (xmax = 0) AS inserted`, [ws, accountId, day, user]) as Array<{ inserted: boolean }>;
    await m.query(
      `INSERT INTO usage_daily AS d (workspace_id, account_id, day, events, active_users) VALUES ($1, $2, $3, 1, $4)
       ON CONFLICT (workspace_id, account_id, day) DO UPDATE SET events = d.events + 1, active_users = d.active_users + EXCLUDED.active_users`,
      [ws, accountId, day, u.inserted ? 1 : 0]);
    if (call.callType === 'track' && call.event) {
      await m.query(
        `INSERT INTO usage_daily_feature AS d (workspace_id, account_id, day, feature, events) VALUES ($1, $2, $3, $4, 1)
         ON CONFLICT (workspace_id, account_id, day, feature) DO UPDATE SET events = d.events + 1`, [ws, accountId, day, call.event]);
    }

    // The upsert locks the account's state row: its events are judged one at a time.
    const [state] = await m.query(
      `INSERT INTO account_usage_state AS s (workspace_id, account_id, first_day, latest_day, last_event_at, last_received_at)
       VALUES ($1, $2, $3, $3, $4, $5)
       ON CONFLICT (workspace_id, account_id) DO UPDATE SET first_day = LEAST(s.first_day, EXCLUDED.first_day),
         last_event_at = GREATEST(s.last_event_at, EXCLUDED.last_event_at),
         last_received_at = GREATEST(s.last_received_at, EXCLUDED.last_received_at)
       RETURNING ${STATE_COLUMNS}, (xmax = 0) AS inserted`, [ws, accountId, day, at, receivedAt]) as UsageState[];
    if (state.inserted) return;

    if (state.episode_kind === 'silence') await this.endSilence(m, state, day);
    if (day > state.latest_day) {
      await this.onDayAdvanced(m, state, day, await this.settings.get(ws, m));
    }
  }

  private async endSilence(m: EntityManager, state: UsageState, day: Day): Promise<void> {
    const episode = openEpisode(state)!;
    const [today] = await m.query(`SELECT events FROM usage_daily WHERE workspace_id = $1 AND account_id = $2 AND day = $3`,
      [state.workspace_id, state.account_id, day]) as Array<{ events: number }>;
    const comparison = new UsageDropDetector().resumedAfterSilence(episode, day, today?.events ?? 1);
    await this.publishRecovered(m, state, comparison);
    state.episode_kind = null;
  }

  /** The first event of a new day closes the days before it: judge them, and summarize. */
  private async onDayAdvanced(m: EntityManager, state: UsageState, day: Day, settings: DetectionSettings): Promise<void> {
    const ws = state.workspace_id;
    const detector = new UsageDropDetector(settings);
    const { baseline } = detector.windowsBefore(day);
    const asOf = addDays(day, -1);
    const from = [baseline.from, addDays(asOf, -29), state.episode_baseline_from ?? baseline.from].sort()[0];
    const rows = await m.query(
      `SELECT day::text AS day, events FROM usage_daily WHERE workspace_id = $1 AND account_id = $2 AND day BETWEEN $3 AND $4`,
      [ws, state.account_id, from, asOf]) as Array<{ day: string; events: number }>;
    const counts = new Map(rows.map((r) => [r.day, r.events]));
    const verdict = detector.evaluate({ day, firstDay: state.first_day, events: (d) => counts.get(d) ?? 0, episode: openEpisode(state) });

    let trend: number | undefined;
    if (verdict.kind === 'dropped') {
      const seq = state.episode_seq + 1;
      const episodeId = deterministicId(ws, 'usage-episode', state.account_id, seq);
      await this.outbox.publish(m, Topics.usageDropped, {
        id: deterministicId(ws, 'usage-dropped', state.account_id, seq),
        workspaceId: ws, accountId: state.account_id,
        data: { ...verdict.comparison, thresholdPct: verdict.thresholdPct, kind: 'drop', episodeId },
      });
      await m.query(
        `UPDATE account_usage_state SET episode_seq = $3, episode_kind = 'drop', episode_id = $4, episode_baseline_from = $5,
           episode_baseline_to = $6, episode_baseline_avg = $7 WHERE workspace_id = $1 AND account_id = $2`,
        [ws, state.account_id, seq, episodeId, verdict.comparison.baselineWindow.from, verdict.comparison.baselineWindow.to,
          verdict.comparison.baselineDailyAvg]);
      trend = verdict.comparison.changePct;
    } else if (verdict.kind === 'recovered') {
      await this.publishRecovered(m, state, verdict.comparison);
      trend = verdict.comparison.changePct;
    } else if (verdict.kind === 'steady' || verdict.kind === 'still-low') {
      trend = verdict.comparison.changePct;
    }
    await m.query(
      `UPDATE account_usage_state SET latest_day = $3, last_change_pct = COALESCE($4, last_change_pct) WHERE workspace_id = $1 AND account_id = $2`,
      [ws, state.account_id, day, trend ?? null]);
    await this.publishSummary(m, state, asOf, trend);
  }

  private async publishRecovered(m: EntityManager, state: UsageState, comparison: UsageComparison): Promise<void> {
    await this.outbox.publish(m, Topics.usageRecovered, {
      id: deterministicId(state.workspace_id, 'usage-recovered', state.account_id, state.episode_seq),
      workspaceId: state.workspace_id, accountId: state.account_id,
      data: { ...comparison, episodeId: state.episode_id! },
    });
    await m.query(
      `UPDATE account_usage_state SET episode_kind = NULL, episode_id = NULL, episode_baseline_from = NULL, episode_baseline_to = NULL,
         episode_baseline_avg = NULL WHERE workspace_id = $1 AND account_id = $2`, [state.workspace_id, state.account_id]);
  }

  /** What health scores from: active users, adoption breadth, last activity, trend vs baseline. */
  private async publishSummary(m: EntityManager, state: UsageState, asOf: Day, trend: number | undefined): Promise<void> {
    const ws = state.workspace_id;
    const [users] = await m.query(
      `SELECT count(DISTINCT user_id) FILTER (WHERE day > $3::date - 7)::int AS u7, count(DISTINCT user_id)::int AS u30
         FROM usage_daily_user WHERE workspace_id = $1 AND account_id = $2 AND day BETWEEN $3::date - 29 AND $3::date`,
      [ws, state.account_id, asOf]) as Array<{ u7: number; u30: number }>;
    const [features] = await m.query(
      `SELECT count(DISTINCT feature)::int AS n FROM usage_daily_feature
        WHERE workspace_id = $1 AND account_id = $2 AND day BETWEEN $3::date - 29 AND $3::date`,
      [ws, state.account_id, asOf]) as Array<{ n: number }>;
    const data: UsageSummaryV1 = {
      asOf,
      activeUsers7d: users.u7,
      activeUsers30d: users.u30,
      featuresUsed30d: features.n,
      lastActivityAt: new Date(state.last_event_at).toISOString(),
      ...(trend !== undefined ? { usageTrendPct: trend } : {}),
    };
    await this.outbox.publish(m, Topics.usageSummary, {
      id: deterministicId(ws, 'usage-summary', state.account_id, asOf), workspaceId: ws, accountId: state.account_id, data,
    });
  }
}
