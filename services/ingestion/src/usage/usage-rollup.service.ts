import { OutboxWriter } from '@cairn/messaging';
import { deterministicUuid, NewEvent, Topics, UsageDroppedV1, UsageEventV1, UsageRecoveredV1, UsageSummaryV1 } from '@cairn/contracts';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { addDays, Day } from '../domain/days';
import {
  Activity, accountKey, activityOf, aggregateChunk, callsByAccount, ChunkRollups, creditedActivities, DayAdvance, dayAdvances,
  returningUsers, unattributedRows, userKey, valueReachedBy,
} from '../domain/usage-batch';
import { UsageComparison, UsageDropDetector } from '../domain/usage-drop-detector';
import { DirectoryStore } from '../directory/directory.store';
import { DetectionSettings } from './detection-settings';
import { DetectionSettingsService } from './detection-settings.service';
import { openEpisode, UsageState, UsageStore } from './usage.store';

/** A person back after this long away may be ending an inactivity departure. */
const RETURN_GAP_MS = 24 * 3600_000;

const NO_EPISODE = {
  episode_kind: null, episode_id: null, episode_baseline_from: null, episode_baseline_to: null, episode_baseline_avg: null,
} satisfies Partial<UsageState>;

/** An account's summary to publish: as of `asOf`; `live` = the current figures (not a closed day's). */
interface SummaryRequest { state: UsageState; asOf: Day; trend?: number; lastEventAt: Date; valueEvent: string | null; live?: boolean }

/** An activity call (track/page/screen) of a consumed chunk, with its workspace. */
export interface ActivityCall {
  ws: string;
  call: UsageEventV1;
}

/**
 * The consumer side of usage: rollups per account, user and feature per day (event time), and
 * usage-drop detection when an account's newest event day advances. Works a consumed chunk at a
 * time, inside the consumer's transaction: calls are folded in memory (domain/usage-batch), each
 * table gets one multi-row upsert (UsageStore, rows in key order), and detection runs once per
 * account and advanced day. All events go through the outbox.
 */
@Injectable()
export class UsageRollupService {
  constructor(
    private readonly outbox: OutboxWriter,
    private readonly store: UsageStore,
    private readonly directory: DirectoryStore,
    private readonly settings: DetectionSettingsService,
  ) {}

  async recordActivities(m: EntityManager, input: readonly ActivityCall[]): Promise<void> {
    if (input.length === 0) return;
    const calls = input.map(({ ws, call }) => activityOf(ws, call));
    await this.resolveAccounts(m, calls);
    const r = aggregateChunk(calls);
    await this.store.stashUnattributed(m, unattributedRows(calls));

    // Users: activity (for inactive-champion detection), and those back after a long absence.
    const previous = await this.store.recordUserActivity(m, r.users);
    const back = returningUsers(calls, new Map(previous.map((p) => [userKey(p.ws, p.user), p.lastReceivedAt.getTime()])), RETURN_GAP_MS);
    await this.directory.endInactivityDepartures(m, back);
    await this.rollUpAccounts(m, calls, r);
  }

  /**
   * A group (or identify with a groupId, or alias) call may have just put `userId` into an
   * account: the usage of theirs that named no account and found them in none is credited to it
   * now, if it is their only account. The stash rows are deleted as they are credited, in the same
   * transaction: exactly once. The user's lock orders this against a chunk stashing their calls.
   */
  async creditUnattributed(m: EntityManager, ws: string, userId: string): Promise<void> {
    await this.store.lockUsers(m, [{ ws, user: userId }]);
    const [sole] = await this.directory.soleAccounts(m, [{ ws, user: userId }]);
    if (!sole) return;
    const rows = await this.store.takeUnattributed(m, ws, userId);
    if (rows.length === 0) return;
    const credited = creditedActivities(rows, sole.accountId);
    await this.rollUpAccounts(m, credited, aggregateChunk(credited));
  }

  /** The account side of a chunk: rollups, detection state, verdicts and the summaries that follow. */
  private async rollUpAccounts(m: EntityManager, calls: Activity[], r: ChunkRollups): Promise<void> {
    if (r.accounts.length === 0) return;
    const states = await this.store.recordRollups(m, r);

    const byAccount = callsByAccount(calls);
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

    // Whatever the chunk moved (a new user, a feature, the last activity), one summary per account
    // says so now, as of its newest day: health and playbooks never wait for a day to close.
    const current = await Promise.all(states.map(async (state): Promise<SummaryRequest> => ({
      state, asOf: state.latest_day, lastEventAt: new Date(state.last_event_at), live: true,
      ...(state.last_change_pct !== null && state.last_change_pct !== undefined ? { trend: Number(state.last_change_pct) } : {}),
      valueEvent: (await settingsOf(state.workspace_id)).valueEvent,
    })));
    await this.outbox.publishAll(m, Topics.usageSummary, await this.summaryEvents(m, current));
  }

  /** Calls that name no account count for the one account their user belongs to, if exactly one. */
  private async resolveAccounts(m: EntityManager, calls: Activity[]): Promise<void> {
    const pending = new Map<string, { ws: string; user: string }>();
    for (const c of calls) if (c.accountId === undefined && c.identified) pending.set(userKey(c.ws, c.user), { ws: c.ws, user: c.user });
    if (pending.size === 0) return;
    const sole = new Map((await this.directory.soleAccounts(m, [...pending.values()])).map((r) => [userKey(r.ws, r.user), r.accountId]));
    // Users in no single account: their calls are stashed for late attribution. Under the users'
    // locks, look once more: a group call committed meanwhile has credited nothing of this chunk.
    const rest = [...pending.values()].filter((x) => !sole.has(userKey(x.ws, x.user)));
    if (rest.length) {
      await this.store.lockUsers(m, rest);
      for (const r of await this.directory.soleAccounts(m, rest)) sole.set(userKey(r.ws, r.user), r.accountId);
    }
    for (const c of calls) if (c.accountId === undefined && c.identified) c.accountId = sole.get(userKey(c.ws, c.user));
  }

