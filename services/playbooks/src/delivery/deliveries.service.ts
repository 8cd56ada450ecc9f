import { ServiceConfig } from '@cairn/runtime';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, FindOptionsWhere, In } from 'typeorm';
import { AlertNotice, slackBody, webhookBody } from '../domain/alert-payloads';
import { deterministicUuid } from '../domain/ids';
import { DeliveryAttemptEntity, DeliveryEntity } from './delivery.entity';
import { ListDeliveriesQuery } from './dto';

const SEVERITY_RANK: Record<string, number> = { info: 0, warning: 1, critical: 2 };

/** The LISTEN/NOTIFY channel that wakes the delivery worker when new deliveries commit. */
export function deliveryChannel(schema: string): string {
  return `cairn_delivery_${schema}`;
}

@Injectable()
export class DeliveriesService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly config: ServiceConfig) {}

  /**
   * Queues an alert for every channel of its workspace, in the caller's transaction: the alert
   * and its deliveries commit together, and the commit wakes the worker.
   */
  async enqueue(m: EntityManager, notice: AlertNotice): Promise<number> {
    const channels: { id: string; type: string }[] = await m.query(
      `SELECT id, type FROM channel WHERE workspace_id = $1 AND deleted_at IS NULL
          AND (CASE min_severity WHEN 'critical' THEN 2 WHEN 'warning' THEN 1 ELSE 0 END) <= $2`,
      [notice.workspaceId, SEVERITY_RANK[notice.alert.severity] ?? 0]);
    if (channels.length === 0) return 0;
    for (const c of channels) {
      const body = JSON.stringify(c.type === 'slack' ? slackBody(notice) : webhookBody(notice));
      await m.query(
        `INSERT INTO delivery (workspace_id, id, alert_id, channel_id, channel_type, body) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT DO NOTHING`,
        [notice.workspaceId, deterministicUuid('delivery', notice.workspaceId, notice.alert.id, c.id), notice.alert.id, c.id, c.type, body]);
    }
    await m.query(`SELECT pg_notify($1, '')`, [deliveryChannel(this.config.schema)]);
    return channels.length;
  }

  /** The delivery log: each delivery with every attempt (status code or error, duration). */
  async list(workspaceId: string, q: ListDeliveriesQuery) {
    const where: FindOptionsWhere<DeliveryEntity> = { workspaceId };
    if (q.alertId) where.alertId = q.alertId;
    if (q.channelId) where.channelId = q.channelId;
    if (q.status) where.status = q.status;
    const deliveries = await this.db.getRepository(DeliveryEntity).find({
      where, order: { createdAt: 'DESC', id: 'ASC' }, take: q.limit ?? 100,
      select: ['id', 'alertId', 'channelId', 'channelType', 'status', 'attempts', 'nextAttemptAt', 'lastStatusCode', 'lastError', 'deliveredAt', 'createdAt', 'updatedAt'],
    });
    const attempts = deliveries.length === 0 ? [] : await this.db.getRepository(DeliveryAttemptEntity).find({
      where: { workspaceId, deliveryId: In(deliveries.map((d) => d.id)) }, order: { attempt: 'ASC' },
    });
    return deliveries.map((d) => ({
      ...d,
      nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt : null,
      log: attempts.filter((a) => a.deliveryId === d.id)
        .map((a) => ({ attempt: a.attempt, startedAt: a.startedAt, durationMs: a.durationMs, statusCode: a.statusCode, error: a.error })),
    }));
  }
}
