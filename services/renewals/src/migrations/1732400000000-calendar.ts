import { MigrationInterface, QueryRunner } from 'typeorm';

/** Renewal calendar (notices once per contract and horizon), outcomes, account read model for owner, segment and forecast. */
export class Calendar1732400000000 implements MigrationInterface {
  name = 'Calendar1732400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE contract
        ADD COLUMN outcome         text CHECK (outcome IN ('renewed', 'expanded', 'contracted', 'churned')),
        ADD COLUMN arr_after       numeric(14,2),
        ADD COLUMN outcome_reason  text,
        ADD COLUMN closed_at       timestamptz`);
    // The unique key is what makes "once per contract and horizon" hold across restarts,
    // retries and several instances scanning at once.
    await q.query(`
      CREATE TABLE renewal_notice (
        workspace_id     text NOT NULL,
        contract_id      text NOT NULL,
        horizon_days     integer NOT NULL,
        end_date         date NOT NULL,
        days_to_renewal  integer NOT NULL,
        event_id         uuid NOT NULL,
        fired_at         timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, contract_id, horizon_days),
        FOREIGN KEY (workspace_id, contract_id) REFERENCES contract (workspace_id, id)
      )`);
    // Read model of accounts: directory (name, CSM owner, segment), health (also for accounts
    // whose contracts arrive later), usage trend and latest NPS answer, for the forecast.
    await q.query(`
      CREATE TABLE account (
        workspace_id       text NOT NULL,
        account_id         text NOT NULL,
        name               text,
        csm_owner          text,
        segment            text,
        directory_time     timestamptz,
        health_score       numeric(5,1),
        health_previous_score numeric(5,1),
        health_band        text,
        health_updated_at  timestamptz,
        usage_trend_pct    numeric(7,1),
        usage_as_of        text,
        nps_score          integer,
        nps_responded_at   timestamptz,
        updated_at         timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, account_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE account`);
    await q.query(`DROP TABLE renewal_notice`);
    await q.query(`ALTER TABLE contract DROP COLUMN outcome, DROP COLUMN arr_after, DROP COLUMN outcome_reason, DROP COLUMN closed_at`);
  }
}
