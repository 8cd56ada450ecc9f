import { QueryRunner } from 'typeorm';

/**
 * The outbox (events waiting to be published) and inbox (events already handled) of one
 * service schema. Every service's first migration calls this; the search_path is the schema.
 */
export async function createMessagingTables(queryRunner: QueryRunner): Promise<void> {
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
  await queryRunner.query(`
    CREATE TABLE inbox (
      event_id      uuid PRIMARY KEY,
      topic         text NOT NULL,
      workspace_id  text NOT NULL,
      processed_at  timestamptz NOT NULL DEFAULT now()
    )`);
  await queryRunner.query(`CREATE INDEX inbox_processed_at ON inbox (processed_at)`);
}

export async function dropMessagingTables(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query(`DROP TABLE IF EXISTS inbox`);
  await queryRunner.query(`DROP TABLE IF EXISTS outbox`);
}

/** The LISTEN/NOTIFY channel on which a schema's outbox announces new rows. */
export function outboxChannel(schema: string): string {
  return `cairn_outbox_${schema}`;
}
