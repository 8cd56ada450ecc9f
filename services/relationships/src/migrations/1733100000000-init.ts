import { createMessagingTables } from '@cairn/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class Init1733100000000 implements MigrationInterface {
  name = 'Init1733100000000';

  async up(q: QueryRunner): Promise<void> {
    await createMessagingTables(q);
    await q.query(`
      CREATE TABLE ticket_source (
        workspace_id  text NOT NULL,
        id            text NOT NULL,
        kind          text NOT NULL CHECK (kind IN ('zendesk', 'intercom', 'api')),
        name          text NOT NULL,
        secret_sealed text,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, id)
      )`);
    await q.query(`
      CREATE TABLE ticket_delivery (
        workspace_id text NOT NULL,
        source_id    text NOT NULL,
        delivery_id  text NOT NULL,
        received_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, source_id, delivery_id)
      )`);
    await q.query(`
      CREATE TABLE ticket (
        workspace_id       text NOT NULL,
        id                 text NOT NULL,
        source_id          text NOT NULL,
        source_kind        text NOT NULL,
        external_id        text NOT NULL,
        account_id         text,
        organization_id    text,
        organization_name  text,
        requester_email    text,
        status             text NOT NULL,
        priority           text,
        tags               text[] NOT NULL DEFAULT '{}',
        escalated          boolean NOT NULL DEFAULT false,
        subject            text,
        opened_at          timestamptz NOT NULL,
        event_time         timestamptz NOT NULL,
        first_response_at  timestamptz,
        solved_at          timestamptz,
        satisfaction       text,
        satisfaction_score integer,
        published_status   text,
        created_at         timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, id),
        UNIQUE (workspace_id, source_id, external_id)
      )`);
    await q.query(`CREATE INDEX ticket_account ON ticket (workspace_id, account_id)`);
    await q.query(`CREATE INDEX ticket_unmapped ON ticket (workspace_id, created_at) WHERE account_id IS NULL`);
    await q.query(`
      CREATE TABLE organization_mapping (
        workspace_id    text NOT NULL,
        source_id       text NOT NULL,
        organization_id text NOT NULL,
        account_id      text NOT NULL,
        updated_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, source_id, organization_id)
      )`);
    await q.query(`
      CREATE TABLE account (
        workspace_id text NOT NULL,
        account_id   text NOT NULL,
        name         text,
        domain       text,
        source_time  timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, account_id)
      )`);
    await q.query(`CREATE INDEX account_domain ON account (workspace_id, lower(domain))`);
    await q.query(`
      CREATE TABLE contact (
        workspace_id text NOT NULL,
        contact_id   text NOT NULL,
        email        text,
        account_ids  text[] NOT NULL,
        source_time  timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, contact_id)
      )`);
    await q.query(`CREATE INDEX contact_email ON contact (workspace_id, lower(email))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE contact, account, organization_mapping, ticket, ticket_delivery, ticket_source`);
  }
}
