import { createMessagingTables } from '@cairn/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class Init1733000000000 implements MigrationInterface {
  name = 'Init1733000000000';

  async up(q: QueryRunner): Promise<void> {
    await createMessagingTables(q);
    // People who sign in to the console, per workspace.
    await q.query(`
      CREATE TABLE console_user (
        id               uuid PRIMARY KEY,
        workspace_id     text NOT NULL,
        email            text NOT NULL,
        name             text,
        role             text NOT NULL,
        password_hash    text,
        sso_subject      text,
        disabled         boolean NOT NULL DEFAULT false,
        failed_attempts  integer NOT NULL DEFAULT 0,
        locked_until     timestamptz,
        last_sign_in_at  timestamptz,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX console_user_email ON console_user (workspace_id, lower(email))`);
    await q.query(`CREATE UNIQUE INDEX console_user_sso ON console_user (workspace_id, sso_subject) WHERE sso_subject IS NOT NULL`);
    // Server-side sessions; the cookie holds a random id, the table its SHA-256.
    await q.query(`
      CREATE TABLE console_session (
        id_hash       text PRIMARY KEY,
        user_id       uuid NOT NULL REFERENCES console_user (id) ON DELETE CASCADE,
        workspace_id  text NOT NULL,
        csrf_token    text NOT NULL,
        via           text NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        last_seen_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX console_session_seen ON console_session (last_seen_at)`);
    // OpenID Connect sign-ins in flight (state → PKCE verifier and nonce).
    await q.query(`
      CREATE TABLE oidc_login (
        state          text PRIMARY KEY,
        code_verifier  text NOT NULL,
        nonce          text NOT NULL,
        return_to      text NOT NULL DEFAULT '/',
        created_at     timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE audit_entry (
        id            bigserial PRIMARY KEY,
        workspace_id  text NOT NULL,
        at            timestamptz NOT NULL DEFAULT now(),
        actor         text NOT NULL,
        actor_role    text NOT NULL,
        action        text NOT NULL,
        target        text NOT NULL,
        status        integer NOT NULL,
        before        jsonb,
        after         jsonb,
        request       jsonb
      )`);
    await q.query(`CREATE INDEX audit_entry_recent ON audit_entry (workspace_id, at DESC, id DESC)`);
    // The portfolio read model: one row per account, fed by events.
    await q.query(`
      CREATE TABLE portfolio_account (
        workspace_id    text NOT NULL,
        account_id      text NOT NULL,
        name            text,
        plan            text,
        arr             numeric(14,2),
        owner           text,
        lifecycle_stage text,
        score           numeric(5,1),
        band            text,
        previous_score  numeric(5,1),
        score_change    numeric(5,1),
        scored_at       timestamptz,
        health_summary  text,
        renewal_date    date,
        renewal_arr     numeric(14,2),
        open_tasks      integer NOT NULL DEFAULT 0,
        open_alerts     integer NOT NULL DEFAULT 0,
        last_nps        integer,
        updated_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, account_id)
      )`);
    for (const col of ['name', 'score', 'score_change', 'arr', 'renewal_date', 'open_tasks', 'open_alerts', 'owner', 'plan', 'scored_at']) {
      await q.query(`CREATE INDEX portfolio_by_${col} ON portfolio_account (workspace_id, ${col}, account_id)`);
    }
    // Descending sorts keep nulls last, which a backward scan of the ascending index cannot give.
    for (const col of ['score', 'score_change', 'arr', 'renewal_date', 'open_tasks', 'open_alerts']) {
      await q.query(`CREATE INDEX portfolio_by_${col}_desc ON portfolio_account (workspace_id, ${col} DESC NULLS LAST, account_id DESC)`);
    }
    await q.query(`CREATE INDEX portfolio_by_band_score ON portfolio_account (workspace_id, band, score, account_id)`);
    await q.query(`CREATE INDEX portfolio_by_owner_score ON portfolio_account (workspace_id, owner, score, account_id)`);
    await q.query(`
      CREATE TABLE portfolio_task (
        workspace_id  text NOT NULL,
        task_id       text NOT NULL,
        account_id    text NOT NULL,
        status        text NOT NULL,
        updated_at    timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, task_id)
      )`);
    await q.query(`CREATE INDEX portfolio_task_open ON portfolio_task (workspace_id, account_id) WHERE status IN ('open', 'in_progress')`);
    await q.query(`
      CREATE TABLE portfolio_alert (
        workspace_id  text NOT NULL,
        alert_id      text NOT NULL,
        account_id    text NOT NULL,
        status        text NOT NULL,
        updated_at    timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, alert_id)
      )`);
    await q.query(`CREATE INDEX portfolio_alert_open ON portfolio_alert (workspace_id, account_id) WHERE status = 'open'`);
    await q.query(`
      CREATE TABLE portfolio_contract (
        workspace_id  text NOT NULL,
        contract_id   text NOT NULL,
        account_id    text NOT NULL,
        end_date      date NOT NULL,
        arr           numeric(14,2) NOT NULL,
        PRIMARY KEY (workspace_id, contract_id)
      )`);
    await q.query(`CREATE INDEX portfolio_contract_account ON portfolio_contract (workspace_id, account_id)`);
    // Everything that happened to an account, for its timeline (one row per event).
    await q.query(`
      CREATE TABLE account_activity (
        workspace_id  text NOT NULL,
        event_id      uuid NOT NULL,
        account_id    text NOT NULL,
        at            timestamptz NOT NULL,
        kind          text NOT NULL,
        summary       text NOT NULL,
        detail        jsonb,
        PRIMARY KEY (workspace_id, event_id)
      )`);
    await q.query(`CREATE INDEX account_activity_recent ON account_activity (workspace_id, account_id, at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['account_activity', 'portfolio_contract', 'portfolio_alert', 'portfolio_task', 'portfolio_account', 'audit_entry', 'oidc_login', 'console_session', 'console_user']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
