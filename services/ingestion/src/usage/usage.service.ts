import {
  NewEvent, Topics, UsageDroppedV1, UsageEventV1, UsageRecoveredV1, UsageSummaryV1,
} from '@cairn/contracts';
import { OutboxWriter } from '@cairn/persistence';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { addDays, Day, utcDay } from '../domain/days';
import { deterministicId } from '../domain/ids';
import {
  Activity, accountKey, aggregateChunk, DayAdvance, dayAdvances, returningUsers, userKey, valueReachedBy,
} from '../domain/usage-batch';
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
  /** Earliest event time seen (null only for rows older than the column). */
  first_event_at: Date | null;
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

export const STATE_COLUMNS = `workspace_id, account_id, first_day::text AS first_day, latest_day::text AS latest_day, first_event_at, last_event_at,
  last_received_at, episode_seq, episode_kind, episode_id, episode_baseline_from::text AS episode_baseline_from,
  episode_baseline_to::text AS episode_baseline_to, episode_baseline_avg::float8 AS episode_baseline_avg`;

/** A person back after this long away may be ending an inactivity departure. */
const RETURN_GAP_MS = 24 * 3600_000;

const NO_EPISODE = {
  episode_kind: null, episode_id: null, episode_baseline_from: null, episode_baseline_to: null, episode_baseline_avg: null,
} satisfies Partial<UsageState>;

export function openEpisode(s: UsageState): OpenEpisode | undefined {
  if (!s.episode_kind || !s.episode_baseline_from || !s.episode_baseline_to || s.episode_baseline_avg === null) return undefined;
  return { kind: s.episode_kind, baselineWindow: { from: s.episode_baseline_from, to: s.episode_baseline_to }, baselineDailyAvg: Number(s.episode_baseline_avg) };
}

/** An activity call (track/page/screen) of a consumed chunk, with its workspace. */
export interface ActivityCall {
  ws: string;
  call: UsageEventV1;
}

/**
 * Rollups per account, user and feature per day (event time), and usage-drop detection when an
 * account's newest event day advances. Works a consumed chunk at a time, inside the consumer's
 * transaction: calls are counted in memory, each table gets one multi-row upsert (rows in key
 * order), and detection runs once per account and advanced day. All events go through the outbox.
 */
@Injectable()
export class UsageService {
  constructor(
    private readonly outbox: OutboxWriter,
    private readonly directory: DirectoryService,
    private readonly settings: DetectionSettingsService,
  ) {}

