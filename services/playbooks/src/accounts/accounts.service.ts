import { AccountUpsertedV1, ContractUpsertedV1, EventEnvelope, HealthChangedV1, UsageSummaryV1 } from '@cairn/contracts';
import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { numeric } from '../common/numeric';
import { AlertStore } from '../alerts/alert.store';
import { AccountFacts } from '../domain/fields';
import { OnboardingFacts } from '../domain/scheduled-signals';
import { TaskStore } from '../tasks/task.store';
import { AccountEntity } from './account.entity';

/** Some account of the workspace reached its value event: the workspace has one, and it works. */
const TRACKS_VALUE = `EXISTS (SELECT 1 FROM account v WHERE v.workspace_id = a.workspace_id AND v.first_value_at IS NOT NULL)`;

export interface StallCandidate {
  workspaceId: string;
  accountId: string;
  firstActivityAt: Date;
}

/** An ISO instant, or null when absent or unreadable. */
function instant(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t);
}

export interface AccountView {
  accountId: string;
  name: string | null;
  domain: string | null;
  csmOwner: string | null;
  plan: string | null;
  arr: number | null;
  seats: number | null;
  lifecycleStage: string | null;
  traits: Record<string, unknown>;
  health: { score: number | null; band: string | null; updatedAt: Date | null };
  renewalDate: string | null;
  usage: { firstActivityAt: Date | null; firstValueAt: Date | null; lastActivityAt: Date | null; onboardingStalledAt: Date | null };
  updatedAt: Date;
}

