import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, FindOptionsWhere } from 'typeorm';
import { TaskEntity } from '../tasks/task.entity';
import { AlertEntity } from './alert.entity';
import { InboxQuery, ListAlertsQuery } from './dto';

@Injectable()
export class AlertsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  list(workspaceId: string, q: ListAlertsQuery): Promise<AlertEntity[]> {
    const where: FindOptionsWhere<AlertEntity> = { workspaceId };
    if (q.accountId) where.accountId = q.accountId;
    if (q.status) where.status = q.status;
    if (q.severity) where.severity = q.severity;
    if (q.recipient) where.recipient = q.recipient;
    return this.db.getRepository(AlertEntity).find({ where, order: { createdAt: 'DESC', id: 'ASC' }, take: q.limit ?? 100 });
  }

  /**
   * The in-app inbox. A CSM's token sees the alerts addressed to them plus unaddressed ones;
   * a token whose subject is no CSM of this workspace (CS ops, an integration) sees them all.
   */
  async inbox(workspaceId: string, subject: string | undefined, q: InboxQuery): Promise<AlertEntity[]> {
    const scope = q.scope ?? ((subject && (await this.isKnownPerson(workspaceId, subject))) ? 'mine' : 'all');
    const qb = this.db.getRepository(AlertEntity).createQueryBuilder('a')
      .where('a.workspace_id = :ws', { ws: workspaceId })
      .orderBy('a.created_at', 'DESC').addOrderBy('a.id', 'ASC')
      .take(q.limit ?? 100);
    if (q.status) qb.andWhere('a.status = :status', { status: q.status });
    if (scope === 'mine') {
      qb.andWhere(new Brackets((b) => b.where('a.recipient = :me', { me: subject ?? '' }).orWhere('a.recipient IS NULL')));
    }
    return qb.getMany();
  }

  async get(workspaceId: string, id: string): Promise<AlertEntity & { task: TaskEntity | null }> {
    const alert = await this.db.getRepository(AlertEntity).findOneBy({ workspaceId, id });
    if (!alert) throw new NotFoundException(`alert '${id}' not found`);
    const task = alert.taskId ? await this.db.getRepository(TaskEntity).findOneBy({ workspaceId, id: alert.taskId }) : null;
    return { ...alert, task };
  }

  /** Idempotent: acknowledging twice keeps the first acknowledgement. */
  async acknowledge(workspaceId: string, id: string, by: string | undefined): Promise<AlertEntity> {
    const repo = this.db.getRepository(AlertEntity);
    await repo.createQueryBuilder().update()
      .set({ status: 'acknowledged', acknowledgedBy: by ?? null, acknowledgedAt: () => 'now()' })
      .where('workspace_id = :ws AND id = :id AND status = :open', { ws: workspaceId, id, open: 'open' })
      .execute();
    const alert = await repo.findOneBy({ workspaceId, id });
    if (!alert) throw new NotFoundException(`alert '${id}' not found`);
    return alert;
  }

  private async isKnownPerson(workspaceId: string, subject: string): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT EXISTS (SELECT 1 FROM account WHERE workspace_id = $1 AND csm_owner = $2)
           OR EXISTS (SELECT 1 FROM alert WHERE workspace_id = $1 AND recipient = $2) AS known`,
      [workspaceId, subject]);
    return rows[0]?.known === true;
  }
}
