import { MigrationInterface, QueryRunner } from 'typeorm';

/** Email channels, overdue tasks, onboarding facts for the stalled-onboarding scan, defaults added later. */
export class EmailAndScans1732500000000 implements MigrationInterface {
  name = 'EmailAndScans1732500000000';

  async up(q: QueryRunner): Promise<void> {
    // Email channels have recipients instead of a URL: a list of addresses, where "owner" stands
    // for the account's CSM owner, or just "owner".
    await q.query(`ALTER TABLE channel DROP CONSTRAINT channel_type_check`);
    await q.query(`ALTER TABLE channel ADD CONSTRAINT channel_type_check CHECK (type IN ('webhook', 'slack', 'email'))`);
    await q.query(`ALTER TABLE channel ALTER COLUMN url DROP NOT NULL`);
    await q.query(`ALTER TABLE channel ADD COLUMN email_to jsonb`);
    await q.query(`ALTER TABLE channel ADD CONSTRAINT channel_target CHECK (CASE WHEN type = 'email' THEN email_to IS NOT NULL ELSE url IS NOT NULL END)`);

    // When the scheduled scan found the task past its due date (and said so, once).
    await q.query(`ALTER TABLE task ADD COLUMN overdue_at timestamptz`);
    // The scan looks across workspaces, so this index does not lead with workspace_id.
    await q.query(`CREATE INDEX task_overdue_scan ON task (due_at) WHERE overdue_at IS NULL AND status IN ('open', 'in_progress')`);

    // From usage summaries: when the account was first active, first reached a value event, last active.
    await q.query(`ALTER TABLE account ADD COLUMN first_activity_at timestamptz`);
    await q.query(`ALTER TABLE account ADD COLUMN first_value_at timestamptz`);
    await q.query(`ALTER TABLE account ADD COLUMN last_activity_at timestamptz`);
    // When the scan raised the account's onboarding.stalled signal (once per account).
    await q.query(`ALTER TABLE account ADD COLUMN onboarding_stalled_at timestamptz`);
    await q.query(`CREATE INDEX account_onboarding_scan ON account (first_activity_at) WHERE first_value_at IS NULL AND onboarding_stalled_at IS NULL`);
    // "Does the workspace track value at all?" (some account reached its value event).
    await q.query(`CREATE INDEX account_value_reached ON account (workspace_id) WHERE first_value_at IS NOT NULL`);

    // Which generation of the shipped defaults a workspace has been given: a default added in a
    // later release reaches existing workspaces once, without restoring defaults they deleted.
    await q.query(`ALTER TABLE workspace ADD COLUMN defaults_version integer NOT NULL DEFAULT 1`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE workspace DROP COLUMN defaults_version`);
    await q.query(`DROP INDEX IF EXISTS account_value_reached`);
    await q.query(`DROP INDEX IF EXISTS account_onboarding_scan`);
    for (const c of ['onboarding_stalled_at', 'last_activity_at', 'first_value_at', 'first_activity_at']) await q.query(`ALTER TABLE account DROP COLUMN ${c}`);
    await q.query(`DROP INDEX IF EXISTS task_overdue_scan`);
    await q.query(`ALTER TABLE task DROP COLUMN overdue_at`);
    await q.query(`DELETE FROM channel WHERE type = 'email'`);
    await q.query(`ALTER TABLE channel DROP CONSTRAINT channel_target`);
    await q.query(`ALTER TABLE channel DROP COLUMN email_to`);
    await q.query(`ALTER TABLE channel ALTER COLUMN url SET NOT NULL`);
    await q.query(`ALTER TABLE channel DROP CONSTRAINT channel_type_check`);
    await q.query(`ALTER TABLE channel ADD CONSTRAINT channel_type_check CHECK (type IN ('webhook', 'slack'))`);
  }
}
