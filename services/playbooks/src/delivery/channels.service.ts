import { generateSecret } from '@cairn/auth';
import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, IsNull } from 'typeorm';
import { SecretBox } from '../domain/secret-box';
import { ChannelEntity } from './channel.entity';
import { CreateChannelDto } from './dto';

export interface ChannelView {
  id: string;
  type: string;
  name: string | null;
  /** Credentials in the URL (Slack's path token, query values, a password) are masked. */
  url: string;
  minSeverity: string;
  hasSecret: boolean;
  createdAt: Date;
  /** Only in the creation response, and only when Cairn generated it. */
  secret?: string;
}

@Injectable()
export class ChannelsService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly box: SecretBox) {}

  async create(workspaceId: string, dto: CreateChannelDto): Promise<ChannelView> {
    const generated = dto.secret === undefined && dto.type === 'webhook' ? generateSecret('whsec_') : undefined;
    const secret = dto.secret ?? generated;
    const id = randomUUID();
    await this.db.getRepository(ChannelEntity).insert({
      workspaceId, id, type: dto.type, name: dto.name ?? null, url: dto.url,
      sealedSecret: secret === undefined ? null : this.box.seal(secret), minSeverity: dto.minSeverity ?? 'info',
    });
    const view = toView(await this.db.getRepository(ChannelEntity).findOneByOrFail({ workspaceId, id }));
    return generated ? { ...view, secret: generated } : view;
  }

  async list(workspaceId: string): Promise<ChannelView[]> {
    const rows = await this.db.getRepository(ChannelEntity).find({ where: { workspaceId, deletedAt: IsNull() }, order: { createdAt: 'ASC' } });
    return rows.map(toView);
  }

  /** Kept (soft-deleted) for the delivery log; deliveries still waiting are cancelled. */
  async remove(workspaceId: string, id: string): Promise<void> {
    await this.db.transaction(async (m) => {
      const [, affected]: [unknown[], number] = await m.query(
        `UPDATE channel SET deleted_at = now() WHERE workspace_id = $1 AND id = $2 AND deleted_at IS NULL`, [workspaceId, id]);
      if (!affected) throw new NotFoundException(`channel '${id}' not found`);
      await m.query(
        `UPDATE delivery SET status = 'cancelled', last_error = 'channel deleted', updated_at = now()
          WHERE workspace_id = $1 AND channel_id = $2 AND status IN ('pending', 'sending')`, [workspaceId, id]);
    });
  }
}

function toView(c: ChannelEntity): ChannelView {
  return {
    id: c.id, type: c.type, name: c.name, url: maskUrl(c.type, c.url), minSeverity: c.minSeverity,
    hasSecret: c.sealedSecret !== null, createdAt: c.createdAt,
  };
}

export function maskUrl(type: string, raw: string): string {
  try {
    const u = new URL(raw);
    if (u.password) u.password = '***';
    for (const k of [...u.searchParams.keys()]) u.searchParams.set(k, '***');
    if (type === 'slack') {
      const parts = u.pathname.split('/');
      if (parts.length > 2) parts[parts.length - 1] = '***';
      u.pathname = parts.join('/');
    }
    return u.toString();
  } catch {
    return '***';
  }
}
