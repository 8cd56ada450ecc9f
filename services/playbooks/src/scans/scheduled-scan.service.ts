import { EventEnvelope, TaskPriority, Topics } from '@cairn/contracts';
import { createLogger } from '@cairn/observability';
import { OutboxWriter } from '@cairn/persistence';
import { RepeatingJob, withAdvisoryLock } from '@cairn/runtime';
import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Cause } from '../domain/evaluation';
import { deterministicUuid } from '../domain/ids';
import { ONBOARDING_STALLED, onboardingStall, overdueTask } from '../domain/scheduled-signals';
import { PlaybooksService } from '../playbooks/playbooks.service';
import { PlaybooksConfig } from '../config';
import { PlaybookRunner } from '../triggers/playbook-runner.service';
import { Clock } from '@cairn/runtime';

const BATCH = 200;

export interface ScanResult {
  overdueTasks: number;
  stalledOnboardings: number;
}

interface TaskRow {
  workspace_id: string;
  id: string;
  account_id: string;
  playbook_id: string;
  title: string;
  priority: TaskPriority;
  assignee: string | null;
  status: 'open' | 'in_progress';
  due_at: Date;
  created_at: Date;
  cause: Cause;
}

interface AccountRow {
  workspace_id: string;
  account_id: string;
  first_activity_at: Date;
  first_value_at: Date | null;
  last_activity_at: Date | null;
  tracks_value: boolean;
}

/** Some account of the workspace reached its value event: the workspace has one, and it works. */
const TRACKS_VALUE = `EXISTS (SELECT 1 FROM account v WHERE v.workspace_id = a.workspace_id AND v.first_value_at IS NOT NULL)`;

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
      const due: { workspace_id: string; id: string }[] = await this.db.query(
        `SELECT workspace_id, id FROM task WHERE overdue_at IS NULL AND status IN ('open', 'in_progress') AND due_at <= $1
          ORDER BY due_at LIMIT ${BATCH}`, [now]);
      for (const t of due) if (await this.markOverdue(t.workspace_id, t.id, now)) found++;
      if (due.length < BATCH) return found;
    }
  }

  /** Claims the task (overdue_at) and publishes task-overdue in one transaction; false when someone else did, or it closed. */
  private markOverdue(workspaceId: string, taskId: string, now: Date): Promise<boolean> {
    return this.db.transaction(async (m) => {
      const [rows]: [TaskRow[], number] = await m.query(
        `UPDATE task SET overdue_at = $3
          WHERE workspace_id = $1 AND id = $2 AND overdue_at IS NULL AND status IN ('open', 'in_progress') AND due_at <= $3
          RETURNING workspace_id, id, account_id, playbook_id, title, priority, assignee, status, due_at, created_at, cause`,
        [workspaceId, taskId, now]);
      const t = rows[0];
      if (!t) return false;
      const overdue = overdueTask({ title: t.title, accountId: t.account_id, assignee: t.assignee, status: t.status, dueAt: new Date(t.due_at) }, now);
      // The UPDATE's own conditions make this unreachable; the domain check keeps the rule in one place.
      if (!overdue) throw new Error(`task ${t.id} claimed as overdue but not overdue as of ${now.toISOString()}`);
      await this.outbox.publish(m, Topics.taskOverdue, {
        id: deterministicUuid('event', 'task-overdue', workspaceId, taskId),
        workspaceId, accountId: t.account_id, time: now,
        data: {
          taskId: t.id, playbookId: t.playbook_id, title: t.title, priority: t.priority, ...(t.assignee ? { assignee: t.assignee } : {}),
          status: t.status, dueAt: new Date(t.due_at).toISOString(), createdAt: new Date(t.created_at).toISOString(),
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
      const candidates: AccountRow[] = await this.db.query(
        `SELECT a.workspace_id, a.account_id, a.first_activity_at FROM account a
          WHERE a.first_value_at IS NULL AND a.onboarding_stalled_at IS NULL AND a.first_activity_at > $3
            AND a.first_activity_at <= $1::timestamptz - make_interval(days => $2) AND ${TRACKS_VALUE}
          ORDER BY a.first_activity_at LIMIT ${BATCH}`, [now, stallDays, after]);
      for (const c of candidates) if (await this.signalStall(c.workspace_id, c.account_id, now, stallDays)) found++;
      if (candidates.length < BATCH) return found;
      after = new Date(candidates[candidates.length - 1].first_activity_at);
    }
  }

  /** Claims the account (onboarding_stalled_at) and runs the onboarding.stalled signal through its playbooks, in one transaction. */
  private signalStall(workspaceId: string, accountId: string, now: Date, stallDays: number): Promise<boolean> {
    return this.db.transaction(async (m) => {
      const [a]: AccountRow[] = await m.query(
        `SELECT a.workspace_id, a.account_id, a.first_activity_at, a.first_value_at, a.last_activity_at, ${TRACKS_VALUE} AS tracks_value
           FROM account a WHERE a.workspace_id = $1 AND a.account_id = $2 AND a.onboarding_stalled_at IS NULL FOR UPDATE`, [workspaceId, accountId]);
      if (!a?.first_activity_at) return false;
      const stall = onboardingStall({
        firstActivityAt: new Date(a.first_activity_at), firstValueAt: a.first_value_at && new Date(a.first_value_at),
        lastActivityAt: a.last_activity_at && new Date(a.last_activity_at), workspaceTracksValue: a.tracks_value,
      }, now, stallDays);
      if (!stall) return false;
      await m.query(`UPDATE account SET onboarding_stalled_at = $3 WHERE workspace_id = $1 AND account_id = $2`, [workspaceId, accountId, now]);
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
