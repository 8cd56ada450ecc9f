import { SecretBox } from '@cairn/auth';
import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CreateSourceDto } from './dto';
import { SourceStore, TicketSourceRow } from './source.store';

/** What the API shows of a source: never the secret, and the path the help desk must call. */
export function describeSource(s: TicketSourceRow) {
  return {
    workspaceId: s.workspaceId, id: s.id, kind: s.kind, name: s.name, hasSecret: s.secretSealed !== null,
    webhookPath: s.kind === 'api' ? null : `/webhooks/${s.kind}/${s.workspaceId}/${s.id}`,
    createdAt: s.createdAt,
  };
}

@Injectable()
export class SourcesService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly store: SourceStore, private readonly box: SecretBox) {}

  async create(workspaceId: string, dto: CreateSourceDto) {
    const id = dto.id ?? randomUUID();
    if (await this.store.get(this.db.manager, workspaceId, id)) throw new BadRequestException(`source ${id} already exists`);
    const row = await this.store.insert(this.db.manager, {
      workspaceId, id, kind: dto.kind, name: dto.name, secretSealed: dto.signingSecret ? this.box.seal(dto.signingSecret) : null,
    });
    return describeSource(row);
  }

  async setSecret(workspaceId: string, id: string, secret: string) {
    const source = await this.get(workspaceId, id);
    if (source.kind === 'api') throw new BadRequestException('an api source has no signing secret: it is called with API tokens');
    await this.store.setSecret(this.db.manager, workspaceId, id, this.box.seal(secret));
    return describeSource({ ...source, secretSealed: 'set' });
  }

  async list(workspaceId: string) {
    return (await this.store.list(this.db.manager, workspaceId)).map(describeSource);
  }

  async get(workspaceId: string, id: string): Promise<TicketSourceRow> {
    const s = await this.store.get(this.db.manager, workspaceId, id);
    if (!s) throw new NotFoundException(`source ${id} not found`);
    return s;
  }

  /** The signing secret in clear, to verify one delivery; never logged, never returned. */
  openSecret(source: TicketSourceRow): string | undefined {
    return source.secretSealed ? this.box.open(source.secretSealed) : undefined;
  }
}
