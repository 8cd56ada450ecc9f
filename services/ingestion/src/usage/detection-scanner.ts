import { Topics } from '@cairn/contracts';
import { createLogger } from '@cairn/observability';
import { OutboxWriter } from '@cairn/persistence';
import { RepeatingJob, withAdvisoryLock } from '@cairn/runtime';
import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { IngestionConfig } from '../config';
import { departureFromInactivity } from '../domain/champion-departure';
import { addDays, utcDay } from '../domain/days';
import { deterministicId } from '../domain/ids';
import { UsageDropDetector } from '../domain/usage-drop-detector';
import { DirectoryService, MembershipRow } from '../directory/directory.service';
import { Clock } from '@cairn/runtime';
import { DetectionSettingsService } from './detection-settings.service';
import { STATE_COLUMNS, UsageState } from './usage.service';

const BATCH = 500;

export interface ScanResult {
  silences: number;
  inactiveDepartures: number;
}

/**
 * Wall-clock detection, on a schedule: accounts that went silent, and champions or decision
 * makers inactive for too long. One instance scans at a time (advisory lock); each finding is
 * its own transaction, re-checked under a row lock, and its event has a deterministic id.
 */
@Injectable()
export class DetectionScanner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = createLogger('detection-scan');
  private readonly job = new RepeatingJob('detection-scan', this.config.INGESTION_SCAN_INTERVAL_MS,
    () => this.scan(this.clock.now(), { wait: false }));

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly directory: DirectoryService,
    private readonly settings: DetectionSettingsService,
    private readonly clock: Clock,
    private readonly config: IngestionConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.job.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }

  /** Runs every scan as of `now`. With wait=false it gives way when another instance is scanning. */
  async scan(now: Date, options: { wait?: boolean } = {}): Promise<ScanResult | undefined> {
    return withAdvisoryLock(this.db, 'cairn-ingestion-detection-scan', options.wait !== false, async () => {
      const result = { silences: await this.scanSilence(now), inactiveDepartures: await this.scanInactiveKeyContacts(now) };
      if (result.silences || result.inactiveDepartures) this.log.info({ ...result, asOf: now.toISOString() }, 'detection scan');
      return result;
    });
  }

  private async scanSilence(now: Date): Promise<number> {
    const candidates = await this.db.query(
      `SELECT s.workspace_id, s.account_id FROM account_usage_state s
         LEFT JOIN detection_settings d ON d.workspace_id = s.workspace_id
        WHERE s.episode_kind IS NULL
          AND s.last_received_at < $1::timestamptz - make_interval(days => COALESCE(d.window_days, 7))
          AND s.silence_checked_at IS DISTINCT FROM s.last_received_at
        LIMIT ${BATCH}`, [now]) as Array<{ workspace_id: string; account_id: string }>;
    let found = 0;
    for (const c of candidates) {
      const signalled = await this.db.transaction(async (m) => {
        const [s] = await m.query(`SELECT ${STATE_COLUMNS} FROM account_usage_state WHERE workspace_id = $1 AND account_id = $2 FOR UPDATE`,
          [c.workspace_id, c.account_id]) as UsageState[];
        if (!s || s.episode_kind) return false;
        const settings = await this.settings.get(s.workspace_id, m);
        const detector = new UsageDropDetector(settings);
        const rows = await m.query(
          `SELECT day::text AS day, events FROM usage_daily WHERE workspace_id = $1 AND account_id = $2 AND day BETWEEN $3 AND $4`,
          [s.workspace_id, s.account_id, addDays(s.latest_day, -settings.baselineDays + 1), s.latest_day]) as Array<{ day: string; events: number }>;
        const counts = new Map(rows.map((r) => [r.day, r.events]));
        const verdict = detector.silence({
          today: utcDay(now), lastActiveDay: s.latest_day, lastReceivedDay: utcDay(s.last_received_at), firstDay: s.first_day,
          events: (d) => counts.get(d) ?? 0, inEpisode: false,
        });
        if (verdict.kind !== 'silent') {
          // Too small or too new to judge: not again until it sends something.
          if (verdict.kind !== 'not-silent') {
            await m.query(`UPDATE account_usage_state SET silence_checked_at = last_received_at WHERE workspace_id = $1 AND account_id = $2`,
              [s.workspace_id, s.account_id]);
          }
          return false;
        }
        const seq = s.episode_seq + 1;
        const episodeId = deterministicId(s.workspace_id, 'usage-episode', s.account_id, seq);
        await this.outbox.publish(m, Topics.usageDropped, {
          id: deterministicId(s.workspace_id, 'usage-dropped', s.account_id, seq),
          workspaceId: s.workspace_id, accountId: s.account_id,
          data: { ...verdict.comparison, thresholdPct: verdict.thresholdPct, kind: 'silence', episodeId },
        });
        await m.query(
          `UPDATE account_usage_state SET episode_seq = $3, episode_kind = 'silence', episode_id = $4, episode_baseline_from = $5,
             episode_baseline_to = $6, episode_baseline_avg = $7, last_change_pct = -100 WHERE workspace_id = $1 AND account_id = $2`,
          [s.workspace_id, s.account_id, seq, episodeId, verdict.comparison.baselineWindow.from, verdict.comparison.baselineWindow.to,
            verdict.comparison.baselineDailyAvg]);
        return true;
      });
      if (signalled) found++;
    }
    return found;
  }

  /** Champions and decision makers whose last product activity (wall clock) is older than the workspace allows. */
  private async scanInactiveKeyContacts(now: Date): Promise<number> {
    const candidates = await this.db.query(
      `SELECT mb.workspace_id, mb.account_id, mb.contact_id FROM membership mb
         JOIN user_activity ua ON ua.workspace_id = mb.workspace_id AND ua.user_id = mb.contact_id
         LEFT JOIN detection_settings d ON d.workspace_id = mb.workspace_id
        WHERE mb.role IN ('champion', 'decision_maker') AND mb.removed_at IS NULL AND mb.departed_at IS NULL
          AND ua.last_received_at < $1::timestamptz - make_interval(days => COALESCE(d.champion_inactive_days, 30))
        LIMIT ${BATCH}`, [now]) as Array<{ workspace_id: string; account_id: string; contact_id: string }>;
    let found = 0;
    for (const c of candidates) {
      const signalled = await this.db.transaction(async (m) => {
        const [mb] = await m.query(
          `SELECT * FROM membership WHERE workspace_id = $1 AND account_id = $2 AND contact_id = $3 FOR UPDATE`,
          [c.workspace_id, c.account_id, c.contact_id]) as MembershipRow[];
        if (!mb || mb.removed_at || mb.departed_at || !['champion', 'decision_maker'].includes(mb.role ?? '')) return false;
        const [ua] = await m.query(`SELECT last_received_at FROM user_activity WHERE workspace_id = $1 AND user_id = $2`,
          [c.workspace_id, c.contact_id]) as Array<{ last_received_at: Date }>;
        const settings = await this.settings.get(c.workspace_id, m);
        const signal = ua && departureFromInactivity(new Date(ua.last_received_at), now, settings.championInactiveDays);
        if (!signal) return false;
        await this.directory.depart(m, mb, signal, now);
        return true;
      });
      if (signalled) found++;
    }
    return found;
  }
}
