import { MigrationInterface, QueryRunner } from 'typeorm';

/** User Success: a user-level read model, personas and their members. */
export class Personas1732600000000 implements MigrationInterface {
  name = 'Personas1732600000000';

  async up(q: QueryRunner): Promise<void> {
    // One row per person (Segment userId = directory contactId): directory data, the latest
    // answer per survey kind, activity bounds, and the attributes derived as of `evaluated_as_of`.
    await q.query(`
      CREATE TABLE user_profile (
        workspace_id        text NOT NULL,
        user_id             text NOT NULL,
        account_id          text,
        role                text,
        name                text,
        email               text,
        traits              jsonb NOT NULL DEFAULT '{}',
        departed_at         timestamptz,
        contact_observed_at timestamptz,
        first_seen_at       timestamptz NOT NULL,
        last_active_at      timestamptz,
        answers             jsonb NOT NULL DEFAULT '{}',
        attributes          jsonb,
        evaluated_as_of     timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, user_id)
      )`);
    await q.query(`CREATE INDEX user_profile_account ON user_profile (workspace_id, account_id)`);
    // Distinct active days (UTC, event time) per user: lifecycle and engagement.
    await q.query(`
      CREATE TABLE user_activity_day (
        workspace_id text NOT NULL,
        user_id      text NOT NULL,
        day          date NOT NULL,
        events       integer NOT NULL,
        PRIMARY KEY (workspace_id, user_id, day)
      )`);
    // Track event names per user: key-feature adoption (the key features can change later).
    await q.query(`
      CREATE TABLE user_feature (
        workspace_id  text NOT NULL,
        user_id       text NOT NULL,
        feature       text NOT NULL,
        first_used_at timestamptz NOT NULL,
        last_used_at  timestamptz NOT NULL,
        events        integer NOT NULL,
        PRIMARY KEY (workspace_id, user_id, feature)
      )`);
    await q.query(`
      CREATE TABLE persona_settings (
        workspace_id           text PRIMARY KEY,
        key_features           text[] NOT NULL,
        onboarding_active_days integer NOT NULL,
        key_features_to_adopt  integer,
        updated_at             timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE persona (
        workspace_id text NOT NULL,
        persona_id   text NOT NULL,
        name         text NOT NULL,
        description  text,
        rule         jsonb NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        updated_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, persona_id)
      )`);
    await q.query(`
      CREATE TABLE persona_member (
        workspace_id text NOT NULL,
        persona_id   text NOT NULL,
        user_id      text NOT NULL,
        joined_at    timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, persona_id, user_id)
      )`);
    await q.query(`CREATE INDEX persona_member_user ON persona_member (workspace_id, user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['persona_member', 'persona', 'persona_settings', 'user_feature', 'user_activity_day', 'user_profile']) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
