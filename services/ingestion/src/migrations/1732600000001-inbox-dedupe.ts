import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Segment messageId dedupe moved to the consumer's inbox: usage events now carry an envelope id
 * derived from (workspace, messageId), so the separate processed_message table is gone.
 */
export class InboxDedupe1732600000001 implements MigrationInterface {
  name = 'InboxDedupe1732600000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS processed_message`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE processed_message (
        workspace_id  text NOT NULL,
        message_id    text NOT NULL,
        processed_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, message_id)
      )`);
    await q.query(`CREATE INDEX processed_message_age ON processed_message (processed_at)`);
  }
}
