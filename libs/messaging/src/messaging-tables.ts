import { QueryRunner } from 'typeorm';
import { createInboxTable, dropInboxTable } from './inbox/inbox';
import { createOutboxTable, dropOutboxTable } from './outbox/outbox-table';

/**
 * The outbox (events waiting to be published) and inbox (events already handled) of one
 * service schema. Every service's first migration calls this; the search_path is the schema.
 */
export async function createMessagingTables(queryRunner: QueryRunner): Promise<void> {
  await createOutboxTable(queryRunner);
  await createInboxTable(queryRunner);
}

export async function dropMessagingTables(queryRunner: QueryRunner): Promise<void> {
  await dropInboxTable(queryRunner);
  await dropOutboxTable(queryRunner);
}
