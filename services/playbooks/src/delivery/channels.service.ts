import { generateSecret } from '@cairn/auth';
import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, IsNull } from 'typeorm';
import { EmailRecipients } from '../domain/email-recipients';
import { SecretBox } from '@cairn/auth';
import { ChannelEntity } from './channel.entity';
import { ChannelRegistry } from './channels/channel.registry';
import { CreateChannelDto } from './dto';

export interface ChannelView {
  id: string;
  type: string;
  name: string | null;
  /** The target as its kind's channel shows it: credentials in the URL (path tokens, query values, a password) masked; null for email channels. */
  url: string | null;
  /** Email channels: "owner" or the addresses given. */
  to?: EmailRecipients;
  minSeverity: string;
  hasSecret: boolean;
  createdAt: Date;
  /** Only in the creation response, and only when Cairn generated it. */
  secret?: string;
}

@Injectable()
export class ChannelsService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly box: SecretBox, private readonly registry: ChannelRegistry) {}

  async create(workspaceId: string, dto: CreateChannelDto): Promise<ChannelView> {
    const channel = this.registry.get(dto.type);
    if (!channel) throw new BadRequestException([`type: unknown channel kind '${dto.type}'; one of ${this.registry.kinds().join(', ')}`]);
    const problems = await channel.validate(dto);
    if (problems.length) throw new BadRequestException(problems);
    const generated = dto.secret === undefined && channel.signing === 'generated' ? generateSecret('whsec_') : undefined;
    const secret = dto.secret ?? generated;
    const id = randomUUID();
    const target = channel.target(dto);
    await this.db.getRepository(ChannelEntity).insert({
      workspaceId, id, type: dto.type, name: dto.name ?? null, url: target.url, emailTo: target.emailTo,
      sealedSecret: secret === undefined ? null : this.box.seal(secret), minSeverity: dto.minSeverity ?? 'info',
    });
    const view = this.toView(await this.db.getRepository(ChannelEntity).findOneByOrFail({ workspaceId, id }));
    return generated ? { ...view, secret: generated } : view;
  }

  async list(workspaceId: string): Promise<ChannelView[]> {
    const rows = await this.db.getRepository(ChannelEntity).find({ where: { workspaceId, deletedAt: IsNull() }, order: { createdAt: 'ASC' } });
    return rows.map((r) => this.toView(r));
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

  private toView(c: ChannelEntity): ChannelView {
    const described = this.registry.get(c.type)?.describe({ url: c.url, emailTo: c.emailTo }) ?? null;
    return {
      id: c.id, type: c.type, name: c.name, url: described, ...(c.emailTo !== null ? { to: c.emailTo } : {}),
      minSeverity: c.minSeverity, hasSecret: c.sealedSecret !== null, createdAt: c.createdAt,
    };
  }
}