  async recordActivities(m: EntityManager, input: readonly ActivityCall[]): Promise<void> {
    if (input.length === 0) return;
    const calls: Activity[] = input.map(({ ws, call }) => {
      const at = Date.parse(call.timestamp);
      return {
        ws, user: call.userId ?? call.anonymousId!, identified: call.userId !== undefined, at, receivedAt: Date.parse(call.receivedAt),
        day: utcDay(at), ...(call.callType === 'track' && call.event ? { feature: call.event } : {}), accountId: call.groupId,
      };
    });
    await this.resolveAccounts(m, calls);
    const r = aggregateChunk(calls);

    // Users: activity (for inactive-champion detection), and those back after a long absence.
    const previous = await m.query(
      `WITH input AS (
         SELECT workspace_id, user_id, to_timestamp(first_ms / 1000) AS first_at, to_timestamp(last_ms / 1000) AS last_at,
                to_timestamp(received_ms / 1000) AS received_at, events
           FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[], $5::float8[], $6::int[])
             AS t(workspace_id, user_id, first_ms, last_ms, received_ms, events)),
       prev AS (SELECT ua.workspace_id, ua.user_id, ua.last_received_at FROM user_activity ua JOIN input USING (workspace_id, user_id)),
       up AS (
         INSERT INTO user_activity AS ua (workspace_id, user_id, first_seen_at, last_seen_at, last_received_at, events)
         SELECT workspace_id, user_id, first_at, last_at, received_at, events FROM input ORDER BY workspace_id, user_id
         ON CONFLICT (workspace_id, user_id) DO UPDATE SET first_seen_at = LEAST(ua.first_seen_at, EXCLUDED.first_seen_at),
           last_seen_at = GREATEST(ua.last_seen_at, EXCLUDED.last_seen_at),
           last_received_at = GREATEST(ua.last_received_at, EXCLUDED.last_received_at), events = ua.events + EXCLUDED.events)
       SELECT workspace_id, user_id, last_received_at FROM prev`,
      [r.users.map((u) => u.ws), r.users.map((u) => u.user), r.users.map((u) => u.firstAt), r.users.map((u) => u.lastAt),
        r.users.map((u) => u.lastReceivedAt), r.users.map((u) => u.events)],
    ) as Array<{ workspace_id: string; user_id: string; last_received_at: Date }>;
    const back = returningUsers(calls,
      new Map(previous.map((p) => [userKey(p.workspace_id, p.user_id), new Date(p.last_received_at).getTime()])), RETURN_GAP_MS);
    if (back.length) {
      await m.query(
        `UPDATE membership mb SET departed_at = NULL, departure_rule = NULL, updated_at = now()
           FROM unnest($1::text[], $2::text[]) AS t(workspace_id, contact_id)
          WHERE mb.workspace_id = t.workspace_id AND mb.contact_id = t.contact_id AND mb.departure_rule = 'inactive'`,
        [back.map((b) => b.ws), back.map((b) => b.user)]);
    }
    if (r.accounts.length === 0) return;

    // Rollups and detection state in one statement (one round trip). A user's first call of an
    // account-day adds one active user to that day. The state upsert locks each account's row:
    // its calls are judged by one transaction at a time.
    const states = await m.query(
      `WITH du AS (
         INSERT INTO usage_daily_user AS d (workspace_id, account_id, day, user_id, events)
         SELECT * FROM unnest($1::text[], $2::text[], $3::date[], $4::text[], $5::int[])
         ON CONFLICT (workspace_id, account_id, day, user_id) DO UPDATE SET events = d.events + EXCLUDED.events
         RETURNING workspace_id, account_id, day, (xmax = 0) AS inserted),
       new_users AS (
         SELECT workspace_id, account_id, day, count(*) FILTER (WHERE inserted)::int AS n FROM du GROUP BY workspace_id, account_id, day),
       daily AS (
         INSERT INTO usage_daily AS d (workspace_id, account_id, day, events, active_users)
         SELECT t.workspace_id, t.account_id, t.day, t.events, COALESCE(nu.n, 0)
           FROM unnest($6::text[], $7::text[], $8::date[], $9::int[]) AS t(workspace_id, account_id, day, events)
           LEFT JOIN new_users nu ON nu.workspace_id = t.workspace_id AND nu.account_id = t.account_id AND nu.day = t.day
          ORDER BY t.workspace_id, t.account_id, t.day
         ON CONFLICT (workspace_id, account_id, day) DO UPDATE SET events = d.events + EXCLUDED.events,
           active_users = d.active_users + EXCLUDED.active_users),
       feature AS (
         INSERT INTO usage_daily_feature AS d (workspace_id, account_id, day, feature, events)
         SELECT * FROM unnest($10::text[], $11::text[], $12::date[], $13::text[], $14::int[])
         ON CONFLICT (workspace_id, account_id, day, feature) DO UPDATE SET events = d.events + EXCLUDED.events),
       -- First use of each feature (event time): time to first value, for whichever event a workspace names.
       -- Known features are only touched by a call dated before their first use (no row lock otherwise).
       feature_first_in AS (
         SELECT workspace_id, account_id, feature, to_timestamp(first_ms / 1000) AS first_at
           FROM unnest($15::text[], $16::text[], $17::text[], $18::float8[]) AS t(workspace_id, account_id, feature, first_ms)),
       feature_first AS (
         INSERT INTO account_feature_first (workspace_id, account_id, feature, first_at) SELECT * FROM feature_first_in
         ON CONFLICT (workspace_id, account_id, feature) DO NOTHING),
       feature_earlier AS (
         UPDATE account_feature_first f SET first_at = i.first_at FROM feature_first_in i
          WHERE f.workspace_id = i.workspace_id AND f.account_id = i.account_id AND f.feature = i.feature AND i.first_at < f.first_at),
       input AS (
         SELECT workspace_id, account_id, first_day, latest_day, to_timestamp(first_ms / 1000) AS first_at,
                to_timestamp(last_ms / 1000) AS last_at, to_timestamp(received_ms / 1000) AS received_at
           FROM unnest($19::text[], $20::text[], $21::date[], $22::date[], $23::float8[], $24::float8[], $25::float8[])
             AS t(workspace_id, account_id, first_day, latest_day, first_ms, last_ms, received_ms)),
       prev AS (SELECT s.workspace_id, s.account_id, s.last_event_at FROM account_usage_state s JOIN input USING (workspace_id, account_id)),
       state AS (
         INSERT INTO account_usage_state AS s (workspace_id, account_id, first_day, latest_day, first_event_at, last_event_at, last_received_at)
         SELECT workspace_id, account_id, first_day, latest_day, first_at, last_at, received_at FROM input ORDER BY workspace_id, account_id
         ON CONFLICT (workspace_id, account_id) DO UPDATE SET first_day = LEAST(s.first_day, EXCLUDED.first_day),
           first_event_at = LEAST(s.first_event_at, EXCLUDED.first_event_at),
           last_event_at = GREATEST(s.last_event_at, EXCLUDED.last_event_at),
           last_received_at = GREATEST(s.last_received_at, EXCLUDED.last_received_at)
         RETURNING ${STATE_COLUMNS}, (xmax = 0) AS inserted)
       SELECT state.*, prev.last_event_at AS prev_last_event_at FROM state LEFT JOIN prev USING (workspace_id, account_id)
        ORDER BY state.workspace_id, state.account_id`,
      [
        r.dailyUsers.map((x) => x.ws), r.dailyUsers.map((x) => x.accountId), r.dailyUsers.map((x) => x.day),
        r.dailyUsers.map((x) => x.user), r.dailyUsers.map((x) => x.events),
        r.daily.map((x) => x.ws), r.daily.map((x) => x.accountId), r.daily.map((x) => x.day), r.daily.map((x) => x.events),
        r.features.map((x) => x.ws), r.features.map((x) => x.accountId), r.features.map((x) => x.day), r.features.map((x) => x.feature),
        r.features.map((x) => x.events),
        r.featureFirst.map((x) => x.ws), r.featureFirst.map((x) => x.accountId), r.featureFirst.map((x) => x.feature),
        r.featureFirst.map((x) => x.firstAt),
        r.accounts.map((a) => a.ws), r.accounts.map((a) => a.accountId), r.accounts.map((a) => a.minDay), r.accounts.map((a) => a.firstDayInOrder),
        r.accounts.map((a) => a.firstAt), r.accounts.map((a) => a.lastAt), r.accounts.map((a) => a.lastReceivedAt),
      ],
    ) as Array<UsageState & { inserted: boolean; prev_last_event_at: Date | null }>;

    const byAccount = new Map<string, Activity[]>();
    for (const c of calls) {
      if (c.accountId === undefined) continue;
      const k = accountKey(c.ws, c.accountId);
      const list = byAccount.get(k);
      if (list) list.push(c);
      else byAccount.set(k, [c]);
    }
    const settings = new Map<string, Promise<DetectionSettings>>();
    const settingsOf = (ws: string) => {
      if (!settings.has(ws)) settings.set(ws, this.settings.get(ws, m));
      return settings.get(ws)!;
    };
    const advanced: Array<{ state: UsageState; advances: DayAdvance[] }> = [];
    for (const state of states) {
      const accountCalls = byAccount.get(accountKey(state.workspace_id, state.account_id))!;
      if (!state.inserted && state.episode_kind === 'silence') await this.endSilence(m, state, accountCalls[0].day);
      // A new account's first call opened its state; only calls dated after it advance the day.
      const advances = dayAdvances(state.inserted ? accountCalls.slice(1) : accountCalls, state.latest_day,
        state.inserted ? accountCalls[0].at : new Date(state.prev_last_event_at!).getTime());
      if (advances.length) advanced.push({ state, advances });
    }
    await this.judgeAdvances(m, advanced, settingsOf);
  }

