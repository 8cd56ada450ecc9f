import { MigrationInterface, QueryRunner } from 'typeorm';

/** The support-ticket signals (relationships' support.ticket-changed): one row per ticket, its latest state. */
export class SupportTickets1733100000000 implements MigrationInterface {
  name = 'SupportTickets1733100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE support_ticket (
        workspace_id       text NOT NULL,
        ticket_id          text NOT NULL,
        account_id         text NOT NULL,
        status             text NOT NULL,
        priority           text,
        escalated          boolean NOT NULL,
        opened_at          timestamptz NOT NULL,
        solved_at          timestamptz,
        resolution_minutes integer,
        satisfaction       text,
        event_id           text NOT NULL,
        observed_at        timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, ticket_id)
      )`);
    await q.query(`CREATE INDEX support_ticket_account ON support_ticket (workspace_id, account_id, opened_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE support_ticket`);
  }
}
