import { RepeatingJob, withAdvisoryLock } from '@cairn/runtime';
import { createLogger } from '@cairn/observability';
import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ScorecardsService } from '../scorecards/scorecards.service';
import { SignalStore } from '../signals/signal.store';
import { Clock } from '@cairn/runtime';
import { HealthConfig } from '../config';
import { HealthScoringService } from './health-scoring.service';

export interface RecomputeReport {
  runId: string;
  asOf: string;
  accounts: number;
  scored: number;
  changed: number;
  ms: number;
}

/** Accounts per transaction: big enough for set-based statements to pay, small enough to hold few locks. */
const PAGE = 1000;
/** Pages in flight: one is being scored in Node while Postgres writes the other. */
const CONCURRENCY = 2;

/**
 * Full recompute of every account of a workspace (after a scorecard change, or on a schedule so
 * day-based measures move even without signals). The account list is read once; pages of it are
 * rescored set-based (HealthScoringService.rescoreMany), one transaction per page under the
 * pages' account locks, two pages at a time; each changed account publishes health.changed with
 * the run as its cause.
 */
@Injectable()
export class HealthRecomputeService {
  private readonly log = createLogger('health-recompute');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly store: SignalStore,
    private readonly scorecards: ScorecardsService,
    private readonly scoring: HealthScoringService,
    private readonly clock: Clock,
  ) {}

  async recomputeWorkspace(workspaceId: string, reason: string): Promise<RecomputeReport> {
    const started = Date.now();
    const asOf = this.clock.now();
    const runId = randomUUID();
    const cause = { eventId: runId, type: 'health.recompute', summary: reason };
    const report: RecomputeReport = { runId, asOf: asOf.toISOString(), accounts: 0, scored: 0, changed: 0, ms: 0 };
    const accounts = await this.store.allAccountIds(this.db.manager, workspaceId);
    const candidates = await this.scorecards.activeScorecards(this.db.manager, workspaceId);
    let next = 0;
    const worker = async () => {
      while (next < accounts.length) {
        const page = accounts.slice(next, next += PAGE);
        const tally = await this.db.transaction(async (m) => {
          await this.store.lockAccounts(m, workspaceId, page);
          return this.scoring.rescoreMany(m, workspaceId, page, cause, asOf, candidates);
        });
        report.accounts += page.length;
        report.scored += tally.scored;
        report.changed += tally.changed;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    report.ms = Date.now() - started;
    this.log.info({ workspaceId, ...report }, 'full recompute done');
    return report;
  }

  async recomputeAll(reason: string): Promise<RecomputeReport[]> {
    const reports: RecomputeReport[] = [];
    for (const ws of await this.store.workspaceIds(this.db.manager)) reports.push(await this.recomputeWorkspace(ws, reason));
    return reports;
  }
}

/** Runs the full recompute every HEALTH_RECOMPUTE_INTERVAL_MINUTES, on one instance at a time. */
@Injectable()
export class HealthRecomputeSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly job = new RepeatingJob('health-recompute', this.config.HEALTH_RECOMPUTE_INTERVAL_MINUTES * 60_000,
    () => withAdvisoryLock(this.db, 'cairn-health-recompute', false, () => this.recompute.recomputeAll('scheduled full recompute')));

  constructor(
    private readonly config: HealthConfig,
    @InjectDataSource() private readonly db: DataSource,
    private readonly recompute: HealthRecomputeService,
  ) {}

  onApplicationBootstrap(): void {
    this.job.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }
}
