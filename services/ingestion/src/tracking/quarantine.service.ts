import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { QuarantineEntity } from './quarantine.entity';

export interface QuarantinedCall {
  reason: string;
  messageId?: string;
  payload: unknown;
}

@Injectable()
export class QuarantineService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Keeps refused calls with their reasons (one insert for a whole batch). */
  async keep(workspaceId: string, receivedAt: Date, sourceId: string | undefined, calls: QuarantinedCall[], manager?: EntityManager): Promise<void> {
    if (calls.length === 0) return;
    const values: unknown[] = [];
    const rows = calls.map((c, i) => {
      values.push(workspaceId, receivedAt, sourceId ?? null, c.messageId ?? null, c.reason, JSON.stringify(c.payload ?? null));
      const b = i * 6;
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}::jsonb)`;
    });
    await (manager ?? this.db).query(
      `INSERT INTO quarantine (workspace_id, received_at, source_id, message_id, reason, payload) VALUES ${rows.join(', ')}`, values);
  }

  list(workspaceId: string, limit: number, messageId?: string): Promise<QuarantineEntity[]> {
    return this.db.getRepository(QuarantineEntity).find({
      where: { workspaceId, ...(messageId ? { messageId } : {}) }, order: { receivedAt: 'DESC', id: 'DESC' }, take: limit,
    });
  }
}
