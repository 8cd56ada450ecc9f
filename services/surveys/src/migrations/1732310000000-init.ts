import { createMessagingTables } from '@cairn/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class Init1732310000000 implements MigrationInterface {
  name = 'Init1732310000000';

  async up(q: QueryRunner): Promise<void> {
    await createMessagingTables(q);
    // Read model of the directory (ingestion's accounts and contacts): the audience of surveys.
    await q.query(`
      CREATE TABLE account (
        workspace_id   text NOT NULL,
        account_id     text NOT NULL,
        name           text,
        plan           text,
        segment        text,
        csm_owner      text,
        traits         jsonb NOT NULL DEFAULT '{}',
        source_time    timestamptz NOT NULL,
        updated_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, account_id)
      )`);
    await q.query(`
      CREATE TABLE contact (
        workspace_id   text NOT NULL,
        contact_id     text NOT NULL,
        email          text,
        name           text,
        role           text,
        account_ids    text[] NOT NULL DEFAULT '{}',
        traits         jsonb NOT NULL DEFAULT '{}',
        source_time    timestamptz NOT NULL,
        updated_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, contact_id)
      )`);
    await q.query(`
      CREATE TABLE survey (
        workspace_id        text NOT NULL,
        id                  text NOT NULL,
        name                text NOT NULL,
        kind                text NOT NULL CHECK (kind IN ('nps', 'csat', 'ces')),
        question            text NOT NULL,
        follow_up_question  text,
        created_at          timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, id)
      )`);
    // A wave sends a survey to an audience once, by email (signed personal links) or in-app.
    await q.query(`
      CREATE TABLE survey_wave (
        workspace_id   text NOT NULL,
        id             text NOT NULL,
        survey_id      text NOT NULL,
        name           text NOT NULL,
        channel        text NOT NULL CHECK (channel IN ('email', 'in_app')),
        audience       jsonb NOT NULL,
        expires_at     timestamptz NOT NULL,
        link_base_url  text NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, id),
        FOREIGN KEY (workspace_id, survey_id) REFERENCES survey (workspace_id, id)
      )`);
    await q.query(`
      CREATE TABLE survey_invitation (
        workspace_id   text NOT NULL,
        wave_id        text NOT NULL,
        contact_id     text NOT NULL,
        survey_id      text NOT NULL,
        account_id     text NOT NULL,
        email          text,
        status         text NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'answered')),
        attempts       integer NOT NULL DEFAULT 0,
        last_error     text,
        sent_at        timestamptz,
        answered_at    timestamptz,
        created_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, wave_id, contact_id),
        FOREIGN KEY (workspace_id, wave_id) REFERENCES survey_wave (workspace_id, id)
      )`);
    await q.query(`CREATE INDEX survey_invitation_contact ON survey_invitation (workspace_id, contact_id)`);
    await q.query(`CREATE INDEX survey_invitation_pending ON survey_invitation (workspace_id, status) WHERE status = 'pending'`);
    // One current answer per person and survey (respondent_key = contact id; answers without a
    // contact cannot be told apart and each get a key of their own). Replaced answers move to history.
    await q.query(`
      CREATE TABLE survey_response (
        workspace_id    text NOT NULL,
        id              text NOT NULL,
        survey_id       text NOT NULL,
        respondent_key  text NOT NULL,
        account_id      text NOT NULL,
        contact_id      text,
        wave_id         text,
        channel         text NOT NULL DEFAULT 'api' CHECK (channel IN ('api', 'email', 'in_app')),
        score           integer NOT NULL,
        category        text NOT NULL,
        comment         text,
        revision        integer NOT NULL DEFAULT 1,
        responded_at    timestamptz NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, id),
        UNIQUE (workspace_id, survey_id, respondent_key),
        FOREIGN KEY (workspace_id, survey_id) REFERENCES survey (workspace_id, id)
      )`);
    await q.query(`CREATE INDEX survey_response_window ON survey_response (workspace_id, survey_id, responded_at)`);
    await q.query(`CREATE INDEX survey_response_account ON survey_response (workspace_id, account_id)`);
    await q.query(`
      CREATE TABLE survey_response_history (
        workspace_id    text NOT NULL,
        seq             bigserial NOT NULL,
        response_id     text NOT NULL,
        survey_id       text NOT NULL,
        account_id      text NOT NULL,
        contact_id      text,
        score           integer NOT NULL,
        category        text NOT NULL,
        comment         text,
        revision        integer NOT NULL,
        responded_at    timestamptz NOT NULL,
        replaced_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, seq)
      )`);
    await q.query(`CREATE INDEX survey_response_history_response ON survey_response_history (workspace_id, response_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['survey_response_history', 'survey_response', 'survey_invitation', 'survey_wave', 'survey', 'contact', 'account']) await q.query(`DROP TABLE ${t}`);
  }
}
