import { deterministicUuid, Topics } from '@cairn/contracts';
import { createLogger } from '@cairn/observability';
import { OutboxWriter } from '@cairn/messaging';
import { RepeatingJob, withAdvisoryLock } from '@cairn/runtime';
import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { IngestionConfig } from '../config';
import { departureFromInactivity, isKeyContact } from '../domain/champion-departure';
import { addDays, utcDay } from '../domain/days';
import { UsageDropDetector } from '../domain/usage-drop-detector';
import { DirectoryService } from '../directory/directory.service';
import { DirectoryStore } from '../directory/directory.store';
import { Clock } from '@cairn/runtime';
import { DetectionSettingsService } from './detection-settings.service';
import { UsageStore } from './usage.store';

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
    private readonly usage: UsageStore,
    private readonly directory: DirectoryService,
    private readonly directoryStore: DirectoryStore,
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
    const candidates = await this.usage.silenceCandidates(this.db.manager, now, BATCH);
    let found = 0;
    for (const c of candidates) {
      const signalled = await this.db.transaction(async (m) => {
        const s = await this.usage.lockState(m, c.ws, c.accountId);
        if (!s || s.episode_kind) return false;
        const settings = await this.settings.get(s.workspace_id, m);
        const detector = new UsageDropDetector(settings);
        const counts = await this.usage.dailyEvents(m, s.workspace_id, s.account_id, addDays(s.latest_day, -settings.baselineDays + 1), s.latest_day);
        const verdict = detector.silence({
          today: utcDay(now), lastActiveDay: s.latest_day, lastReceivedDay: utcDay(s.last_received_at), firstDay: s.first_day,
          events: (d) => counts.get(d) ?? 0, inEpisode: false,
        });
        if (verdict.kind !== 'silent') {
          // Too small or too new to judge: not again until it sends something.
          if (verdict.kind !== 'not-silent') await this.usage.markSilenceChecked(m, s.workspace_id, s.account_id);
          return false;
        }
        const seq = s.episode_seq + 1;
        const episodeId = deterministicUuid(s.workspace_id, 'usage-episode', s.account_id, seq);
        await this.outbox.publish(m, Topics.usageDropped, {
          id: deterministicUuid(s.workspace_id, 'usage-dropped', s.account_id, seq),
          workspaceId: s.workspace_id, accountId: s.account_id,
          data: { ...verdict.comparison, thresholdPct: verdict.thresholdPct, kind: 'silence', episodeId },
        });
        await this.usage.openScannedEpisode(m, s.workspace_id, s.account_id, {
          seq, kind: 'silence', episodeId, baselineFrom: verdict.comparison.baselineWindow.from,
          baselineTo: verdict.comparison.baselineWindow.to, baselineAvg: verdict.comparison.baselineDailyAvg,
        }, -100);
        return true;
      });
      if (signalled) found++;
    }
    return found;
  }

  /** Champions and decision makers whose last product activity (wall clock) is older than the workspace allows. */
  private async scanInactiveKeyContacts(now: Date): Promise<number> {
    const candidates = await this.directoryStore.inactiveKeyContactCandidates(this.db.manager, now, BATCH);
    let found = 0;
    for (const c of candidates) {
      const signalled = await this.db.transaction(async (m) => {
        const mb = await this.directoryStore.lockMembership(m, c);
        if (!mb || mb.removed_at || mb.departed_at || !isKeyContact(mb.role)) return false;
        const lastReceivedAt = await this.usage.lastReceivedAt(m, c.workspace_id, c.contact_id);
        const settings = await this.settings.get(c.workspace_id, m);
        const signal = lastReceivedAt && departureFromInactivity(lastReceivedAt, now, settings.championInactiveDays);
        if (!signal) return false;
        await this.directory.depart(m, mb, signal, now);
        return true;
      });
      if (signalled) found++;
    }
    return found;
  }
}
