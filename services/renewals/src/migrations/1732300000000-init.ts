import { createMessagingTables } from '@cairn/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class Init1732300000000 implements MigrationInterface {
  name = 'Init1732300000000';

  async up(q: QueryRunner): Promise<void> {
    await createMessagingTables(q);
    await q.query(`
      CREATE TABLE contract (
        workspace_id   text NOT NULL,
        id             text NOT NULL,
        account_id     text NOT NULL,
        arr            numeric(14,2) NOT NULL,
        currency       text NOT NULL DEFAULT 'USD',
        seats          integer,
        plan           text,
        start_date     date NOT NULL,
        end_date       date NOT NULL,
        auto_renew     boolean NOT NULL DEFAULT false,
        owner          text,
        health_score   numeric(5,1),
        health_band    text,
        health_updated_at timestamptz,
        created_at     timestamptz NOT NULL DEFAULT now(),
        updated_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, id)
      )`);
    await q.query(`CREATE INDEX contract_account ON contract (workspace_id, account_id)`);
    await q.query(`CREATE INDEX contract_end_date ON contract (workspace_id, end_date)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE contract`);
  }
}