  /** Calls that name no account count for the one account their user belongs to, if exactly one. */
  private async resolveAccounts(m: EntityManager, calls: Activity[]): Promise<void> {
    const pending = new Map<string, { ws: string; user: string }>();
    for (const c of calls) if (c.accountId === undefined && c.identified) pending.set(userKey(c.ws, c.user), { ws: c.ws, user: c.user });
    if (pending.size === 0) return;
    const list = [...pending.values()];
    const rows = await m.query(
      `SELECT mb.workspace_id, mb.contact_id, min(mb.account_id) AS account_id FROM membership mb
         JOIN unnest($1::text[], $2::text[]) AS t(workspace_id, contact_id)
           ON mb.workspace_id = t.workspace_id AND mb.contact_id = t.contact_id
        WHERE mb.removed_at IS NULL GROUP BY mb.workspace_id, mb.contact_id HAVING count(*) = 1`,
      [list.map((x) => x.ws), list.map((x) => x.user)]) as Array<{ workspace_id: string; contact_id: string; account_id: string }>;
    const sole = new Map(rows.map((r) => [userKey(r.workspace_id, r.contact_id), r.account_id]));
    for (const c of calls) if (c.accountId === undefined && c.identified) c.accountId = sole.get(userKey(c.ws, c.user));
  }

