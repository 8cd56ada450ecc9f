import { QueryRunner } from 'typeorm';

/**
 * The inbox of one service schema: the ids of the events it has handled, so a redelivery is a
 * no-op. The consumer inserts into it in the handler's transaction (`recordInbox`); the outbox
 * relay prunes it. The search_path is the schema.
 */
export async function createInboxTable(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query(`
    CREATE TABLE inbox (
      event_id      uuid PRIMARY KEY,
      topic         text NOT NULL,
      workspace_id  text NOT NULL,
      processed_at  timestamptz NOT NULL DEFAULT now()
    )`);
  await queryRunner.query(`CREATE INDEX inbox_processed_at ON inbox (processed_at)`);
}

export async function dropInboxTable(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query(`DROP TABLE IF EXISTS inbox`);
}

/** Something with `query`: an EntityManager inside the handler's transaction, a QueryRunner. */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<any>;
}

/**
 * Records the events of one topic as handled, in the caller's transaction, in one statement;
 * returns the ids not seen before (an id already in the inbox is a redelivery).
 */
export async function recordInbox(
  db: Queryable, topic: string, events: ReadonlyArray<{ id: string; workspaceId: string }>,
): Promise<Set<string>> {
  const ids = events.map((e) => e.id);
  const rows: Array<{ event_id: string }> = await db.query(
    `INSERT INTO inbox (event_id, topic, workspace_id)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING RETURNING event_id`,
    [ids, ids.map(() => topic), events.map((e) => e.workspaceId)],
  );
  return new Set(rows.map((r) => r.event_id));
}

/** Forgets handled events older than `days` (a redelivery that late is not expected). */
export async function pruneInbox(db: Queryable, days: number): Promise<void> {
  await db.query(`DELETE FROM inbox WHERE processed_at < now() - make_interval(days => $1)`, [days]);
}
