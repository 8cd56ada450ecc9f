import { deterministicUuid, EventEnvelope, Topics } from '@cairn/contracts';
import { createLogger } from '@cairn/observability';
import { OutboxWriter } from '@cairn/messaging';
import { RepeatingJob, withAdvisoryLock } from '@cairn/runtime';
import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccountsService } from '../accounts/accounts.service';
import { ONBOARDING_STALLED, onboardingStall, overdueTask } from '../domain/scheduled-signals';
import { PlaybooksService } from '../playbooks/playbooks.service';
import { PlaybooksConfig } from '../config';
import { TaskStore } from '../tasks/task.store';
import { PlaybookRunner } from '../triggers/playbook-runner.service';
import { Clock } from '@cairn/runtime';

const BATCH = 200;

export interface ScanResult {
  overdueTasks: number;
  stalledOnboardings: number;
}

/**
 * What only the passing of time reveals, on a schedule (PLAYBOOKS_SCAN_INTERVAL_MS), as of
 * the injected clock: tasks past their due date (cairn.playbook.task-overdue.v1, once per
 * task) and onboardings with no value event within PLAYBOOKS_ONBOARDING_STALL_DAYS of the
 * first event (the onboarding.stalled signal, run through the playbooks, once per account), in
 * workspaces where some account reached the value event (see OnboardingFacts).
 * One instance scans at a time (advisory lock); each finding is its own transaction, claimed
 * by a guarded UPDATE, and its event or signal has a deterministic id.
 */
@Injectable()
export class ScheduledScan implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = createLogger('scheduled-scan');
  private readonly job = new RepeatingJob('scheduled-scan', this.config.PLAYBOOKS_SCAN_INTERVAL_MS,
    () => this.scan(this.clock.now(), { wait: false }));

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly runner: PlaybookRunner,
    private readonly playbooks: PlaybooksService,
    private readonly clock: Clock,
    private readonly config: PlaybooksConfig,
    private readonly tasks: TaskStore,
    private readonly accounts: AccountsService,
  ) {}

  onApplicationBootstrap(): void {
    this.job.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }

  /** Runs both scans as of `now`. With wait=false it gives way when another instance is scanning. */
  async scan(now: Date, options: { wait?: boolean } = {}): Promise<ScanResult | undefined> {
    return withAdvisoryLock(this.db, 'cairn-playbooks-scheduled-scan', options.wait !== false, async () => {
      const result = { overdueTasks: await this.scanOverdueTasks(now), stalledOnboardings: await this.scanStalledOnboardings(now) };
      if (result.overdueTasks || result.stalledOnboardings) this.log.info({ ...result, asOf: now.toISOString() }, 'scheduled scan');
      return result;
    });
  }

  private async scanOverdueTasks(now: Date): Promise<number> {
    let found = 0;
    for (;;) {
      const due = await this.tasks.dueUnflagged(this.db.manager, now, BATCH);
      for (const t of due) if (await this.markOverdue(t.workspaceId, t.id, now)) found++;
      if (due.length < BATCH) return found;
    }
  }

  /** Claims the task (overdue_at) and publishes task-overdue in one transaction; false when someone else did, or it closed. */
  private markOverdue(workspaceId: string, taskId: string, now: Date): Promise<boolean> {
    return this.db.transaction(async (m) => {
      const t = await this.tasks.claimOverdue(m, workspaceId, taskId, now);
      if (!t) return false;
      const overdue = overdueTask({ title: t.title, accountId: t.accountId, assignee: t.assignee, status: t.status, dueAt: new Date(t.dueAt) }, now);
      // The UPDATE's own conditions make this unreachable; the domain check keeps the rule in one place.
      if (!overdue) throw new Error(`task ${t.id} claimed as overdue but not overdue as of ${now.toISOString()}`);
      await this.outbox.publish(m, Topics.taskOverdue, {
        id: deterministicUuid('event', 'task-overdue', workspaceId, taskId),
        workspaceId, accountId: t.accountId, time: now,
        data: {
          taskId: t.id, playbookId: t.playbookId, title: t.title, priority: t.priority, ...(t.assignee ? { assignee: t.assignee } : {}),
          status: t.status, dueAt: new Date(t.dueAt).toISOString(), createdAt: new Date(t.createdAt).toISOString(),
          detectedAt: now.toISOString(), daysOverdue: overdue.daysOverdue, reason: overdue.reason,
          cause: { eventId: t.cause.eventId, type: t.cause.type, summary: t.cause.summary },
        },
      });
      return true;
    });
  }

  private async scanStalledOnboardings(now: Date): Promise<number> {
    const stallDays = this.config.PLAYBOOKS_ONBOARDING_STALL_DAYS;
    let found = 0;
    let after = new Date(0);
    for (;;) {
      // Keyset over first_activity_at: accounts that turn out not to be stalled stay candidates.
      const candidates = await this.accounts.stallCandidates(this.db.manager, now, stallDays, after, BATCH);
      for (const c of candidates) if (await this.signalStall(c.workspaceId, c.accountId, now, stallDays)) found++;
      if (candidates.length < BATCH) return found;
      after = new Date(candidates[candidates.length - 1].firstActivityAt);
    }
  }

  /** Claims the account (onboarding_stalled_at) and runs the onboarding.stalled signal through its playbooks, in one transaction. */
  private signalStall(workspaceId: string, accountId: string, now: Date, stallDays: number): Promise<boolean> {
    return this.db.transaction(async (m) => {
      const facts = await this.accounts.lockOnboardingFacts(m, workspaceId, accountId);
      if (!facts) return false;
      const stall = onboardingStall(facts, now, stallDays);
      if (!stall) return false;
      await this.accounts.markOnboardingStalled(m, workspaceId, accountId, now);
      await this.playbooks.ensureWorkspace(m, workspaceId);
      const signal: EventEnvelope<object> = {
        id: deterministicUuid('signal', ONBOARDING_STALLED, workspaceId, accountId, stall.data.firstActivityAt),
        type: ONBOARDING_STALLED, version: 1, time: stall.time, workspaceId, accountId, source: 'playbooks-scan', data: stall.data,
      };
      await this.runner.run(m, signal);
      return true;
    });
  }
}
