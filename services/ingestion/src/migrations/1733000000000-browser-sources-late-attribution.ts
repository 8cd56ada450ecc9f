import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * - write_key.allowed_origins: the browser origins a source accepts calls from (null = any).
 * - unattributed_usage: activity of known users that named no account and whose user belonged
 *   to no (single) account when it was consumed, rolled up per user, day and feature, so a
 *   later group call can credit it to the account exactly once (a track consumed before the
 *   group call that puts its user into the account, which lives on another partition).
 */
export class BrowserSourcesLateAttribution1733000000000 implements MigrationInterface {
  name = 'BrowserSourcesLateAttribution1733000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE write_key ADD COLUMN IF NOT EXISTS allowed_origins text[]`);
    await q.query(`
      CREATE TABLE unattributed_usage (
        workspace_id  text NOT NULL,
        user_id       text NOT NULL,
        day           date NOT NULL,
        feature       text NOT NULL,
        events        integer NOT NULL,
        first_at      timestamptz NOT NULL,
        last_at       timestamptz NOT NULL,
        received_at   timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, user_id, day, feature)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE unattributed_usage`);
    await q.query(`ALTER TABLE write_key DROP COLUMN allowed_origins`);
  }
}
