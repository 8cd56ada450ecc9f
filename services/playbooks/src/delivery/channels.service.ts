import { generateSecret } from '@cairn/auth';
import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, IsNull } from 'typeorm';
import { EmailRecipients } from '../domain/email-recipients';
import { SecretBox } from '../domain/secret-box';
import { webhookTargetProblem } from '../domain/webhook-target';
import { PlaybooksConfig } from '../config';
import { ChannelEntity } from './channel.entity';
import { CreateChannelDto } from './dto';

export interface ChannelView {
  id: string;
  type: string;
  name: string | null;
  /** Credentials in the URL (Slack's path token, query values, a password) are masked; null for email channels. */
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
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly box: SecretBox, private readonly config: PlaybooksConfig) {}

  async create(workspaceId: string, dto: CreateChannelDto): Promise<ChannelView> {
    const problems = this.problems(dto);
    if (dto.type !== 'email' && dto.url !== undefined && problems.length === 0) {
      const target = await webhookTargetProblem(dto.url, this.config.PLAYBOOKS_WEBHOOK_ALLOW_PRIVATE_NETWORKS === 'true');
      if (target) problems.push(target);
    }
    if (problems.length) throw new BadRequestException(problems);
    const generated = dto.secret === undefined && dto.type === 'webhook' ? generateSecret('whsec_') : undefined;
    const secret = dto.secret ?? generated;
    const id = randomUUID();
    await this.db.getRepository(ChannelEntity).insert({
      workspaceId, id, type: dto.type, name: dto.name ?? null, url: dto.type === 'email' ? null : dto.url!, emailTo: dto.type === 'email' ? dto.to! : null,
      sealedSecret: secret === undefined ? null : this.box.seal(secret), minSeverity: dto.minSeverity ?? 'info',
    });
    const view = toView(await this.db.getRepository(ChannelEntity).findOneByOrFail({ workspaceId, id }));
    return generated ? { ...view, secret: generated } : view;
  }

  /** What the DTO alone cannot say: which fields belong to which channel type, and whether email can be sent at all. */
  private problems(dto: CreateChannelDto): string[] {
    if (dto.type !== 'email') return dto.to !== undefined ? ['to: only email channels have recipients; webhook and Slack channels take a url'] : [];
    const problems: string[] = [];
    if (dto.url !== undefined) problems.push('url: email channels send to "to", not to a URL');
    if (dto.secret !== undefined) problems.push('secret: only webhook and Slack channels are signed');
    if (!this.config.SMTP_URL) problems.push('type: email channels need SMTP_URL to be configured on the playbooks service');
    return problems;
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
    id: c.id, type: c.type, name: c.name, url: c.url === null ? null : maskUrl(c.type, c.url), ...(c.emailTo !== null ? { to: c.emailTo } : {}),
    minSeverity: c.minSeverity, hasSecret: c.sealedSecret !== null, createdAt: c.createdAt,
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
