import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Time to first value: a workspace names its value event (detection settings); each account
 * keeps its first event time and the first time it used each feature, so the value event can be
 * named — or renamed — after the fact. Rows from before this migration start at day precision.
 */
export class TimeToValue1732600000000 implements MigrationInterface {
  name = 'TimeToValue1732600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE detection_settings ADD COLUMN value_event text`);
    await q.query(`ALTER TABLE account_usage_state ADD COLUMN first_event_at timestamptz`);
    await q.query(`UPDATE account_usage_state SET first_event_at = first_day::timestamp AT TIME ZONE 'UTC'`);
    await q.query(`
      CREATE TABLE account_feature_first (
        workspace_id  text NOT NULL,
        account_id    text NOT NULL,
        feature       text NOT NULL,
        first_at      timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, account_id, feature)
      )`);
    await q.query(`
      INSERT INTO account_feature_first (workspace_id, account_id, feature, first_at)
      SELECT workspace_id, account_id, feature, min(day)::timestamp AT TIME ZONE 'UTC' FROM usage_daily_feature
       GROUP BY workspace_id, account_id, feature`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS account_feature_first`);
    await q.query(`ALTER TABLE account_usage_state DROP COLUMN IF EXISTS first_event_at`);
    await q.query(`ALTER TABLE detection_settings DROP COLUMN IF EXISTS value_event`);
  }
}
