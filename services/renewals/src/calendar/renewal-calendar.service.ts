import { deterministicUuid, HEALTH_BANDS, HealthBand, Topics } from '@cairn/contracts';
import { createLogger } from '@cairn/observability';
import { OutboxWriter } from '@cairn/messaging';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AccountEntity } from '../accounts/account.entity';
import { ContractEntity } from '../contracts/contract.entity';
import { daysUntil, dueHorizon, nextHorizon, utcDate } from '../domain/renewal-calendar';
import { RenewalsConfig } from '../config';
import { Clock } from '@cairn/runtime';
import { RenewalNoticeEntity } from './renewal-notice.entity';

export interface UpcomingRenewal {
  contractId: string;
  accountId: string;
  accountName: string | null;
  endDate: string;
  daysToRenewal: number;
  arr: number;
  currency: string;
  owner: string | null;
  healthBand: string | null;
  /** The next horizon that will fire, or null when none is left. */
  nextHorizonDays: number | null;
  notices: Array<{ horizonDays: number; daysToRenewal: number; firedAt: Date }>;
}

/**
 * Sends renewal.upcoming once per contract and horizon. Called inside a contract's upsert
 * transaction (a late import fires the nearest passed horizon at once) and by the scheduled
 * scan. The notice row and the outgoing event commit together; the notice's primary key and
 * the contract row lock keep it to one even with retries, restarts and several instances.
 */
