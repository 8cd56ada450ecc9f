import { TaskPriority } from '@cairn/contracts';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { columnsOf } from '../common/columns';
import { Cause } from '../domain/evaluation';

/** A task a playbook decided to create. */
export interface NewTaskRow {
  workspaceId: string;
  id: string;
  dedupeKey: string;
  accountId: string;
  playbookId: string;
  playbookVersion: number;
  title: string;
  description: string;
  priority: string;
  assignee: string | null;
  assigneeRule: string;
  dueAt: Date;
  cause: Cause;
}

/** A task the overdue scan claimed, as task-overdue describes it. */
export interface OverdueTaskRow {
  workspaceId: string;
  id: string;
  accountId: string;
  playbookId: string;
  title: string;
  priority: TaskPriority;
  assignee: string | null;
  status: 'open' | 'in_progress';
  dueAt: Date;
  createdAt: Date;
  cause: Cause;
}

const NEW_TASK_COLUMNS: (keyof NewTaskRow)[] = [
  'workspaceId', 'id', 'dedupeKey', 'accountId', 'playbookId', 'playbookVersion', 'title', 'description', 'priority', 'assignee', 'assigneeRule', 'dueAt', 'cause',
];

/** Every write to the `task` table (the tasks feature owns it); all in the caller's transaction. */
@Injectable()
export class TaskStore {
  /** One statement for a chunk of new tasks; a task already there (same dedupe key) is left as it is. */
  async insertAll(m: EntityManager, tasks: NewTaskRow[]): Promise<void> {
    if (tasks.length === 0) return;
    await m.query(
      `INSERT INTO task (workspace_id, id, dedupe_key, account_id, playbook_id, playbook_version, title, description, priority,
                         assignee, assignee_rule, due_at, cause)
       SELECT w, id, k, a, p, v, ti, d, pr, asg, r, due, c::jsonb
         FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::uuid[], $6::int[], $7::text[], $8::text[], $9::text[],
                     $10::text[], $11::text[], $12::timestamptz[], $13::text[]) AS u(w, id, k, a, p, v, ti, d, pr, asg, r, due, c)
       ON CONFLICT DO NOTHING`,
      columnsOf(tasks.map((t) => ({ ...t, cause: JSON.stringify(t.cause) })), NEW_TASK_COLUMNS));
  }

  /** Work created before the account's owner was known goes to the owner now. */
  async assignOwnerToUnassigned(m: EntityManager, workspaceId: string, accountId: string, owner: string): Promise<void> {
    await m.query(
      `UPDATE task SET assignee = $3, updated_at = now() WHERE workspace_id = $1 AND account_id = $2
         AND assignee IS NULL AND assignee_rule = 'owner' AND status IN ('open', 'in_progress')`,
      [workspaceId, accountId, owner]);
  }

  /** Up to `limit` open tasks, across workspaces, due by `now` and not yet found overdue, earliest due first. */
  dueUnflagged(m: EntityManager, now: Date, limit: number): Promise<{ workspaceId: string; id: string }[]> {
    return m.query(
      `SELECT workspace_id AS "workspaceId", id FROM task WHERE overdue_at IS NULL AND status IN ('open', 'in_progress') AND due_at <= $1
        ORDER BY due_at LIMIT $2`, [now, limit]);
  }

  /** Flags the task overdue as of `now`, unless someone else did or it closed; the task when this call flagged it. */
  async claimOverdue(m: EntityManager, workspaceId: string, taskId: string, now: Date): Promise<OverdueTaskRow | undefined> {
    const [rows]: [OverdueTaskRow[], number] = await m.query(
      `UPDATE task SET overdue_at = $3
        WHERE workspace_id = $1 AND id = $2 AND overdue_at IS NULL AND status IN ('open', 'in_progress') AND due_at <= $3
        RETURNING workspace_id AS "workspaceId", id, account_id AS "accountId", playbook_id AS "playbookId", title, priority, assignee,
                  status, due_at AS "dueAt", created_at AS "createdAt", cause`,
      [workspaceId, taskId, now]);
    return rows[0];
  }
}
