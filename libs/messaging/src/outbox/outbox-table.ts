import { QueryRunner } from 'typeorm';

/**
 * The outbox of one service schema: events written in the same transaction as the state change
 * that caused them, waiting for the relay. The search_path is the schema (migrations, relay).
 */
export async function createOutboxTable(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query(`
    CREATE TABLE outbox (
      seq           bigserial PRIMARY KEY,
      event_id      uuid NOT NULL UNIQUE,
      topic         text NOT NULL,
      message_key   text NOT NULL,
      workspace_id  text NOT NULL,
      envelope      jsonb NOT NULL,
      created_at    timestamptz NOT NULL DEFAULT now(),
      published_at  timestamptz
    )`);
  await queryRunner.query(`CREATE INDEX outbox_unpublished ON outbox (seq) WHERE published_at IS NULL`);
}

export async function dropOutboxTable(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query(`DROP TABLE IF EXISTS outbox`);
}

/** The LISTEN/NOTIFY channel on which a schema's outbox announces new rows. */
export function outboxChannel(schema: string): string {
  return `cairn_outbox_${schema}`;
}
