import { deterministicUuid, EventEnvelope, HealthChangedV1, Topics } from '@cairn/contracts';
import { OutboxWriter } from '@cairn/messaging';
import { BadRequestException, ConflictException, HttpException, Injectable, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { AccountsService } from '../accounts/accounts.service';
import { Clock } from '@cairn/runtime';
import { RenewalCalendarService } from '../calendar/renewal-calendar.service';
import { contractsFromCsv, ImportRow } from '../domain/contract-import';
import { outcomeProblems } from '../domain/renewal-outcome';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { ContractEntity } from './contract.entity';
import { RecordOutcomeDto, UpsertContractDto } from './dto';

export const MAX_IMPORT_ROWS = 5000;

export interface ContractImportReport {
  received: number;
  imported: number;
  failed: number;
  errors: Array<{ row: number; id?: string; problems: string[] }>;
}

@Injectable()
export class ContractsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly accounts: AccountsService,
    private readonly calendar: RenewalCalendarService,
    private readonly clock: Clock,
  ) {}

  async upsert(workspaceId: string, dto: UpsertContractDto): Promise<ContractEntity> {
    if (dto.endDate <= dto.startDate) throw new BadRequestException('endDate: must be after startDate');
    return this.db.transaction(async (m) => {
      const repo = m.getRepository(ContractEntity);
      await repo.upsert({
        workspaceId, id: dto.id, accountId: dto.accountId, arr: dto.arr, currency: dto.currency ?? 'USD',
        seats: dto.seats ?? null, plan: dto.plan ?? null, startDate: dto.startDate, endDate: dto.endDate,
        autoRenew: dto.autoRenew ?? false, owner: dto.owner ?? null,
      }, ['workspaceId', 'id']);
      // Health that arrived before the contract (kept on the account) applies to it at once.
      await m.query(
        `UPDATE contract c SET health_score = a.health_score, health_band = a.health_band, health_updated_at = a.health_updated_at
           FROM account a
          WHERE c.workspace_id = $1 AND c.id = $2 AND a.workspace_id = c.workspace_id AND a.account_id = c.account_id
            AND a.health_updated_at IS NOT NULL AND (c.health_updated_at IS NULL OR c.health_updated_at < a.health_updated_at)`,
        [workspaceId, dto.id]);
      const saved = await repo.findOneByOrFail({ workspaceId, id: dto.id });
      await this.outbox.publish(m, Topics.contractUpserted, {
        workspaceId, accountId: saved.accountId,
        data: {
          contractId: saved.id, arr: saved.arr, currency: saved.currency, startDate: saved.startDate,
          endDate: saved.endDate, autoRenew: saved.autoRenew, ...(saved.owner ? { owner: saved.owner } : {}),
        },
      });
      // A horizon already passed at import fires now, in this transaction (only the nearest one).
      await this.calendar.fireDue(m, workspaceId, saved.id);
      return saved;
    });
  }

  /**
   * Bulk import (JSON array or CSV): each row is validated and upserted on its own, so one bad
   * row never loses the good ones; the report names each rejected row and why.
   */
  async import(workspaceId: string, body: unknown, contentType: string | undefined): Promise<ContractImportReport> {
    let rows: ImportRow[];
    if (/^text\/csv\b/i.test(contentType ?? '')) {
      if (typeof body !== 'string') throw new BadRequestException('body: expected CSV text');
      try {
        rows = contractsFromCsv(body);
      } catch (e) {
        throw new BadRequestException(`csv: ${(e as Error).message}`);
      }
    } else {
      const list = Array.isArray(body) ? body : (body as { contracts?: unknown })?.contracts;
      if (!Array.isArray(list)) throw new BadRequestException('body: expected a JSON array of contracts, or { "contracts": [...] }, or text/csv');
      rows = list.map((value, i) => ({ row: i + 1, value: value as Record<string, unknown> }));
    }
    if (rows.length > MAX_IMPORT_ROWS) throw new PayloadTooLargeException(`at most ${MAX_IMPORT_ROWS} contracts per import (got ${rows.length})`);
    const report: ContractImportReport = { received: rows.length, imported: 0, failed: 0, errors: [] };
    const seen = new Map<string, number>();
    for (const { row, value } of rows) {
      const id = typeof value?.id === 'string' ? value.id : undefined;
      const fail = (problems: string[]) => { report.failed++; report.errors.push({ row, ...(id ? { id } : {}), problems }); };
      if (typeof value !== 'object' || value === null || Array.isArray(value)) { fail(['row: must be an object']); continue; }
      const { __extraCells, ...fields } = value;
      const dto = plainToInstance(UpsertContractDto, fields);
      const problems = (await validate(dto, { whitelist: true, forbidNonWhitelisted: true }))
        .flatMap((e) => Object.values(e.constraints ?? {}));
      if (__extraCells) problems.push(`row: has ${__extraCells} more cell(s) than the header has columns`);
      if (id && seen.has(id)) problems.push(`id: '${id}' already appears at row ${seen.get(id)} of this import`);
      if (problems.length) { fail(problems); continue; }
      seen.set(dto.id, row);
      try {
        await this.upsert(workspaceId, dto);
        report.imported++;
      } catch (e) {
        // Values the database refuses (e.g. an ARR beyond numeric(14,2)) are the row's problem, not the import's.
        if (e instanceof QueryFailedError && /^2[23]/.test(String((e as QueryFailedError & { code?: string }).code))) {
          fail([`row: the database refused it (${e.message})`]);
          continue;
        }
        if (!(e instanceof HttpException) || e.getStatus() >= 500) throw e;
        const message = (e.getResponse() as { message?: string | string[] }).message ?? e.message;
        fail(Array.isArray(message) ? message : [message]);
      }
    }
    return report;
  }

  /** Closes the renewal with its outcome and publishes renewal.closed; an outcome is recorded once. */
  async recordOutcome(workspaceId: string, id: string, dto: RecordOutcomeDto): Promise<ContractEntity> {
    return this.db.transaction(async (m) => {
      const repo = m.getRepository(ContractEntity);
      const [contract] = await repo.find({ where: { workspaceId, id }, lock: { mode: 'pessimistic_write' } });
      if (!contract) throw new NotFoundException(`contract '${id}' not found`);
      if (contract.outcome) {
        throw new ConflictException(`contract '${id}' is already closed as ${contract.outcome} (at ${contract.closedAt?.toISOString()})`);
      }
      const problems = outcomeProblems(dto.outcome, contract.arr, dto.arrAfter, dto.reason);
      const now = this.clock.now();
      const closedAt = dto.closedAt ? new Date(dto.closedAt) : now;
      if (closedAt.getTime() > now.getTime()) problems.push(`closedAt: ${dto.closedAt} is in the future`);
      if (closedAt.toISOString().slice(0, 10) < String(contract.startDate).slice(0, 10)) {
        problems.push(`closedAt: ${dto.closedAt} is before the contract started (${String(contract.startDate).slice(0, 10)})`);
      }
      if (problems.length) throw new BadRequestException(problems);
      await repo.update({ workspaceId, id }, {
        outcome: dto.outcome, arrAfter: dto.arrAfter, outcomeReason: dto.reason?.trim() || null, closedAt,
      });
      const saved = await repo.findOneByOrFail({ workspaceId, id });
      await this.outbox.publish(m, Topics.renewalClosed, {
        id: deterministicUuid('renewal.closed', workspaceId, id), workspaceId, accountId: saved.accountId, time: closedAt,
        data: {
          contractId: id, outcome: dto.outcome, arrBefore: saved.arr, arrAfter: dto.arrAfter,
          ...(saved.outcomeReason ? { reason: saved.outcomeReason } : {}), closedAt: closedAt.toISOString(),
        },
      });
      return saved;
    });
  }

  list(workspaceId: string, accountId?: string): Promise<ContractEntity[]> {
    return this.db.getRepository(ContractEntity).find({
      where: { workspaceId, ...(accountId ? { accountId } : {}) }, order: { endDate: 'ASC' },
    });
  }

  async get(workspaceId: string, id: string): Promise<ContractEntity> {
    const c = await this.db.getRepository(ContractEntity).findOneBy({ workspaceId, id });
    if (!c) throw new NotFoundException(`contract '${id}' not found`);
    return c;
  }

  /** Keeps the latest health of accounts that have contracts (event-carried state). */
  async applyHealth(m: EntityManager, event: EventEnvelope<HealthChangedV1>): Promise<void> {
    if (!event.accountId) return;
    await this.accounts.applyHealth(m, event);
    await m.createQueryBuilder().update(ContractEntity)
      .set({ healthScore: event.data.current.score, healthBand: event.data.current.band, healthUpdatedAt: new Date(event.time) })
      .where('workspace_id = :ws AND account_id = :acc AND (health_updated_at IS NULL OR health_updated_at <= :t)',
        { ws: event.workspaceId, acc: event.accountId, t: new Date(event.time) })
      .execute();
  }
}
