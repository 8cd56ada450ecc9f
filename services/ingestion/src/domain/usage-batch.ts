import { UsageEventV1 } from '@cairn/contracts';
import { Day, utcDay } from './days';

/**
 * A chunk of consumed activity calls (track/page/screen) turned into the few set-based writes
 * the rollups need: everything is counted in memory first, so each table gets one multi-row
 * upsert per chunk, with at most one row per key.
 */

/** One activity call, in consumption order. */
export interface Activity {
  ws: string;
  /** userId ?? anonymousId: the key of user_activity and of the per-user rollup. */
  user: string;
  /** Only a known user (userId) can end an inactivity departure by coming back. */
  identified: boolean;
  /** Event time and arrival time, epoch ms. */
  at: number;
  receivedAt: number;
  day: Day;
  /** Feature of a track call (its event name). */
  feature?: string;
  /** Resolved account; calls without one only count towards user_activity. */
  accountId?: string;
  /**
   * Calls this entry stands for (default 1): usage credited late (see unattributedRows) comes
   * back as one entry per user, day and feature, `at` its first call and `lastAt` its last.
   */
  count?: number;
  lastAt?: number;
}

/**
 * What an activity call (track/page/screen) counts as: its user is userId, else anonymousId
 * (only a userId is a known person); its day is the UTC day of its event time; a track call
 * with an event name uses that feature; its account is the groupId it names, if any.
 */
export function activityOf(ws: string, call: UsageEventV1): Activity {
  const at = Date.parse(call.timestamp);
  return {
    ws, user: call.userId ?? call.anonymousId!, identified: call.userId !== undefined, at, receivedAt: Date.parse(call.receivedAt),
    day: utcDay(at), ...(call.callType === 'track' && call.event ? { feature: call.event } : {}), accountId: call.groupId,
  };
}

export interface UserActivityRow { ws: string; user: string; firstAt: number; lastAt: number; lastReceivedAt: number; events: number }
export interface DailyUserRow { ws: string; accountId: string; day: Day; user: string; events: number }
export interface DailyRow { ws: string; accountId: string; day: Day; events: number }
export interface DailyFeatureRow { ws: string; accountId: string; day: Day; feature: string; events: number }
export interface FeatureFirstRow { ws: string; accountId: string; feature: string; firstAt: number }
export interface AccountRow {
  ws: string;
  accountId: string;
  /** Earliest event day (first_day), and the day of the account's first call in this chunk (latest_day of a new state row). */
  minDay: Day;
  firstDayInOrder: Day;
  firstAt: number;
  lastAt: number;
  lastReceivedAt: number;
}

export interface ChunkRollups {
  users: UserActivityRow[];
  dailyUsers: DailyUserRow[];
  daily: DailyRow[];
  features: DailyFeatureRow[];
  featureFirst: FeatureFirstRow[];
  accounts: AccountRow[];
}

const SEP = '\u0000';
const key = (...parts: string[]) => parts.join(SEP);
/** Primary-key order, so concurrent transactions take row locks in the same order (no deadlocks). */
const byKey = <T>(rows: Map<string, T>): T[] => [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);

export function aggregateChunk(calls: readonly Activity[]): ChunkRollups {
  const users = new Map<string, UserActivityRow>();
  const dailyUsers = new Map<string, DailyUserRow>();
  const daily = new Map<string, DailyRow>();
  const features = new Map<string, DailyFeatureRow>();
  const featureFirst = new Map<string, FeatureFirstRow>();
  const accounts = new Map<string, AccountRow>();
  for (const c of calls) {
    const n = c.count ?? 1;
    const last = c.lastAt ?? c.at;
    const u = users.get(key(c.ws, c.user));
    if (u) {
      u.firstAt = Math.min(u.firstAt, c.at);
      u.lastAt = Math.max(u.lastAt, last);
      u.lastReceivedAt = Math.max(u.lastReceivedAt, c.receivedAt);
      u.events += n;
    } else {
      users.set(key(c.ws, c.user), { ws: c.ws, user: c.user, firstAt: c.at, lastAt: last, lastReceivedAt: c.receivedAt, events: n });
    }
    if (c.accountId === undefined) continue;
    const { ws, accountId, day } = c;
    const du = dailyUsers.get(key(ws, accountId, day, c.user));
    if (du) du.events += n;
    else dailyUsers.set(key(ws, accountId, day, c.user), { ws, accountId, day, user: c.user, events: n });
    const d = daily.get(key(ws, accountId, day));
    if (d) d.events += n;
    else daily.set(key(ws, accountId, day), { ws, accountId, day, events: n });
    if (c.feature !== undefined) {
      const f = features.get(key(ws, accountId, day, c.feature));
      if (f) f.events += n;
      else features.set(key(ws, accountId, day, c.feature), { ws, accountId, day, feature: c.feature, events: n });
      const ff = featureFirst.get(key(ws, accountId, c.feature));
      if (ff) ff.firstAt = Math.min(ff.firstAt, c.at);
      else featureFirst.set(key(ws, accountId, c.feature), { ws, accountId, feature: c.feature, firstAt: c.at });
    }
    const a = accounts.get(key(ws, accountId));
    if (a) {
      if (day < a.minDay) a.minDay = day;
      a.firstAt = Math.min(a.firstAt, c.at);
      a.lastAt = Math.max(a.lastAt, last);
      a.lastReceivedAt = Math.max(a.lastReceivedAt, c.receivedAt);
    } else {
      accounts.set(key(ws, accountId), { ws, accountId, minDay: day, firstDayInOrder: day, firstAt: c.at, lastAt: last, lastReceivedAt: c.receivedAt });
    }
  }
  return {
    users: byKey(users), dailyUsers: byKey(dailyUsers), daily: byKey(daily), features: byKey(features),
    featureFirst: byKey(featureFirst), accounts: byKey(accounts),
  };
}

