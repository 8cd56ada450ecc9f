import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which channel kinds exist, and which of url / email_to each needs, is the channel registry's
 * to say (delivery/channels/): POST /channels refuses an unknown kind or a missing target with a
 * 400 naming it. The CHECK constraints that listed the kinds go, so a new kind needs no migration.
 */
export class ChannelKinds1732600000000 implements MigrationInterface {
  name = 'ChannelKinds1732600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE channel DROP CONSTRAINT channel_type_check`);
    await q.query(`ALTER TABLE channel DROP CONSTRAINT channel_target`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM channel WHERE type NOT IN ('webhook', 'slack', 'email')`);
    await q.query(`ALTER TABLE channel ADD CONSTRAINT channel_target CHECK (CASE WHEN type = 'email' THEN email_to IS NOT NULL ELSE url IS NOT NULL END)`);
    await q.query(`ALTER TABLE channel ADD CONSTRAINT channel_type_check CHECK (type IN ('webhook', 'slack', 'email'))`);
  }
}
