import { createMessagingTables } from '@cairn/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class Init1732400000000 implements MigrationInterface {
  name = 'Init1732400000000';

  async up(q: QueryRunner): Promise<void> {
    await createMessagingTables(q);
    // A workspace row means its default playbooks were seeded (once, on its first event).
    await q.query(`
      CREATE TABLE workspace (
        workspace_id        text PRIMARY KEY,
        defaults_seeded_at  timestamptz NOT NULL DEFAULT now()
      )`);
    // Read model of the directory and health services (event-carried state).
    await q.query(`
      CREATE TABLE account (
        workspace_id       text NOT NULL,
        account_id         text NOT NULL,
        name               text,
        domain             text,
        csm_owner          text,
        plan               text,
        arr                numeric(14,2),
        seats              integer,
        lifecycle_stage    text,
        traits             jsonb NOT NULL DEFAULT '{}',
        health_score       numeric(5,1),
        health_band        text,
        health_updated_at  timestamptz,
        created_at         timestamptz NOT NULL DEFAULT now(),
        updated_at         timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, account_id)
      )`);
    await q.query(`CREATE INDEX account_owner ON account (workspace_id, csm_owner)`);
    // Contracts learnt from renewals, for account.daysToRenewal.
    await q.query(`
      CREATE TABLE account_contract (
        workspace_id  text NOT NULL,
        contract_id   text NOT NULL,
        account_id    text NOT NULL,
        end_date      date NOT NULL,
        updated_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, contract_id)
      )`);
    await q.query(`CREATE INDEX account_contract_account ON account_contract (workspace_id, account_id, end_date)`);
    await q.query(`
      CREATE TABLE playbook (
        workspace_id    text NOT NULL,
        id              uuid NOT NULL,
        default_key     text,
        name            text NOT NULL,
        description     text,
        trigger         text NOT NULL,
        conditions      jsonb NOT NULL,
        actions         jsonb NOT NULL,
        cooldown_hours  numeric(8,2) NOT NULL,
        enabled         boolean NOT NULL DEFAULT true,
        version         integer NOT NULL DEFAULT 1,
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, id)
      )`);
    await q.query(`CREATE UNIQUE INDEX playbook_default_key ON playbook (workspace_id, default_key) WHERE default_key IS NOT NULL`);
    await q.query(`CREATE INDEX playbook_trigger ON playbook (workspace_id, trigger) WHERE enabled`);
    // Every trigger event received, with what each playbook decided: the dry-run's history and
    // the answer to "why did (not) this alert fire?".
    await q.query(`
      CREATE TABLE signal (
        workspace_id  text NOT NULL,
        event_id      uuid NOT NULL,
        type          text NOT NULL,
        account_id    text NOT NULL,
        time          timestamptz NOT NULL,
        data          jsonb NOT NULL,
        summary       text NOT NULL,
        outcomes      jsonb NOT NULL DEFAULT '[]',
        received_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, event_id)
      )`);
    await q.query(`CREATE INDEX signal_time ON signal (workspace_id, type, time)`);
    await q.query(`CREATE INDEX signal_account ON signal (workspace_id, account_id, time)`);
    // One row per playbook and cause it acted on (or suppressed): the once-per-cause guarantee.
    await q.query(`
      CREATE TABLE playbook_run (
        workspace_id  text NOT NULL,
        dedupe_key    text NOT NULL,
        playbook_id   uuid NOT NULL,
        account_id    text NOT NULL,
        cause         jsonb NOT NULL,
        event_time    timestamptz NOT NULL,
        outcome       text NOT NULL CHECK (outcome IN ('acted', 'cooldown')),
        task_id       uuid,
        alert_id      uuid,
        created_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, dedupe_key)
      )`);
    await q.query(`CREATE INDEX playbook_run_cooldown ON playbook_run (workspace_id, playbook_id, account_id, event_time) WHERE outcome = 'acted'`);
    await q.query(`
      CREATE TABLE task (
        workspace_id      text NOT NULL,
        id                uuid NOT NULL,
        dedupe_key        text NOT NULL,
        account_id        text NOT NULL,
        playbook_id       uuid NOT NULL,
        playbook_version  integer NOT NULL,
        title             text NOT NULL,
        description       text NOT NULL,
        priority          text NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
        assignee          text,
        assignee_rule     text NOT NULL CHECK (assignee_rule IN ('owner', 'named')),
        status            text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'done', 'dismissed')),
        status_reason     text,
        status_changed_by text,
        due_at            timestamptz NOT NULL,
        cause             jsonb NOT NULL,
        created_at        timestamptz NOT NULL DEFAULT now(),
        updated_at        timestamptz NOT NULL DEFAULT now(),
        closed_at         timestamptz,
        PRIMARY KEY (workspace_id, id),
        UNIQUE (workspace_id, dedupe_key)
      )`);
    await q.query(`CREATE INDEX task_assignee ON task (workspace_id, assignee, status, due_at)`);
    await q.query(`CREATE INDEX task_account ON task (workspace_id, account_id, created_at)`);
    await q.query(`
      CREATE TABLE alert (
        workspace_id     text NOT NULL,
        id               uuid NOT NULL,
        dedupe_key       text NOT NULL,
        account_id       text NOT NULL,
        playbook_id      uuid NOT NULL,
        task_id          uuid,
        severity         text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
        title            text NOT NULL,
        reason           text NOT NULL,
        recipient        text,
        recipient_rule   text NOT NULL CHECK (recipient_rule IN ('owner', 'named')),
        cause            jsonb NOT NULL,
        status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged')),
        acknowledged_by  text,
        acknowledged_at  timestamptz,
        created_at       timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, id),
        UNIQUE (workspace_id, dedupe_key)
      )`);
    await q.query(`CREATE INDEX alert_recipient ON alert (workspace_id, recipient, created_at)`);
    await q.query(`CREATE INDEX alert_account ON alert (workspace_id, account_id, created_at)`);
    await q.query(`
      CREATE TABLE channel (
        workspace_id   text NOT NULL,
        id             uuid NOT NULL,
        type           text NOT NULL CHECK (type IN ('webhook', 'slack')),
        name           text,
        url            text NOT NULL,
        sealed_secret  text,
        min_severity   text NOT NULL DEFAULT 'info' CHECK (min_severity IN ('info', 'warning', 'critical')),
        created_at     timestamptz NOT NULL DEFAULT now(),
        deleted_at     timestamptz,
        PRIMARY KEY (workspace_id, id)
      )`);
    await q.query(`
      CREATE TABLE delivery (
        workspace_id     text NOT NULL,
        id               uuid NOT NULL,
        alert_id         uuid NOT NULL,
        channel_id       uuid NOT NULL,
        channel_type     text NOT NULL,
        -- The exact bytes sent (and signed), so every retry sends the same body.
        body             text NOT NULL,
        status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'delivered', 'failed', 'cancelled')),
        attempts         integer NOT NULL DEFAULT 0,
        next_attempt_at  timestamptz NOT NULL DEFAULT now(),
        last_status_code integer,
        last_error       text,
        delivered_at     timestamptz,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, id),
        UNIQUE (workspace_id, alert_id, channel_id)
      )`);
    // 'sending' rows hold next_attempt_at as their lease: a worker that died mid-send is retried.
    // The worker polls across workspaces, so this one index does not lead with workspace_id.
    await q.query(`CREATE INDEX delivery_due ON delivery (next_attempt_at) WHERE status IN ('pending', 'sending')`);
    await q.query(`
      CREATE TABLE delivery_attempt (
        workspace_id  text NOT NULL,
        delivery_id   uuid NOT NULL,
        attempt       integer NOT NULL,
        started_at    timestamptz NOT NULL,
        duration_ms   integer NOT NULL,
        status_code   integer,
        error         text,
        PRIMARY KEY (workspace_id, delivery_id, attempt)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['delivery_attempt', 'delivery', 'channel', 'alert', 'task', 'playbook_run', 'signal', 'playbook', 'account_contract', 'account', 'workspace']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