/**
 * Known users who came back after more than `gapMs` without any call (arrival time), judged
 * call by call in order as if each had been consumed alone: `previous` is the user's
 * last_received_at before the chunk.
 */
export function returningUsers(calls: readonly Activity[], previous: ReadonlyMap<string, number>, gapMs: number): Array<{ ws: string; user: string }> {
  const last = new Map<string, number | undefined>();
  const back = new Map<string, { ws: string; user: string }>();
  for (const c of calls) {
    const k = key(c.ws, c.user);
    const before = last.has(k) ? last.get(k) : previous.get(k);
    if (c.identified && before !== undefined && c.receivedAt - before > gapMs) back.set(k, { ws: c.ws, user: c.user });
    last.set(k, before === undefined ? c.receivedAt : Math.max(before, c.receivedAt));
  }
  return byKey(back);
}

/** Usage of known users that could not be attributed to an account yet, per user, day and feature. */
export interface UnattributedRow { ws: string; user: string; day: Day; feature: string; events: number; firstAt: number; lastAt: number; receivedAt: number }

/**
 * The calls of a chunk that named no account and whose user is in no single account, rolled up
 * for late attribution (`feature` '' for page and screen calls). Only known users (userId):
 * a group call names a user id, never an anonymous id.
 */
export function unattributedRows(calls: readonly Activity[]): UnattributedRow[] {
  const rows = new Map<string, UnattributedRow>();
  for (const c of calls) {
    if (c.accountId !== undefined || !c.identified) continue;
    const feature = c.feature ?? '';
    const k = key(c.ws, c.user, c.day, feature);
    const r = rows.get(k);
    const n = c.count ?? 1;
    const last = c.lastAt ?? c.at;
    if (r) {
      r.events += n;
      r.firstAt = Math.min(r.firstAt, c.at);
      r.lastAt = Math.max(r.lastAt, last);
      r.receivedAt = Math.max(r.receivedAt, c.receivedAt);
    } else {
      rows.set(k, { ws: c.ws, user: c.user, day: c.day, feature, events: n, firstAt: c.at, lastAt: last, receivedAt: c.receivedAt });
    }
  }
  return byKey(rows);
}

/** Unattributed usage credited to `accountId`, as activities in event-time order. */
export function creditedActivities(rows: readonly UnattributedRow[], accountId: string): Activity[] {
  return [...rows].sort((a, b) => a.firstAt - b.firstAt).map((r) => ({
    ws: r.ws, user: r.user, identified: true, at: r.firstAt, lastAt: r.lastAt, receivedAt: r.receivedAt, day: r.day,
    ...(r.feature !== '' ? { feature: r.feature } : {}), accountId, count: r.events,
  }));
}

export const userKey = (ws: string, user: string) => key(ws, user);
export const accountKey = (ws: string, accountId: string) => key(ws, accountId);

/** The calls that count for an account, per account (accountKey), each in consumption order. */
export function callsByAccount(calls: readonly Activity[]): Map<string, Activity[]> {
  const byAccount = new Map<string, Activity[]>();
  for (const c of calls) {
    if (c.accountId === undefined) continue;
    const k = accountKey(c.ws, c.accountId);
    const list = byAccount.get(k);
    if (list) list.push(c);
    else byAccount.set(k, [c]);
  }
  return byAccount;
}

/** A day the account's newest event day moved to, and its newest event time at that moment. */
export interface DayAdvance {
  day: Day;
  lastEventAt: number;
}

/**
 * The days an account's newest event day advanced to during the chunk, as consuming its calls
 * one at a time would have seen them: each call dated after every earlier one closes the days
 * before it. `latestDay` is the state's newest day before the chunk; `lastEventAt` its newest
 * event time (null for an account new in this chunk).
 */
export function dayAdvances(calls: ReadonlyArray<Pick<Activity, 'day' | 'at' | 'lastAt'>>, latestDay: Day, lastEventAt: number | null): DayAdvance[] {
  const out: DayAdvance[] = [];
  let latest = latestDay;
  let newest = lastEventAt ?? -Infinity;
  for (const c of calls) {
    newest = Math.max(newest, c.lastAt ?? c.at);
    if (c.day > latest) {
      latest = c.day;
      out.push({ day: c.day, lastEventAt: newest });
    }
  }
  return out;
}

/** Time to first value: from an account's first product activity to its first value event (event time). */
export function timeToFirstValue(firstActivityAt: Date | null, firstValueAt: Date | null): { seconds: number; days: number } | null {
  if (!firstActivityAt || !firstValueAt) return null;
  const seconds = Math.max(0, Math.round((firstValueAt.getTime() - firstActivityAt.getTime()) / 1000));
  return { seconds, days: Math.round((seconds / 86_400) * 10) / 10 };
}

/** The first value event as a summary as of `asOf` may report it: only once it happened on or before that day. */
export function valueReachedBy(firstValueAt: Date | null, asOf: Day): Date | null {
  return firstValueAt && utcDay(firstValueAt) <= asOf ? firstValueAt : null;
}