/** The account read model: directory traits, current health, nearest contract end. */
@Injectable()
export class AccountsService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly tasks: TaskStore, private readonly alerts: AlertStore) {}

  /** Traits absent from the event keep their known value; `traits` are merged. */
  async applyAccountUpserted(m: EntityManager, event: EventEnvelope<AccountUpsertedV1>): Promise<void> {
    const d = event.data;
    await m.query(
      `INSERT INTO account (workspace_id, account_id, name, domain, csm_owner, plan, arr, seats, lifecycle_stage, traits)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (workspace_id, account_id) DO UPDATE SET
         name = COALESCE(EXCLUDED.name, account.name),
         domain = COALESCE(EXCLUDED.domain, account.domain),
         csm_owner = COALESCE(EXCLUDED.csm_owner, account.csm_owner),
         plan = COALESCE(EXCLUDED.plan, account.plan),
         arr = COALESCE(EXCLUDED.arr, account.arr),
         seats = COALESCE(EXCLUDED.seats, account.seats),
         lifecycle_stage = COALESCE(EXCLUDED.lifecycle_stage, account.lifecycle_stage),
         traits = account.traits || EXCLUDED.traits,
         updated_at = now()`,
      [event.workspaceId, event.accountId, d.name ?? null, d.domain ?? null, d.csmOwner ?? null, d.plan ?? null,
        d.arr ?? null, d.seats === undefined ? null : Math.round(d.seats), d.lifecycleStage ?? null, JSON.stringify(d.traits ?? {})],
    );
    if (d.csmOwner) {
      // Work created before the owner was known goes to the owner now.
      await this.tasks.assignOwnerToUnassigned(m, event.workspaceId, event.accountId!, d.csmOwner);
      await this.alerts.addressOwnerToUnaddressed(m, event.workspaceId, event.accountId!, d.csmOwner);
    }
  }

  /** Keeps the newest health by event time; a late, older event does not overwrite it. */
  async applyHealthChanged(m: EntityManager, event: EventEnvelope<HealthChangedV1>): Promise<void> {
    await m.query(
      `INSERT INTO account (workspace_id, account_id, health_score, health_band, health_updated_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (workspace_id, account_id) DO UPDATE SET
         health_score = EXCLUDED.health_score, health_band = EXCLUDED.health_band,
         health_updated_at = EXCLUDED.health_updated_at, updated_at = now()
       WHERE account.health_updated_at IS NULL OR account.health_updated_at <= EXCLUDED.health_updated_at`,
      [event.workspaceId, event.accountId, event.data.current.score, event.data.current.band, event.time],
    );
  }

  /**
   * Onboarding facts from a usage summary. Summaries can arrive late or out of order: the
   * earliest first-activity and first-value and the latest last-activity win.
   */
  async applyUsageSummary(m: EntityManager, event: EventEnvelope<UsageSummaryV1>): Promise<void> {
    const d = event.data;
    const first = instant(d.firstActivityAt);
    const value = instant(d.firstValueAt);
    const last = instant(d.lastActivityAt);
    if (!first && !value && !last) return;
    await m.query(
      `INSERT INTO account (workspace_id, account_id, first_activity_at, first_value_at, last_activity_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (workspace_id, account_id) DO UPDATE SET
         first_activity_at = LEAST(account.first_activity_at, EXCLUDED.first_activity_at),
         first_value_at = LEAST(account.first_value_at, EXCLUDED.first_value_at),
         last_activity_at = GREATEST(account.last_activity_at, EXCLUDED.last_activity_at),
         updated_at = now()
       WHERE account.first_activity_at IS DISTINCT FROM LEAST(account.first_activity_at, EXCLUDED.first_activity_at)
          OR account.first_value_at IS DISTINCT FROM LEAST(account.first_value_at, EXCLUDED.first_value_at)
          OR account.last_activity_at IS DISTINCT FROM GREATEST(account.last_activity_at, EXCLUDED.last_activity_at)`,
      [event.workspaceId, event.accountId, first, value, last],
    );
  }

  /**
   * The same for a chunk of events in one statement: per account the newest by event time
   * (a row may be updated only once per statement).
   */
  async applyHealthChangedAll(m: EntityManager, events: EventEnvelope<HealthChangedV1>[]): Promise<void> {
    const newest = new Map<string, EventEnvelope<HealthChangedV1>>();
    for (const e of events) {
      if (!e.accountId) continue;
      const key = `${e.workspaceId}\u0000${e.accountId}`;
      const seen = newest.get(key);
      if (!seen || Date.parse(seen.time) <= Date.parse(e.time)) newest.set(key, e);
    }
    if (newest.size === 0) return;
    const rows = [...newest.values()];
    await m.query(
      `INSERT INTO account (workspace_id, account_id, health_score, health_band, health_updated_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::numeric[], $4::text[], $5::timestamptz[])
       ON CONFLICT (workspace_id, account_id) DO UPDATE SET
         health_score = EXCLUDED.health_score, health_band = EXCLUDED.health_band,
         health_updated_at = EXCLUDED.health_updated_at, updated_at = now()
       WHERE account.health_updated_at IS NULL OR account.health_updated_at <= EXCLUDED.health_updated_at`,
      [rows.map((e) => e.workspaceId), rows.map((e) => e.accountId), rows.map((e) => e.data.current.score),
        rows.map((e) => e.data.current.band), rows.map((e) => e.time)],
    );
  }

  async applyContractUpserted(m: EntityManager, event: EventEnvelope<ContractUpsertedV1>): Promise<void> {
    await m.query(
      `INSERT INTO account_contract (workspace_id, contract_id, account_id, end_date) VALUES ($1, $2, $3, $4)
       ON CONFLICT (workspace_id, contract_id) DO UPDATE SET account_id = EXCLUDED.account_id, end_date = EXCLUDED.end_date, updated_at = now()`,
      [event.workspaceId, event.data.contractId, event.accountId, event.data.endDate.slice(0, 10)],
    );
  }

  /** The account as conditions see it, at the time of the triggering event. */
  async facts(m: EntityManager, workspaceId: string, accountId: string, at: Date): Promise<AccountFacts> {
    // One round trip: the account (if known) and its nearest contract end on or after `at`.
    const [r]: {
      known: boolean; name: string | null; csm_owner: string | null; plan: string | null; arr: string | null; seats: number | null;
      lifecycle_stage: string | null; domain: string | null; health_band: string | null; health_score: string | null;
      traits: Record<string, unknown> | null; renewal_date: string | null;
    }[] = await m.query(
      `SELECT a.account_id IS NOT NULL AS known, a.name, a.csm_owner, a.plan, a.arr, a.seats, a.lifecycle_stage, a.domain,
              a.health_band, a.health_score, a.traits,
              (SELECT to_char(min(c.end_date), 'YYYY-MM-DD') FROM account_contract c
                WHERE c.workspace_id = $1 AND c.account_id = $2 AND c.end_date >= $3::date) AS renewal_date
         FROM (SELECT 1) one LEFT JOIN account a ON a.workspace_id = $1 AND a.account_id = $2`,
      [workspaceId, accountId, at.toISOString().slice(0, 10)]);
    const renewalDate = r.renewal_date;
    if (!r.known) return { id: accountId, renewalDate };
    return {
      id: accountId, name: r.name, csmOwner: r.csm_owner, plan: r.plan, arr: numeric.from(r.arr), seats: r.seats, lifecycleStage: r.lifecycle_stage,
      domain: r.domain, band: r.health_band, score: numeric.from(r.health_score), renewalDate, traits: r.traits ?? {},
    };
  }

  /**
   * Accounts (across workspaces) whose onboarding may have stalled as of `now`: no value event,
   * not yet signalled, first active more than `stallDays` ago (and after `after`, the keyset),
   * in a workspace that tracks value; oldest first.
   */
  stallCandidates(m: EntityManager, now: Date, stallDays: number, after: Date, limit: number): Promise<StallCandidate[]> {
    return m.query(
      `SELECT a.workspace_id AS "workspaceId", a.account_id AS "accountId", a.first_activity_at AS "firstActivityAt" FROM account a
        WHERE a.first_value_at IS NULL AND a.onboarding_stalled_at IS NULL AND a.first_activity_at > $3
          AND a.first_activity_at <= $1::timestamptz - make_interval(days => $2) AND ${TRACKS_VALUE}
        ORDER BY a.first_activity_at LIMIT $4`, [now, stallDays, after, limit]);
  }

  /** The account's onboarding facts, locked until the transaction ends; undefined when already signalled or never active. */
  async lockOnboardingFacts(m: EntityManager, workspaceId: string, accountId: string): Promise<OnboardingFacts | undefined> {
    const [a]: { first_activity_at: Date | null; first_value_at: Date | null; last_activity_at: Date | null; tracks_value: boolean }[] = await m.query(
      `SELECT a.first_activity_at, a.first_value_at, a.last_activity_at, ${TRACKS_VALUE} AS tracks_value
         FROM account a WHERE a.workspace_id = $1 AND a.account_id = $2 AND a.onboarding_stalled_at IS NULL FOR UPDATE`, [workspaceId, accountId]);
    if (!a?.first_activity_at) return undefined;
    return {
      firstActivityAt: new Date(a.first_activity_at), firstValueAt: a.first_value_at && new Date(a.first_value_at),
      lastActivityAt: a.last_activity_at && new Date(a.last_activity_at), workspaceTracksValue: a.tracks_value,
    };
  }

  async markOnboardingStalled(m: EntityManager, workspaceId: string, accountId: string, at: Date): Promise<void> {
    await m.query(`UPDATE account SET onboarding_stalled_at = $3 WHERE workspace_id = $1 AND account_id = $2`, [workspaceId, accountId, at]);
  }

  async list(workspaceId: string, filter: { csmOwner?: string; band?: string; limit?: number }): Promise<AccountView[]> {
    const rows = await this.db.getRepository(AccountEntity).find({
      where: { workspaceId, ...(filter.csmOwner ? { csmOwner: filter.csmOwner } : {}), ...(filter.band ? { healthBand: filter.band } : {}) },
      order: { accountId: 'ASC' },
      take: filter.limit ?? 100,
    });
    return Promise.all(rows.map(async (a) => this.view(a, await this.nearestRenewal(this.db.manager, workspaceId, a.accountId, new Date()))));
  }

  async get(workspaceId: string, accountId: string): Promise<AccountView> {
    const a = await this.db.getRepository(AccountEntity).findOneBy({ workspaceId, accountId });
    if (!a) throw new NotFoundException(`account '${accountId}' is not known to playbooks yet`);
    return this.view(a, await this.nearestRenewal(this.db.manager, workspaceId, accountId, new Date()));
  }

  private async nearestRenewal(m: EntityManager, workspaceId: string, accountId: string, at: Date): Promise<string | null> {
    const rows: { end_date: string }[] = await m.query(
      `SELECT to_char(min(end_date), 'YYYY-MM-DD') AS end_date FROM account_contract
        WHERE workspace_id = $1 AND account_id = $2 AND end_date >= $3::date`,
      [workspaceId, accountId, at.toISOString().slice(0, 10)]);
    return rows[0]?.end_date ?? null;
  }

  private view(a: AccountEntity, renewalDate: string | null): AccountView {
    return {
      accountId: a.accountId, name: a.name, domain: a.domain, csmOwner: a.csmOwner, plan: a.plan, arr: a.arr, seats: a.seats,
      lifecycleStage: a.lifecycleStage, traits: a.traits,
      health: { score: a.healthScore, band: a.healthBand, updatedAt: a.healthUpdatedAt },
      renewalDate,
      usage: { firstActivityAt: a.firstActivityAt, firstValueAt: a.firstValueAt, lastActivityAt: a.lastActivityAt, onboardingStalledAt: a.onboardingStalledAt },
      updatedAt: a.updatedAt,
    };
  }
}