@Injectable()
export class RenewalCalendarService {
  private readonly log = createLogger('renewal-calendar');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
    private readonly config: RenewalsConfig,
  ) {}

  get horizons(): number[] {
    return this.config.horizons;
  }

  /** Fires the notice now due for one contract, if any. The caller's transaction holds the contract row. */
  async fireDue(m: EntityManager, workspaceId: string, contractId: string, now: Date = this.clock.now()): Promise<RenewalNoticeEntity | null> {
    const [contract] = await m.getRepository(ContractEntity).find({ where: { workspaceId, id: contractId }, lock: { mode: 'pessimistic_write' } });
    if (!contract || contract.outcome) return null;
    const days = daysUntil(contract.endDate, utcDate(now));
    const [{ nearest }] = await m.query(
      `SELECT min(horizon_days) AS nearest FROM renewal_notice WHERE workspace_id = $1 AND contract_id = $2`, [workspaceId, contractId]);
    const horizon = dueHorizon(days, this.horizons, nearest === null ? null : Number(nearest));
    if (horizon === null) return null;

    const eventId = deterministicUuid('renewal.upcoming', workspaceId, contractId, horizon);
    const inserted = await m.query(
      `INSERT INTO renewal_notice (workspace_id, contract_id, horizon_days, end_date, days_to_renewal, event_id, fired_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING horizon_days`,
      [workspaceId, contractId, horizon, contract.endDate, days, eventId, now]);
    if (inserted.length === 0) return null;

    const account = await m.getRepository(AccountEntity).findOneBy({ workspaceId, accountId: contract.accountId });
    const band = latestBand(contract, account);
    const owner = contract.owner ?? account?.csmOwner ?? undefined;
    await this.outbox.publish(m, Topics.renewalUpcoming, {
      id: eventId, workspaceId, accountId: contract.accountId, time: now,
      data: {
        contractId, endDate: contract.endDate, horizonDays: horizon, daysToRenewal: days, arr: contract.arr, currency: contract.currency,
        ...(band ? { healthBand: band } : {}), ...(owner ? { owner } : {}),
      },
    });
    this.log.info({ workspaceId, contractId, horizonDays: horizon, daysToRenewal: days }, 'renewal upcoming');
    return m.getRepository(RenewalNoticeEntity).findOneByOrFail({ workspaceId, contractId, horizonDays: horizon });
  }

  /** Looks at every open contract whose end date is within the widest horizon; returns how many notices fired. */
  async scan(now: Date = this.clock.now()): Promise<number> {
    const today = utcDate(now);
    const widest = Math.max(...this.horizons);
    const candidates: Array<{ workspace_id: string; id: string; end_date: string; nearest: number | null }> = await this.db.query(
      `SELECT c.workspace_id, c.id, to_char(c.end_date, 'YYYY-MM-DD') AS end_date, min(n.horizon_days) AS nearest
         FROM contract c
         LEFT JOIN renewal_notice n ON n.workspace_id = c.workspace_id AND n.contract_id = c.id
        WHERE c.outcome IS NULL AND c.end_date >= $1::date AND c.end_date <= $1::date + $2::int
        GROUP BY c.workspace_id, c.id, c.end_date`, [today, widest]);
    let fired = 0;
    for (const c of candidates) {
      if (dueHorizon(daysUntil(c.end_date, today), this.horizons, c.nearest === null ? null : Number(c.nearest)) === null) continue;
      // One transaction per contract: one bad row does not hold back the others.
      try {
        if (await this.db.transaction((m) => this.fireDue(m, c.workspace_id, c.id, now))) fired++;
      } catch (e) {
        this.log.error({ workspaceId: c.workspace_id, contractId: c.id, error: (e as Error).message }, 'renewal notice failed; retried at the next scan');
      }
    }
    return fired;
  }

  /** Open contracts of a workspace ending within `withinDays`, soonest first, with the notices sent. */
  async upcoming(workspaceId: string, withinDays: number): Promise<UpcomingRenewal[]> {
    const now = this.clock.now();
    const today = utcDate(now);
    const contracts = await this.db.getRepository(ContractEntity).createQueryBuilder('c')
      .where('c.workspace_id = :ws AND c.outcome IS NULL AND c.end_date >= :today::date AND c.end_date <= :today::date + :within::int',
        { ws: workspaceId, today, within: withinDays })
      .orderBy('c.end_date', 'ASC').addOrderBy('c.id', 'ASC').getMany();
    if (contracts.length === 0) return [];
    const ids = contracts.map((c) => c.id);
    const accountIds = [...new Set(contracts.map((c) => c.accountId))];
    const [notices, accounts] = await Promise.all([
      this.db.getRepository(RenewalNoticeEntity).createQueryBuilder('n')
        .where('n.workspace_id = :ws AND n.contract_id IN (:...ids)', { ws: workspaceId, ids }).orderBy('n.horizon_days', 'DESC').getMany(),
      this.db.getRepository(AccountEntity).createQueryBuilder('a')
        .where('a.workspace_id = :ws AND a.account_id IN (:...accountIds)', { ws: workspaceId, accountIds }).getMany(),
    ]);
    const accountById = new Map(accounts.map((a) => [a.accountId, a]));
    return contracts.map((c) => {
      const days = daysUntil(c.endDate, today);
      const sent = notices.filter((n) => n.contractId === c.id);
      const nearestSent = sent.length ? Math.min(...sent.map((n) => n.horizonDays)) : null;
      const account = accountById.get(c.accountId);
      return {
        contractId: c.id, accountId: c.accountId, accountName: account?.name ?? null, endDate: c.endDate, daysToRenewal: days,
        arr: c.arr, currency: c.currency, owner: c.owner ?? account?.csmOwner ?? null, healthBand: latestBand(c, account) ?? null,
        nextHorizonDays: nextHorizon(days, this.horizons, nearestSent),
        notices: sent.map((n) => ({ horizonDays: n.horizonDays, daysToRenewal: n.daysToRenewal, firedAt: n.firedAt })),
      };
    });
  }
}

/** The newer of the health the contract and its account learnt; renewals keeps both. */
function latestBand(contract: ContractEntity, account: AccountEntity | null | undefined): HealthBand | undefined {
  const fromAccount = account?.healthBand && (!contract.healthUpdatedAt || (account.healthUpdatedAt && account.healthUpdatedAt > contract.healthUpdatedAt));
  const band = fromAccount ? account!.healthBand : contract.healthBand;
  return band && (HEALTH_BANDS as readonly string[]).includes(band) ? (band as HealthBand) : undefined;
}
