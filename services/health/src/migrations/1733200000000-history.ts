import { MigrationInterface, QueryRunner } from 'typeorm';

/** Point-in-time signal history, backtest jobs and CSM overrides (issue 14). */
export class History1733200000000 implements MigrationInterface {
  name = 'History1733200000000';

  async up(q: QueryRunner): Promise<void> {
    // One row per account, kind, subject and event-time day: the latest fact of that day.
    await q.query(`
      CREATE TABLE signal_fact (
        workspace_id  text NOT NULL,
        account_id    text NOT NULL,
        kind          text NOT NULL,
        subject       text NOT NULL DEFAULT '',
        day           date NOT NULL,
        at            timestamptz NOT NULL,
        event_id      text NOT NULL,
        value         jsonb NOT NULL,
        recorded_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, account_id, kind, subject, day)
      )`);
    await q.query(`CREATE INDEX signal_fact_outcome ON signal_fact (workspace_id, at) WHERE kind = 'outcome'`);
    await q.query(`
      CREATE TABLE backtest (
        workspace_id  text NOT NULL,
        id            uuid NOT NULL,
        request       jsonb NOT NULL,
        status        text NOT NULL,
        progress      real NOT NULL DEFAULT 0,
        result        jsonb,
        error         text,
        created_at    timestamptz NOT NULL DEFAULT now(),
        finished_at   timestamptz,
        PRIMARY KEY (workspace_id, id)
      )`);
    await q.query(`
      CREATE TABLE health_override (
        workspace_id  text NOT NULL,
        id            uuid NOT NULL,
        account_id    text NOT NULL,
        band          text NOT NULL,
        score         integer,
        reason        text NOT NULL,
        created_by    text NOT NULL,
        created_at    timestamptz NOT NULL,
        expires_at    timestamptz NOT NULL,
        ended_at      timestamptz,
        end_reason    text,
        PRIMARY KEY (workspace_id, id)
      )`);
    await q.query(`CREATE UNIQUE INDEX health_override_one_open ON health_override (workspace_id, account_id) WHERE ended_at IS NULL`);
    await q.query(`CREATE INDEX health_override_expiry ON health_override (expires_at) WHERE ended_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['health_override', 'backtest', 'signal_fact']) await q.query(`DROP TABLE ${t}`);
  }
}
