import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Cause } from '../domain/evaluation';

/** What is known, before a playbook acts on a cause, of its earlier runs for the same account. */
export interface PriorRuns {
  /** The same cause was decided before (a duplicate): what it created then. */
  prior: { taskId: string | null; alertId: string | null } | null;
  /** The acted-on run whose event time is nearest to this event's, either side (what the cooldown compares with). */
  nearestActedAt: Date | null;
}

export interface NewPlaybookRun {
  workspaceId: string;
  dedupeKey: string;
  playbookId: string;
  accountId: string;
  cause: Cause;
  eventTime: Date;
  outcome: 'acted' | 'cooldown';
  taskId: string | null;
  alertId: string | null;
}

/**
 * The `playbook_run` table (the triggers feature owns it): one row per playbook and cause,
 * the once-per-cause guard, and what the cooldown looks back (and forward) at.
 */
@Injectable()
export class PlaybookRunStore {
  /** One decision at a time per playbook and account, until the transaction ends, so the cooldown check cannot race. */
  async lockDecision(m: EntityManager, workspaceId: string, playbookId: string, accountId: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`playbook-run|${workspaceId}|${playbookId}|${accountId}`]);
  }

  /** The cause's earlier run and the nearest acted-on run in time, in one round trip. */
  async priorRuns(m: EntityManager, workspaceId: string, dedupeKey: string, playbookId: string, accountId: string, eventTime: Date): Promise<PriorRuns> {
    const [seen]: { prior: boolean; task_id: string | null; alert_id: string | null; nearest: Date | null }[] = await m.query(
      `SELECT p.dedupe_key IS NOT NULL AS prior, p.task_id, p.alert_id,
              (SELECT event_time FROM playbook_run WHERE workspace_id = $1 AND playbook_id = $3 AND account_id = $4 AND outcome = 'acted'
                ORDER BY abs(extract(epoch FROM (event_time - $5::timestamptz))) LIMIT 1) AS nearest
         FROM (SELECT 1) one LEFT JOIN playbook_run p ON p.workspace_id = $1 AND p.dedupe_key = $2`,
      [workspaceId, dedupeKey, playbookId, accountId, eventTime]);
    return {
      prior: seen.prior ? { taskId: seen.task_id, alertId: seen.alert_id } : null,
      nearestActedAt: seen.nearest === null ? null : new Date(seen.nearest),
    };
  }

  /** Records the decision; false when another transaction recorded one for this cause first. */
  async claim(m: EntityManager, run: NewPlaybookRun): Promise<boolean> {
    const claimed: unknown[] = await m.query(
      `INSERT INTO playbook_run (workspace_id, dedupe_key, playbook_id, account_id, cause, event_time, outcome, task_id, alert_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING RETURNING dedupe_key`,
      [run.workspaceId, run.dedupeKey, run.playbookId, run.accountId, JSON.stringify(run.cause), run.eventTime, run.outcome, run.taskId, run.alertId]);
    return claimed.length > 0;
  }

  /** Dedupe keys of the causes a saved playbook has decided (a dry run skips them as duplicates). */
  async decidedCauses(m: EntityManager, workspaceId: string, playbookId: string): Promise<Set<string>> {
    const rows: { dedupe_key: string }[] = await m.query(`SELECT dedupe_key FROM playbook_run WHERE workspace_id = $1 AND playbook_id = $2`, [workspaceId, playbookId]);
    return new Set(rows.map((r) => r.dedupe_key));
  }
}
