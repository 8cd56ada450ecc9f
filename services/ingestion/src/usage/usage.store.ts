import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Day } from '../domain/days';
import { ChunkRollups, UnattributedRow, UserActivityRow } from '../domain/usage-batch';
import { OpenEpisode } from '../domain/usage-drop-detector';

/** Advisory lock class (first key) of a user's late-attribution lock; the second key hashes workspace and user. */
const USER_LOCK_CLASS = 7_310_001;

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
  /** Trend of the last judged day (percent), when the row was read with it. */
  last_change_pct?: number | null;
}

/** An account's state right after a chunk's rollups were written. */
export interface RolledUpState extends UsageState {
  /** The chunk opened this state row (the account's first activity ever). */
  inserted: boolean;
  /** Newest event time before the chunk (null for a new account). */
  prev_last_event_at: Date | null;
}

/** A state with its last trend, for the read API. */
export interface UsageStateView extends UsageState {
  last_change_pct: number | null;
}

/** The detection state an account's judged days leave behind. */
export interface JudgedState {
  state: UsageState;
  /** Change vs baseline of the last day judged with one (null keeps the stored trend). */
  trend: number | null;
}

/** What a usage summary as of a day reports, computed from the rollups. */
export interface SummaryFigures {
  activeUsers7d: number;
  activeUsers30d: number;
  featuresUsed30d: number;
  /** First use of the workspace's value event (event time), if any. */
  valueAt: Date | null;
}

/** Where an episode starts: the drop or silence and the baseline it is measured against. */
export interface EpisodeStart {
  seq: number;
  kind: 'drop' | 'silence';
  episodeId: string;
  baselineFrom: Day;
  baselineTo: Day;
  baselineAvg: number;
}

const STATE_COLUMNS = `workspace_id, account_id, first_day::text AS first_day, latest_day::text AS latest_day, first_event_at, last_event_at,
  last_received_at, episode_seq, episode_kind, episode_id, episode_baseline_from::text AS episode_baseline_from,
  episode_baseline_to::text AS episode_baseline_to, episode_baseline_avg::float8 AS episode_baseline_avg`;

export function openEpisode(s: UsageState): OpenEpisode | undefined {
  if (!s.episode_kind || !s.episode_baseline_from || !s.episode_baseline_to || s.episode_baseline_avg === null) return undefined;
  return { kind: s.episode_kind, baselineWindow: { from: s.episode_baseline_from, to: s.episode_baseline_to }, baselineDailyAvg: Number(s.episode_baseline_avg) };
}

/**
 * The usage feature's tables: user_activity, the daily rollups (usage_daily, usage_daily_user,
 * usage_daily_feature), account_feature_first and account_usage_state. Every read and write of
 * them goes through here. A chunk's writes take the rows `aggregateChunk` folded (one row per
 * key, in key order) and write each table with one multi-row statement.
 */
