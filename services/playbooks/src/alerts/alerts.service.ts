import { Topics } from '@cairn/contracts';
import { OutboxWriter } from '@cairn/messaging';
import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, FindOptionsWhere } from 'typeorm';
import { TaskEntity } from '../tasks/task.entity';
import { AlertEntity } from './alert.entity';
import { InboxQuery, ListAlertsQuery } from './dto';

@Injectable()
export class AlertsService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly outbox: OutboxWriter) {}

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

  /** Idempotent: acknowledging twice keeps the first acknowledgement (and publishes one event). */
  async acknowledge(workspaceId: string, id: string, by: string | undefined): Promise<AlertEntity> {
    return this.db.transaction(async (m) => {
      const repo = m.getRepository(AlertEntity);
      // TypeORM answers an UPDATE … RETURNING with [rows, affected].
      const [changed]: [{ acknowledged_at: Date }[], number] = await m.query(
        `UPDATE alert SET status = 'acknowledged', acknowledged_by = $3, acknowledged_at = now()
          WHERE workspace_id = $1 AND id = $2 AND status = 'open'
          RETURNING acknowledged_at`, [workspaceId, id, by ?? null]);
      const alert = await repo.findOneBy({ workspaceId, id });
      if (!alert) throw new NotFoundException(`alert '${id}' not found`);
      const first = changed[0];
      if (first) {
        const at = new Date(first.acknowledged_at);
        await this.outbox.publish(m, Topics.alertAcknowledged, {
          workspaceId, accountId: alert.accountId, time: at,
          data: { alertId: id, playbookId: alert.playbookId, ...(by ? { acknowledgedBy: by } : {}), acknowledgedAt: at.toISOString() },
        });
      }
      return alert;
    });
  }

  private async isKnownPerson(workspaceId: string, subject: string): Promise<boolean> {
    const rows = await this.db.query(
      `SELECT EXISTS (SELECT 1 FROM account WHERE workspace_id = $1 AND csm_owner = $2)
           OR EXISTS (SELECT 1 FROM alert WHERE workspace_id = $1 AND recipient = $2) AS known`,
      [workspaceId, subject]);
    return rows[0]?.known === true;
  }
}
