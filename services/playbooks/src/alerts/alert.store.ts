import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { columnsOf } from '../common/columns';
import { Cause } from '../domain/evaluation';

/** An alert a playbook decided to raise. */
export interface NewAlertRow {
  workspaceId: string;
  id: string;
  dedupeKey: string;
  accountId: string;
  playbookId: string;
  taskId: string | null;
  severity: string;
  title: string;
  reason: string;
  recipient: string | null;
  recipientRule: string;
  cause: Cause;
  createdAt: Date;
}

const NEW_ALERT_COLUMNS: (keyof NewAlertRow)[] = [
  'workspaceId', 'id', 'dedupeKey', 'accountId', 'playbookId', 'taskId', 'severity', 'title', 'reason', 'recipient', 'recipientRule', 'cause', 'createdAt',
];

/** Writes to the `alert` table from outside the alerts feature (which owns it); all in the caller's transaction. */
@Injectable()
export class AlertStore {
  /** One statement for a chunk of new alerts; an alert already there (same dedupe key) is left as it is. */
  async insertAll(m: EntityManager, alerts: NewAlertRow[]): Promise<void> {
    if (alerts.length === 0) return;
    await m.query(
      `INSERT INTO alert (workspace_id, id, dedupe_key, account_id, playbook_id, task_id, severity, title, reason, recipient,
                          recipient_rule, cause, created_at)
       SELECT w, id, k, a, p, t, s, ti, re, rc, r, c::jsonb, at
         FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::uuid[], $6::uuid[], $7::text[], $8::text[], $9::text[],
                     $10::text[], $11::text[], $12::text[], $13::timestamptz[]) AS u(w, id, k, a, p, t, s, ti, re, rc, r, c, at)
       ON CONFLICT DO NOTHING`,
      columnsOf(alerts.map((a) => ({ ...a, cause: JSON.stringify(a.cause) })), NEW_ALERT_COLUMNS));
  }

  /** Open alerts raised before the account's owner was known are addressed to the owner now. */
  async addressOwnerToUnaddressed(m: EntityManager, workspaceId: string, accountId: string, owner: string): Promise<void> {
    await m.query(
      `UPDATE alert SET recipient = $3 WHERE workspace_id = $1 AND account_id = $2
         AND recipient IS NULL AND recipient_rule = 'owner' AND status = 'open'`,
      [workspaceId, accountId, owner]);
  }
}
