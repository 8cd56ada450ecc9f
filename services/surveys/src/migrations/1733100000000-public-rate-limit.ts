import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Counters of the public endpoints' rate limits, shared by every instance: one row per key
 * (a hashed client address or personal link) holding its current window, pruned once idle. The
 * callers are anonymous, so the rows carry no workspace: nothing in them belongs to a tenant.
 */
export class PublicRateLimit1733100000000 implements MigrationInterface {
  name = 'PublicRateLimit1733100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE public_rate_limit (
        key           text NOT NULL,
        window_start  timestamptz NOT NULL,
        count         integer NOT NULL,
        PRIMARY KEY (key)
      )`);
    await q.query('CREATE INDEX public_rate_limit_window ON public_rate_limit (window_start)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE public_rate_limit');
  }
}