  private async endSilence(m: EntityManager, state: UsageState, day: Day): Promise<void> {
    const episode = openEpisode(state)!;
    const [today] = await m.query(`SELECT events FROM usage_daily WHERE workspace_id = $1 AND account_id = $2 AND day = $3`,
      [state.workspace_id, state.account_id, day]) as Array<{ events: number }>;
    const comparison = new UsageDropDetector().resumedAfterSilence(episode, day, today?.events ?? 1);
    await this.publishRecovered(m, state, comparison);
  }

  /**
   * The first call of a new day closes the days before it: each account's closed days are judged
   * in order (drop, still low, recovered) and summarized. Set-based: one read of the daily counts,
   * one state update, one summary read and one outbox insert per topic for the whole chunk.
   */
  private async judgeAdvances(m: EntityManager, advanced: Array<{ state: UsageState; advances: DayAdvance[] }>,
    settingsOf: (ws: string) => Promise<DetectionSettings>): Promise<void> {
    if (advanced.length === 0) return;
    const plans = await Promise.all(advanced.map(async ({ state, advances }) => {
      const settings = await settingsOf(state.workspace_id);
      const detector = new UsageDropDetector(settings);
      const days = advances.flatMap((a) => [detector.windowsBefore(a.day).baseline.from, addDays(a.day, -30)]);
      const from = [...days, ...(state.episode_baseline_from ? [state.episode_baseline_from] : [])].sort()[0];
      return { state, advances, settings, detector, from, to: addDays(advances[advances.length - 1].day, -1) };
    }));
    const rows = await m.query(
      `SELECT d.workspace_id, d.account_id, d.day::text AS day, d.events
         FROM unnest($1::text[], $2::text[], $3::date[], $4::date[]) AS t(workspace_id, account_id, from_day, to_day)
         JOIN usage_daily d ON d.workspace_id = t.workspace_id AND d.account_id = t.account_id AND d.day BETWEEN t.from_day AND t.to_day`,
      [plans.map((p) => p.state.workspace_id), plans.map((p) => p.state.account_id), plans.map((p) => p.from), plans.map((p) => p.to)],
    ) as Array<{ workspace_id: string; account_id: string; day: string; events: number }>;
    const counts = new Map<string, Map<string, number>>();
    for (const r of rows) {
      const k = accountKey(r.workspace_id, r.account_id);
      if (!counts.has(k)) counts.set(k, new Map());
      counts.get(k)!.set(r.day, r.events);
    }

    const dropped: NewEvent<UsageDroppedV1>[] = [];
    const recovered: NewEvent<UsageRecoveredV1>[] = [];
    const judged: Array<{ state: UsageState; asOf: Day; trend?: number; lastEventAt: Date; valueEvent: string | null }> = [];
    const finalTrend = new Map<UsageState, number>();
    for (const { state, advances, settings, detector } of plans) {
      const ws = state.workspace_id;
      const daily = counts.get(accountKey(ws, state.account_id)) ?? new Map<string, number>();
      for (const { day, lastEventAt } of advances) {
        const verdict = detector.evaluate({ day, firstDay: state.first_day, events: (d) => daily.get(d) ?? 0, episode: openEpisode(state) });
        let trend: number | undefined;
        if (verdict.kind === 'dropped') {
          const seq = state.episode_seq + 1;
          const episodeId = deterministicId(ws, 'usage-episode', state.account_id, seq);
          dropped.push({
            id: deterministicId(ws, 'usage-dropped', state.account_id, seq), workspaceId: ws, accountId: state.account_id,
            data: { ...verdict.comparison, thresholdPct: verdict.thresholdPct, kind: 'drop', episodeId },
          });
          Object.assign(state, {
            episode_seq: seq, episode_kind: 'drop', episode_id: episodeId, episode_baseline_from: verdict.comparison.baselineWindow.from,
            episode_baseline_to: verdict.comparison.baselineWindow.to, episode_baseline_avg: verdict.comparison.baselineDailyAvg,
          } satisfies Partial<UsageState>);
          trend = verdict.comparison.changePct;
        } else if (verdict.kind === 'recovered') {
          recovered.push(this.recoveredEvent(state, verdict.comparison));
          Object.assign(state, NO_EPISODE);
          trend = verdict.comparison.changePct;
        } else if (verdict.kind === 'steady' || verdict.kind === 'still-low') {
          trend = verdict.comparison.changePct;
        }
        state.latest_day = day;
        if (trend !== undefined) finalTrend.set(state, trend);
        judged.push({ state: { ...state }, asOf: addDays(day, -1), trend, lastEventAt: new Date(lastEventAt), valueEvent: settings.valueEvent });
      }
    }

    const s = plans.map((p) => p.state);
    await m.query(
      `UPDATE account_usage_state s SET latest_day = t.latest_day, last_change_pct = COALESCE(t.trend, s.last_change_pct),
         episode_seq = t.seq, episode_kind = t.kind, episode_id = t.episode_id, episode_baseline_from = t.baseline_from,
         episode_baseline_to = t.baseline_to, episode_baseline_avg = t.baseline_avg
         FROM unnest($1::text[], $2::text[], $3::date[], $4::float8[], $5::int[], $6::text[], $7::text[], $8::date[], $9::date[], $10::float8[])
           AS t(workspace_id, account_id, latest_day, trend, seq, kind, episode_id, baseline_from, baseline_to, baseline_avg)
        WHERE s.workspace_id = t.workspace_id AND s.account_id = t.account_id`,
      [s.map((x) => x.workspace_id), s.map((x) => x.account_id), s.map((x) => x.latest_day), s.map((x) => finalTrend.get(x) ?? null),
        s.map((x) => x.episode_seq), s.map((x) => x.episode_kind), s.map((x) => x.episode_id), s.map((x) => x.episode_baseline_from),
        s.map((x) => x.episode_baseline_to), s.map((x) => x.episode_baseline_avg)]);

    // What health scores from: active users, adoption breadth, last activity, trend vs baseline, and
    // the account's first activity and first value event (time to first value).
    const figures = await m.query(
      `SELECT t.i::int AS i, u.u7, u.u30, f.n, ff.first_at AS value_at
         FROM unnest($1::text[], $2::text[], $3::date[], $4::text[]) WITH ORDINALITY AS t(workspace_id, account_id, as_of, value_event, i)
         CROSS JOIN LATERAL (
           SELECT count(DISTINCT user_id) FILTER (WHERE day > t.as_of - 7)::int AS u7, count(DISTINCT user_id)::int AS u30
             FROM usage_daily_user WHERE workspace_id = t.workspace_id AND account_id = t.account_id AND day BETWEEN t.as_of - 29 AND t.as_of) u
         CROSS JOIN LATERAL (
           SELECT count(DISTINCT feature)::int AS n FROM usage_daily_feature
            WHERE workspace_id = t.workspace_id AND account_id = t.account_id AND day BETWEEN t.as_of - 29 AND t.as_of) f
         LEFT JOIN account_feature_first ff ON ff.workspace_id = t.workspace_id AND ff.account_id = t.account_id AND ff.feature = t.value_event
        ORDER BY t.i`,
      [judged.map((j) => j.state.workspace_id), judged.map((j) => j.state.account_id), judged.map((j) => j.asOf), judged.map((j) => j.valueEvent)],
    ) as Array<{ i: number; u7: number; u30: number; n: number; value_at: Date | null }>;
    const summaries = judged.map((j, i): NewEvent<UsageSummaryV1> => {
      const f = figures[i];
      const firstValueAt = valueReachedBy(f.value_at && new Date(f.value_at), j.asOf);
      return {
        id: deterministicId(j.state.workspace_id, 'usage-summary', j.state.account_id, j.asOf),
        workspaceId: j.state.workspace_id, accountId: j.state.account_id,
        data: {
          asOf: j.asOf,
          activeUsers7d: f.u7,
          activeUsers30d: f.u30,
          featuresUsed30d: f.n,
          lastActivityAt: j.lastEventAt.toISOString(),
          ...(j.trend !== undefined ? { usageTrendPct: j.trend } : {}),
          ...(j.state.first_event_at ? { firstActivityAt: new Date(j.state.first_event_at).toISOString() } : {}),
          ...(firstValueAt ? { firstValueAt: firstValueAt.toISOString() } : {}),
        },
      };
    });
    // Summaries first: what the account looked like up to a day goes out before the verdict on it.
    await this.outbox.publishAll(m, Topics.usageSummary, summaries);
    await this.outbox.publishAll(m, Topics.usageDropped, dropped);
    await this.outbox.publishAll(m, Topics.usageRecovered, recovered);
  }

  private recoveredEvent(state: UsageState, comparison: UsageComparison): NewEvent<UsageRecoveredV1> {
    return {
      id: deterministicId(state.workspace_id, 'usage-recovered', state.account_id, state.episode_seq),
      workspaceId: state.workspace_id, accountId: state.account_id,
      data: { ...comparison, episodeId: state.episode_id! },
    };
  }

  /** Ends the open episode (in the database and in `state`) and says so once. */
  private async publishRecovered(m: EntityManager, state: UsageState, comparison: UsageComparison): Promise<void> {
    await this.outbox.publish(m, Topics.usageRecovered, this.recoveredEvent(state, comparison));
    await m.query(
      `UPDATE account_usage_state SET episode_kind = NULL, episode_id = NULL, episode_baseline_from = NULL, episode_baseline_to = NULL,
         episode_baseline_avg = NULL WHERE workspace_id = $1 AND account_id = $2`, [state.workspace_id, state.account_id]);
    Object.assign(state, NO_EPISODE);
  }
}
