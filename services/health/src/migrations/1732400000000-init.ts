import { createMessagingTables } from '@cairn/messaging';
import { MigrationInterface, QueryRunner } from 'typeorm';

export class Init1732400000000 implements MigrationInterface {
  name = 'Init1732400000000';

  async up(q: QueryRunner): Promise<void> {
    await createMessagingTables(q);
    // Read model: the latest value of each signal of an account and the event that last moved it.
    await q.query(`
      CREATE TABLE account_signal (
        workspace_id  text NOT NULL,
        account_id    text NOT NULL,
        signal        text NOT NULL,
        value         jsonb NOT NULL,
        event_id      text NOT NULL,
        event_type    text NOT NULL,
        observed_at   timestamptz NOT NULL,
        changed_at    timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, account_id, signal)
      )`);
    await q.query(`
      CREATE TABLE contact (
        workspace_id  text NOT NULL,
        account_id    text NOT NULL,
        contact_id    text NOT NULL,
        role          text,
        name          text,
        email         text,
        departed_at   timestamptz,
        departure_reason text,
        event_id      text NOT NULL,
        observed_at   timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, account_id, contact_id)
      )`);
    await q.query(`
      CREATE TABLE contract (
        workspace_id  text NOT NULL,
        contract_id   text NOT NULL,
        account_id    text NOT NULL,
        end_date      date NOT NULL,
        event_id      text NOT NULL,
        observed_at   timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, contract_id)
      )`);
    await q.query(`CREATE INDEX contract_account ON contract (workspace_id, account_id)`);
    await q.query(`
      CREATE TABLE account_health (
        workspace_id      text NOT NULL,
        account_id        text NOT NULL,
        score             integer NOT NULL,
        band              text NOT NULL,
        scorecard_id      text NOT NULL,
        scorecard_version integer NOT NULL,
        explanation       jsonb NOT NULL,
        coverage          jsonb NOT NULL,
        cause             jsonb NOT NULL,
        summary           text NOT NULL,
        changed_at        timestamptz NOT NULL,
        computed_at       timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, account_id)
      )`);
    await q.query(`CREATE INDEX account_health_band ON account_health (workspace_id, band, score)`);
    // One row per change of score or band (= per health.changed event; id is that event's id).
    await q.query(`
      CREATE TABLE health_history (
        workspace_id      text NOT NULL,
        account_id        text NOT NULL,
        id                uuid NOT NULL,
        score             integer NOT NULL,
        band              text NOT NULL,
        previous_score    integer,
        previous_band     text,
        scorecard_id      text NOT NULL,
        scorecard_version integer NOT NULL,
        explanation       jsonb NOT NULL,
        cause             jsonb NOT NULL,
        summary           text NOT NULL,
        at                timestamptz NOT NULL,
        recorded_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (workspace_id, account_id, id)
      )`);
    await q.query(`CREATE INDEX health_history_at ON health_history (workspace_id, account_id, at DESC, recorded_at DESC)`);
    // Every version of every scorecard is kept; at most one version of a scorecard is active.
    await q.query(`
      CREATE TABLE scorecard (
        workspace_id      text NOT NULL,
        scorecard_id      text NOT NULL,
        version           integer NOT NULL,
        name              text NOT NULL,
        description       text,
        segment_plan      text,
        segment_lifecycle_stage text,
        measures          jsonb NOT NULL,
        bands             jsonb NOT NULL,
        active            boolean NOT NULL,
        created_at        timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, scorecard_id, version)
      )`);
    await q.query(`CREATE UNIQUE INDEX scorecard_one_active ON scorecard (workspace_id, scorecard_id) WHERE active`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['scorecard', 'health_history', 'account_health', 'contract', 'contact', 'account_signal']) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