@Injectable()
export class UsageStore {
  /**
   * Adds a chunk's per-user activity (events added, first/last seen widened) and returns each
   * known user's last_received_at as it was before the chunk.
   */
  async recordUserActivity(m: EntityManager, users: readonly UserActivityRow[]): Promise<Array<{ ws: string; user: string; lastReceivedAt: Date }>> {
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
      [users.map((u) => u.ws), users.map((u) => u.user), users.map((u) => u.firstAt), users.map((u) => u.lastAt),
        users.map((u) => u.lastReceivedAt), users.map((u) => u.events)],
    ) as Array<{ workspace_id: string; user_id: string; last_received_at: Date }>;
    return previous.map((p) => ({ ws: p.workspace_id, user: p.user_id, lastReceivedAt: new Date(p.last_received_at) }));
  }

  /**
   * Adds a chunk's rollups and widens each account's state, in one statement (one round trip).
   * Counts add up; a user's first row of an account-day adds one active user to that day; a
   * feature's first use only moves earlier; first day and first event only move earlier, last
   * event and arrival only later. The state upsert locks each account's row, so an account's
   * calls are judged by one transaction at a time. Returns the states in key order.
   */
  async recordRollups(m: EntityManager, r: Omit<ChunkRollups, 'users'>): Promise<RolledUpState[]> {
    return await m.query(
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
         RETURNING ${STATE_COLUMNS}, s.last_change_pct::float8 AS last_change_pct, (xmax = 0) AS inserted)
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
    ) as RolledUpState[];
  }

  /** An account's event count of one day (undefined when it has none). */
  async eventsOn(m: EntityManager, ws: string, accountId: string, day: Day): Promise<number | undefined> {
    const [row] = await m.query(`SELECT events FROM usage_daily WHERE workspace_id = $1 AND account_id = $2 AND day = $3`,
      [ws, accountId, day]) as Array<{ events: number }>;
    return row?.events;
  }

  /** Daily event counts of many accounts, each over its own range of days (one statement). */
  async dailyCounts(m: EntityManager, ranges: ReadonlyArray<{ ws: string; accountId: string; from: Day; to: Day }>)
    : Promise<Array<{ ws: string; accountId: string; day: Day; events: number }>> {
    const rows = await m.query(
      `SELECT d.workspace_id, d.account_id, d.day::text AS day, d.events
         FROM unnest($1::text[], $2::text[], $3::date[], $4::date[]) AS t(workspace_id, account_id, from_day, to_day)
         JOIN usage_daily d ON d.workspace_id = t.workspace_id AND d.account_id = t.account_id AND d.day BETWEEN t.from_day AND t.to_day`,
      [ranges.map((r) => r.ws), ranges.map((r) => r.accountId), ranges.map((r) => r.from), ranges.map((r) => r.to)],
    ) as Array<{ workspace_id: string; account_id: string; day: string; events: number }>;
    return rows.map((r) => ({ ws: r.workspace_id, accountId: r.account_id, day: r.day, events: r.events }));
  }

  /** Writes the latest day, trend and episode that judging left on each account (one statement). */
  async saveJudged(m: EntityManager, judged: readonly JudgedState[]): Promise<void> {
    const s = judged.map((j) => j.state);
    await m.query(
      `UPDATE account_usage_state s SET latest_day = t.latest_day, last_change_pct = COALESCE(t.trend, s.last_change_pct),
         episode_seq = t.seq, episode_kind = t.kind, episode_id = t.episode_id, episode_baseline_from = t.baseline_from,
         episode_baseline_to = t.baseline_to, episode_baseline_avg = t.baseline_avg
         FROM unnest($1::text[], $2::text[], $3::date[], $4::float8[], $5::int[], $6::text[], $7::text[], $8::date[], $9::date[], $10::float8[])
           AS t(workspace_id, account_id, latest_day, trend, seq, kind, episode_id, baseline_from, baseline_to, baseline_avg)
        WHERE s.workspace_id = t.workspace_id AND s.account_id = t.account_id`,
      [s.map((x) => x.workspace_id), s.map((x) => x.account_id), s.map((x) => x.latest_day), judged.map((j) => j.trend),
        s.map((x) => x.episode_seq), s.map((x) => x.episode_kind), s.map((x) => x.episode_id), s.map((x) => x.episode_baseline_from),
        s.map((x) => x.episode_baseline_to), s.map((x) => x.episode_baseline_avg)]);
  }

  /**
   * What health scores from, per (account, as-of day), in input order: active users over 7 and
   * 30 days, features used over 30 days, and the first use of the workspace's value event.
   */
  async summaryFigures(m: EntityManager, asks: ReadonlyArray<{ ws: string; accountId: string; asOf: Day; valueEvent: string | null }>)
    : Promise<SummaryFigures[]> {
    const rows = await m.query(
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
      [asks.map((a) => a.ws), asks.map((a) => a.accountId), asks.map((a) => a.asOf), asks.map((a) => a.valueEvent)],
    ) as Array<{ i: number; u7: number; u30: number; n: number; value_at: Date | null }>;
    return rows.map((r) => ({ activeUsers7d: r.u7, activeUsers30d: r.u30, featuresUsed30d: r.n, valueAt: r.value_at && new Date(r.value_at) }));
  }

  /** Transaction-scoped locks on users (late attribution), in key order: no deadlock between two chunks. */
  async lockUsers(m: EntityManager, users: ReadonlyArray<{ ws: string; user: string }>): Promise<void> {
    if (users.length === 0) return;
    const keys = [...new Set(users.map((u) => JSON.stringify([u.ws, u.user])))].sort();
    await m.query(`SELECT pg_advisory_xact_lock(${USER_LOCK_CLASS}, hashtext(k)) FROM (SELECT k FROM unnest($1::text[]) AS k ORDER BY k) sorted`, [keys]);
  }

  /** Adds calls that could not be attributed yet to unattributed_usage. */
  async stashUnattributed(m: EntityManager, rows: readonly UnattributedRow[]): Promise<void> {
    if (rows.length === 0) return;
    await m.query(
      `INSERT INTO unattributed_usage AS u (workspace_id, user_id, day, feature, events, first_at, last_at, received_at)
       SELECT workspace_id, user_id, day, feature, events, to_timestamp(first_ms / 1000), to_timestamp(last_ms / 1000), to_timestamp(received_ms / 1000)
         FROM unnest($1::text[], $2::text[], $3::date[], $4::text[], $5::int[], $6::float8[], $7::float8[], $8::float8[])
           AS t(workspace_id, user_id, day, feature, events, first_ms, last_ms, received_ms)
       ON CONFLICT (workspace_id, user_id, day, feature) DO UPDATE SET events = u.events + EXCLUDED.events,
         first_at = LEAST(u.first_at, EXCLUDED.first_at), last_at = GREATEST(u.last_at, EXCLUDED.last_at),
         received_at = GREATEST(u.received_at, EXCLUDED.received_at)`,
      [rows.map((x) => x.ws), rows.map((x) => x.user), rows.map((x) => x.day), rows.map((x) => x.feature), rows.map((x) => x.events),
        rows.map((x) => x.firstAt), rows.map((x) => x.lastAt), rows.map((x) => x.receivedAt)]);
  }

  /** Removes and returns a user's unattributed usage (to credit it, in the same transaction). */
  async takeUnattributed(m: EntityManager, ws: string, userId: string): Promise<UnattributedRow[]> {
    const result = await m.query(
      `DELETE FROM unattributed_usage WHERE workspace_id = $1 AND user_id = $2
       RETURNING day::text AS day, feature, events, first_at, last_at, received_at`, [ws, userId]) as unknown;
    const rows = (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as
      Array<{ day: string; feature: string; events: number; first_at: Date; last_at: Date; received_at: Date }>;
    return rows.map((x) => ({
      ws, user: userId, day: x.day, feature: x.feature, events: x.events,
      firstAt: new Date(x.first_at).getTime(), lastAt: new Date(x.last_at).getTime(), receivedAt: new Date(x.received_at).getTime(),
    }));
  }

  /** Ends an account's open episode. */
  async endEpisode(m: EntityManager, ws: string, accountId: string): Promise<void> {
    await m.query(
      `UPDATE account_usage_state SET episode_kind = NULL, episode_id = NULL, episode_baseline_from = NULL, episode_baseline_to = NULL,
         episode_baseline_avg = NULL WHERE workspace_id = $1 AND account_id = $2`, [ws, accountId]);
  }

  // ---------------------------------------------------------------- wall-clock scans

  /**
   * Accounts without an open episode whose newest arrival is older than their workspace's window
   * (default 7 days) and that were not judged since it arrived.
   */
  async silenceCandidates(m: EntityManager, now: Date, limit: number): Promise<Array<{ ws: string; accountId: string }>> {
    const rows = await m.query(
      `SELECT s.workspace_id, s.account_id FROM account_usage_state s
         LEFT JOIN detection_settings d ON d.workspace_id = s.workspace_id
        WHERE s.episode_kind IS NULL
          AND s.last_received_at < $1::timestamptz - make_interval(days => COALESCE(d.window_days, 7))
          AND s.silence_checked_at IS DISTINCT FROM s.last_received_at
        LIMIT $2`, [now, limit]) as Array<{ workspace_id: string; account_id: string }>;
    return rows.map((r) => ({ ws: r.workspace_id, accountId: r.account_id }));
  }

  /** An account's state, row-locked until the transaction ends. */
  async lockState(m: EntityManager, ws: string, accountId: string): Promise<UsageState | undefined> {
    const [s] = await m.query(`SELECT ${STATE_COLUMNS} FROM account_usage_state WHERE workspace_id = $1 AND account_id = $2 FOR UPDATE`,
      [ws, accountId]) as UsageState[];
    return s;
  }

  /** An account's daily event counts from `from` to `to` (days without events absent). */
  async dailyEvents(m: EntityManager, ws: string, accountId: string, from: Day, to: Day): Promise<Map<Day, number>> {
    const rows = await m.query(
      `SELECT day::text AS day, events FROM usage_daily WHERE workspace_id = $1 AND account_id = $2 AND day BETWEEN $3 AND $4`,
      [ws, accountId, from, to]) as Array<{ day: string; events: number }>;
    return new Map(rows.map((r) => [r.day, r.events]));
  }

  /** Too small or too new to judge: not again until the account sends something. */
  async markSilenceChecked(m: EntityManager, ws: string, accountId: string): Promise<void> {
    await m.query(`UPDATE account_usage_state SET silence_checked_at = last_received_at WHERE workspace_id = $1 AND account_id = $2`,
      [ws, accountId]);
  }

  /** Opens an episode found by a scan (silence: the trend is -100 %). */
  async openScannedEpisode(m: EntityManager, ws: string, accountId: string, e: EpisodeStart, trendPct: number): Promise<void> {
    await m.query(
      `UPDATE account_usage_state SET episode_seq = $3, episode_kind = $4, episode_id = $5, episode_baseline_from = $6,
         episode_baseline_to = $7, episode_baseline_avg = $8, last_change_pct = $9 WHERE workspace_id = $1 AND account_id = $2`,
      [ws, accountId, e.seq, e.kind, e.episodeId, e.baselineFrom, e.baselineTo, e.baselineAvg, trendPct]);
  }

  /** Known users' last arrival (wall clock), for inactivity. */
  async lastReceivedAt(m: EntityManager, ws: string, userId: string): Promise<Date | undefined> {
    const [ua] = await m.query(`SELECT last_received_at FROM user_activity WHERE workspace_id = $1 AND user_id = $2`,
      [ws, userId]) as Array<{ last_received_at: Date }>;
    return ua && new Date(ua.last_received_at);
  }

  // ---------------------------------------------------------------- read API

  async stateView(m: EntityManager, ws: string, accountId: string): Promise<UsageStateView | undefined> {
    const [state] = await m.query(`SELECT ${STATE_COLUMNS}, last_change_pct::float8 AS last_change_pct FROM account_usage_state
      WHERE workspace_id = $1 AND account_id = $2`, [ws, accountId]) as UsageStateView[];
    return state;
  }

  dailySeries(m: EntityManager, ws: string, accountId: string, from: Day, to: Day)
    : Promise<Array<{ day: string; events: number; activeUsers: number }>> {
    return m.query(`SELECT day::text AS day, events, active_users AS "activeUsers" FROM usage_daily
      WHERE workspace_id = $1 AND account_id = $2 AND day BETWEEN $3 AND $4`, [ws, accountId, from, to]);
  }

  /** Distinct users on `to`, in the 7 and 30 days up to it, and in [from, to]. */
  async activeUsers(m: EntityManager, ws: string, accountId: string, from: Day, to: Day)
    : Promise<{ dau: number; wau: number; mau: number; in_range: number }> {
    const [users] = await m.query(
      `SELECT count(DISTINCT user_id) FILTER (WHERE day = $4::date)::int AS dau,
              count(DISTINCT user_id) FILTER (WHERE day > $4::date - 7)::int AS wau,
              count(DISTINCT user_id) FILTER (WHERE day > $4::date - 30)::int AS mau,
              count(DISTINCT user_id) FILTER (WHERE day >= $3::date)::int AS in_range
         FROM usage_daily_user WHERE workspace_id = $1 AND account_id = $2 AND day BETWEEN LEAST($3::date, $4::date - 29) AND $4::date`,
      [ws, accountId, from, to]);
    return users;
  }

  featureUse(m: EntityManager, ws: string, accountId: string, from: Day, to: Day)
    : Promise<Array<{ feature: string; events: number; activeDays: number; lastUsedDay: string }>> {
    return m.query(
      `SELECT feature, sum(events)::int AS events, count(*)::int AS "activeDays", max(day)::text AS "lastUsedDay"
         FROM usage_daily_feature WHERE workspace_id = $1 AND account_id = $2 AND day BETWEEN $3 AND $4
        GROUP BY feature ORDER BY sum(events) DESC, feature`, [ws, accountId, from, to]);
  }

  /** Distinct features used in the 30 days up to `to`. */
  async featuresUsed30d(m: EntityManager, ws: string, accountId: string, to: Day): Promise<number> {
    const [adoption] = await m.query(
      `SELECT count(DISTINCT feature)::int AS n FROM usage_daily_feature
        WHERE workspace_id = $1 AND account_id = $2 AND day BETWEEN $3::date - 29 AND $3::date`,
      [ws, accountId, to]) as Array<{ n: number }>;
    return adoption.n;
  }

  async featureFirstAt(m: EntityManager, ws: string, accountId: string, feature: string): Promise<Date | null> {
    const [value] = await m.query(
      `SELECT first_at FROM account_feature_first WHERE workspace_id = $1 AND account_id = $2 AND feature = $3`,
      [ws, accountId, feature]) as Array<{ first_at: Date }>;
    return value ? new Date(value.first_at) : null;
  }
}
