import { deterministicUuid } from '@cairn/contracts';
import { PlaybooksConfig } from '../config';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, FindOptionsWhere, In } from 'typeorm';
import { txMemo } from '../common/tx-memo';
import { AlertNotice } from '../domain/alert-payloads';
import { ChannelRegistry } from './channels/channel.registry';
import { DeliveryAttemptEntity, DeliveryEntity } from './delivery.entity';
import { ListDeliveriesQuery } from './dto';

const SEVERITY_RANK: Record<string, number> = { info: 0, warning: 1, critical: 2 };

/** The LISTEN/NOTIFY channel that wakes the delivery worker when new deliveries commit. */
export function deliveryChannel(schema: string): string {
  return `cairn_delivery_${schema}`;
}

@Injectable()
export class DeliveriesService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly config: PlaybooksConfig, private readonly registry: ChannelRegistry) {}

  /**
   * Queues alerts for every channel of their workspace (at least the channel's minSeverity), in
   * the caller's transaction: the alerts and their deliveries commit together, and the commit
   * wakes the worker. One statement for all of them.
   */
  async enqueueAll(m: EntityManager, notices: AlertNotice[]): Promise<number> {
    const rows: string[][] = [];
    for (const notice of notices) {
      const rank = SEVERITY_RANK[notice.alert.severity] ?? 0;
      for (const c of (await this.channelsOf(m, notice.workspaceId)).filter((ch) => (SEVERITY_RANK[ch.min_severity] ?? 0) <= rank)) {
        const channel = this.registry.get(c.type);
        if (!channel) continue;
        const body = channel.render(notice);
        rows.push([notice.workspaceId, deterministicUuid('delivery', notice.workspaceId, notice.alert.id, c.id), notice.alert.id, c.id, c.type, body]);
      }
    }
    if (rows.length === 0) return 0;
    await m.query(
      `INSERT INTO delivery (workspace_id, id, alert_id, channel_id, channel_type, body)
       SELECT * FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[])
       ON CONFLICT DO NOTHING`,
      [0, 1, 2, 3, 4, 5].map((i) => rows.map((r) => r[i])));
    // Delivered at commit; once per transaction is enough.
    await txMemo(m, 'delivery-notify', () => m.query(`SELECT pg_notify($1, '')`, [deliveryChannel(this.config.schema)]));
    return rows.length;
  }

  /** Once per transaction and workspace: a consumer chunk raises many alerts. */
  private channelsOf(m: EntityManager, workspaceId: string): Promise<{ id: string; type: string; min_severity: string }[]> {
    return txMemo(m, `channels|${workspaceId}`, () => m.query(
      `SELECT id, type, min_severity FROM channel WHERE workspace_id = $1 AND deleted_at IS NULL ORDER BY created_at, id`, [workspaceId]));
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
