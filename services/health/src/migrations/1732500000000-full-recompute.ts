import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * For the set-based full recompute:
 * - `explanation_digest`: a hash of what was explained (scorecard, explanation, coverage), so a
 *   recompute can tell an unchanged account without reading its 2–3 KB explanation back;
 * - lz4 TOAST compression: explanations and outgoing envelopes are just above the TOAST
 *   threshold and a first recompute writes three of them per account (score, history, outbox);
 *   lz4 costs a fraction of pglz's CPU. Servers built without lz4 keep pglz.
 */
export class FullRecompute1732500000000 implements MigrationInterface {
  name = 'FullRecompute1732500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE account_health ADD COLUMN explanation_digest text`);
    await q.query(`
      DO $$ BEGIN
        ALTER TABLE account_health ALTER COLUMN explanation SET COMPRESSION lz4;
        ALTER TABLE health_history ALTER COLUMN explanation SET COMPRESSION lz4;
        ALTER TABLE outbox ALTER COLUMN envelope SET COMPRESSION lz4;
      EXCEPTION WHEN feature_not_supported THEN
        RAISE NOTICE 'lz4 is not available on this server: TOAST compression stays pglz';
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE account_health DROP COLUMN explanation_digest`);
    await q.query(`ALTER TABLE account_health ALTER COLUMN explanation SET COMPRESSION pglz`);
    await q.query(`ALTER TABLE health_history ALTER COLUMN explanation SET COMPRESSION pglz`);
    await q.query(`ALTER TABLE outbox ALTER COLUMN envelope SET COMPRESSION pglz`);
  }
}
