import { HealthChangedV1, EventEnvelope, Topics } from '@cairn/contracts';
import { OutboxWriter } from '@cairn/persistence';
import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ContractEntity } from './contract.entity';
import { UpsertContractDto } from './dto';

@Injectable()
export class ContractsService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly outbox: OutboxWriter) {}

  async upsert(workspaceId: string, dto: UpsertContractDto): Promise<ContractEntity> {
    if (dto.endDate <= dto.startDate) throw new BadRequestException('endDate: must be after startDate');
    return this.db.transaction(async (m) => {
      const repo = m.getRepository(ContractEntity);
      await repo.upsert({
        workspaceId, id: dto.id, accountId: dto.accountId, arr: dto.arr, currency: dto.currency ?? 'USD',
        seats: dto.seats ?? null, plan: dto.plan ?? null, startDate: dto.startDate, endDate: dto.endDate,
        autoRenew: dto.autoRenew ?? false, owner: dto.owner ?? null,
      }, ['workspaceId', 'id']);
      const saved = await repo.findOneByOrFail({ workspaceId, id: dto.id });
      await this.outbox.publish(m, Topics.contractUpserted, {
        workspaceId, accountId: saved.accountId,
        data: {
          contractId: saved.id, arr: saved.arr, currency: saved.currency, startDate: saved.startDate,
          endDate: saved.endDate, autoRenew: saved.autoRenew, ...(saved.owner ? { owner: saved.owner } : {}),
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
    await m.createQueryBuilder().update(ContractEntity)
      .set({ healthScore: event.data.current.score, healthBand: event.data.current.band, healthUpdatedAt: new Date(event.time) })
      .where('workspace_id = :ws AND account_id = :acc AND (health_updated_at IS NULL OR health_updated_at <= :t)',
        { ws: event.workspaceId, acc: event.accountId, t: new Date(event.time) })
      .execute();
  }
}
