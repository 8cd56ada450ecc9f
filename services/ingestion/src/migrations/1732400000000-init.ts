import { createMessagingTables } from '@cairn/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class Init1732400000000 implements MigrationInterface {
  name = 'Init1732400000000';

  async up(q: QueryRunner): Promise<void> {
    await createMessagingTables(q);

    // Write keys: only the SHA-256 of the key is kept; the clear key is shown once.
    await q.query(`
      CREATE TABLE write_key (
        workspace_id  text NOT NULL,
        id            uuid NOT NULL,
        name          text NOT NULL,
        key_hash      text NOT NULL,
        key_hint      text NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        revoked_at    timestamptz,
        PRIMARY KEY (workspace_id, id)
      )`);
    // The one lookup made before the workspace is known: the key itself names the workspace.
    await q.query(`CREATE UNIQUE INDEX write_key_hash ON write_key (key_hash)`);

    // Rejected calls, kept with the reason so nothing is silently dropped.
    await q.query(`
      CREATE TABLE quarantine (
        workspace_id  text NOT NULL,
        id            bigserial NOT NULL,
        received_at   timestamptz NOT NULL,
        source_id     text,
        message_id    text,
        reason        text NOT NULL,
        payload       jsonb NOT NULL,
        PRIMARY KEY (workspace_id, id)
      )`);
    await q.query(`CREATE INDEX quarantine_received ON quarantine (workspace_id, received_at DESC)`);

    // Segment messageIds already processed (the same call can arrive in two envelopes); pruned after 48 h.
    await q.query(`
      CREATE TABLE processed_message (
        workspace_id  text NOT NULL,
        message_id    text NOT NULL,
        processed_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, message_id)
      )`);
    await q.query(`CREATE INDEX processed_message_age ON processed_message (processed_at)`);

    await q.query(`
      CREATE TABLE account (
        workspace_id     text NOT NULL,
        id               text NOT NULL,
        name             text,
        domain           text,
        plan             text,
        arr              numeric(14,2),
        seats            integer,
        csm_owner        text,
        lifecycle_stage  text,
        traits           jsonb NOT NULL DEFAULT '{}',
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, id)
      )`);

    await q.query(`
      CREATE TABLE contact (
        workspace_id  text NOT NULL,
        id            text NOT NULL,
        email         text,
        name          text,
        title         text,
        role          text,
        traits        jsonb NOT NULL DEFAULT '{}',
        merged_into   text,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, id)
      )`);
    await q.query(`CREATE INDEX contact_email ON contact (workspace_id, email)`);

    // A person in an account, with their role there; a departure episode lives here too.
    await q.query(`
      CREATE TABLE membership (
        workspace_id       text NOT NULL,
        account_id         text NOT NULL,
        contact_id         text NOT NULL,
        role               text,
        removed_at         timestamptz,
        departed_at        timestamptz,
        departure_rule     text,
        departure_episode  integer NOT NULL DEFAULT 0,
        created_at         timestamptz NOT NULL DEFAULT now(),
        updated_at         timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, account_id, contact_id)
      )`);
    await q.query(`CREATE INDEX membership_contact ON membership (workspace_id, contact_id)`);

    // Rollups per account per day (event time, UTC); per user and per feature below.
    await q.query(`
      CREATE TABLE usage_daily (
        workspace_id  text NOT NULL,
        account_id    text NOT NULL,
        day           date NOT NULL,
        events        integer NOT NULL DEFAULT 0,
        active_users  integer NOT NULL DEFAULT 0,
        PRIMARY KEY (workspace_id, account_id, day)
      )`);
    await q.query(`
      CREATE TABLE usage_daily_user (
        workspace_id  text NOT NULL,
        account_id    text NOT NULL,
        day           date NOT NULL,
        user_id       text NOT NULL,
        events        integer NOT NULL DEFAULT 0,
        PRIMARY KEY (workspace_id, account_id, day, user_id)
      )`);
    await q.query(`
      CREATE TABLE usage_daily_feature (
        workspace_id  text NOT NULL,
        account_id    text NOT NULL,
        day           date NOT NULL,
        feature       text NOT NULL,
        events        integer NOT NULL DEFAULT 0,
        PRIMARY KEY (workspace_id, account_id, day, feature)
      )`);
    await q.query(`
      CREATE TABLE user_activity (
        workspace_id      text NOT NULL,
        user_id           text NOT NULL,
        first_seen_at     timestamptz NOT NULL,
        last_seen_at      timestamptz NOT NULL,
        last_received_at  timestamptz NOT NULL,
        events            bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (workspace_id, user_id)
      )`);

    // Per-account detection state: the newest event day and the open drop/silence episode.
    await q.query(`
      CREATE TABLE account_usage_state (
        workspace_id           text NOT NULL,
        account_id             text NOT NULL,
        first_day              date NOT NULL,
        latest_day             date NOT NULL,
        last_event_at          timestamptz NOT NULL,
        last_received_at       timestamptz NOT NULL,
        episode_seq            integer NOT NULL DEFAULT 0,
        episode_kind           text,
        episode_id             text,
        episode_baseline_from  date,
        episode_baseline_to    date,
        episode_baseline_avg   numeric(14,2),
        last_change_pct        numeric(8,1),
        -- last_received_at at which the silence scan found nothing to signal (too small, too new)
        silence_checked_at     timestamptz,
        PRIMARY KEY (workspace_id, account_id)
      )`);
    await q.query(`CREATE INDEX account_usage_state_received ON account_usage_state (workspace_id, last_received_at)`);

    await q.query(`
      CREATE TABLE detection_settings (
        workspace_id             text NOT NULL PRIMARY KEY,
        window_days              integer NOT NULL,
        baseline_days            integer NOT NULL,
        threshold_pct            numeric(5,1) NOT NULL,
        min_baseline_daily_avg   numeric(12,2) NOT NULL,
        champion_inactive_days   integer NOT NULL,
        updated_at               timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['detection_settings', 'account_usage_state', 'user_activity', 'usage_daily_feature', 'usage_daily_user',
      'usage_daily', 'membership', 'contact', 'account', 'processed_message', 'quarantine', 'write_key']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