  private async endSilence(m: EntityManager, state: UsageState, day: Day): Promise<void> {
    const episode = openEpisode(state)!;
    const today = await this.store.eventsOn(m, state.workspace_id, state.account_id, day);
    const comparison = new UsageDropDetector().resumedAfterSilence(episode, day, today ?? 1);
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
    const rows = await this.store.dailyCounts(m, plans.map((p) => ({ ws: p.state.workspace_id, accountId: p.state.account_id, from: p.from, to: p.to })));
    const counts = new Map<string, Map<string, number>>();
    for (const r of rows) {
      const k = accountKey(r.ws, r.accountId);
      if (!counts.has(k)) counts.set(k, new Map());
      counts.get(k)!.set(r.day, r.events);
    }

    const dropped: NewEvent<UsageDroppedV1>[] = [];
    const recovered: NewEvent<UsageRecoveredV1>[] = [];
    const judged: SummaryRequest[] = [];
    const finalTrend = new Map<UsageState, number>();
    for (const { state, advances, settings, detector } of plans) {
      const ws = state.workspace_id;
      const daily = counts.get(accountKey(ws, state.account_id)) ?? new Map<string, number>();
      for (const { day, lastEventAt } of advances) {
        const verdict = detector.evaluate({ day, firstDay: state.first_day, events: (d) => daily.get(d) ?? 0, episode: openEpisode(state) });
        let trend: number | undefined;
        if (verdict.kind === 'dropped') {
          const seq = state.episode_seq + 1;
          const episodeId = deterministicUuid(ws, 'usage-episode', state.account_id, seq);
          dropped.push({
            id: deterministicUuid(ws, 'usage-dropped', state.account_id, seq), workspaceId: ws, accountId: state.account_id,
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
        if (trend !== undefined) {
          finalTrend.set(state, trend);
          state.last_change_pct = trend;
        }
        judged.push({ state: { ...state }, asOf: addDays(day, -1), trend, lastEventAt: new Date(lastEventAt), valueEvent: settings.valueEvent });
      }
    }

    await this.store.saveJudged(m, plans.map((p) => ({ state: p.state, trend: finalTrend.get(p.state) ?? null })));

    const summaries = await this.summaryEvents(m, judged);
    // Summaries first: what the account looked like up to a day goes out before the verdict on it.
    await this.outbox.publishAll(m, Topics.usageSummary, summaries);
    await this.outbox.publishAll(m, Topics.usageDropped, dropped);
    await this.outbox.publishAll(m, Topics.usageRecovered, recovered);
  }

  /**
   * Summary events of accounts as of a day each — what health scores from: active users (7 and 30
   * days), adoption breadth, last activity, trend, first activity and first value (time to first
   * value). A day-close summary's id is its day (one per account and day); a current one's is its
   * content, so an account whose figures did not move says nothing new.
   */
  private async summaryEvents(m: EntityManager, asks: ReadonlyArray<SummaryRequest>): Promise<NewEvent<UsageSummaryV1>[]> {
    if (asks.length === 0) return [];
    const figures = await this.store.summaryFigures(m,
      asks.map((j) => ({ ws: j.state.workspace_id, accountId: j.state.account_id, asOf: j.asOf, valueEvent: j.valueEvent })));
    return asks.map((j, i): NewEvent<UsageSummaryV1> => {
      const f = figures[i];
      const firstValueAt = valueReachedBy(f.valueAt, j.asOf);
      const data: UsageSummaryV1 = {
        asOf: j.asOf,
        activeUsers7d: f.activeUsers7d,
        activeUsers30d: f.activeUsers30d,
        featuresUsed30d: f.featuresUsed30d,
        lastActivityAt: j.lastEventAt.toISOString(),
        ...(j.trend !== undefined ? { usageTrendPct: j.trend } : {}),
        ...(j.state.first_event_at ? { firstActivityAt: new Date(j.state.first_event_at).toISOString() } : {}),
        ...(firstValueAt ? { firstValueAt: firstValueAt.toISOString() } : {}),
        ...(j.live ? { current: true } : {}),
      };
      const ws = j.state.workspace_id;
      return {
        id: j.live ? deterministicUuid(ws, 'usage-summary-current', j.state.account_id, JSON.stringify(data))
          : deterministicUuid(ws, 'usage-summary', j.state.account_id, j.asOf),
        workspaceId: ws, accountId: j.state.account_id, data,
      };
    });
  }

  private recoveredEvent(state: UsageState, comparison: UsageComparison): NewEvent<UsageRecoveredV1> {
    return {
      id: deterministicUuid(state.workspace_id, 'usage-recovered', state.account_id, state.episode_seq),
      workspaceId: state.workspace_id, accountId: state.account_id,
      data: { ...comparison, episodeId: state.episode_id! },
    };
  }

  /** Ends the open episode (in the database and in `state`) and says so once. */
  private async publishRecovered(m: EntityManager, state: UsageState, comparison: UsageComparison): Promise<void> {
    await this.outbox.publish(m, Topics.usageRecovered, this.recoveredEvent(state, comparison));
    await this.store.endEpisode(m, state.workspace_id, state.account_id);
    Object.assign(state, NO_EPISODE);
  }
}
