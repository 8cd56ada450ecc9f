import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { departureFromRemoval } from '../domain/champion-departure';
import { AccountEntity, ContactEntity } from './directory.entities';
import { DirectoryService } from './directory.service';
import { DirectoryStore } from './directory.store';
import { ListAccountsQuery, ListContactsQuery, PatchAccountDto, SetRoleDto } from './dto';

export interface MemberView {
  contactId: string; accountId: string; role: string | null; email: string | null; name: string | null; title: string | null;
  removedAt: Date | null; departedAt: Date | null; departureRule: string | null; lastSeenAt: Date | null;
}

const MEMBER_SELECT = `
  SELECT mb.contact_id AS "contactId", mb.account_id AS "accountId", mb.role, c.email, c.name, c.title,
         mb.removed_at AS "removedAt", mb.departed_at AS "departedAt", mb.departure_rule AS "departureRule",
         ua.last_seen_at AS "lastSeenAt"
    FROM membership mb
    JOIN contact c ON c.workspace_id = mb.workspace_id AND c.id = mb.contact_id
    LEFT JOIN user_activity ua ON ua.workspace_id = mb.workspace_id AND ua.user_id = mb.contact_id`;

/** Reads and CSM edits of the directory (management API); every query is scoped by workspace. */
@Injectable()
export class DirectoryApiService {
  constructor(
    @InjectDataSource() private readonly db: DataSource, private readonly directory: DirectoryService, private readonly store: DirectoryStore,
  ) {}

  listAccounts(ws: string, q: ListAccountsQuery): Promise<AccountEntity[]> {
    return this.db.getRepository(AccountEntity).find({
      where: { workspaceId: ws, ...(q.csmOwner ? { csmOwner: q.csmOwner } : {}) },
      order: { id: 'ASC' }, take: q.limit ?? 100, skip: q.offset ?? 0,
    });
  }

  async getAccount(ws: string, id: string) {
    const account = await this.db.getRepository(AccountEntity).findOneBy({ workspaceId: ws, id });
    if (!account) throw new NotFoundException(`account '${id}' not found`);
    const contacts = await this.db.query(`${MEMBER_SELECT} WHERE mb.workspace_id = $1 AND mb.account_id = $2 ORDER BY mb.contact_id`, [ws, id]) as MemberView[];
    return { ...account, contacts };
  }

  async patchAccount(ws: string, id: string, dto: PatchAccountDto): Promise<AccountEntity> {
    if (dto.csmOwner === undefined && dto.domain === undefined) throw new BadRequestException('send csmOwner and/or domain');
    await this.db.transaction(async (m) => {
      if (!(await this.store.accountExists(m, ws, id))) throw new NotFoundException(`account '${id}' not found`);
      const overrides = {
        ...(dto.csmOwner !== undefined ? { csmOwner: dto.csmOwner } : {}),
        ...(dto.domain !== undefined ? { domain: dto.domain.replace(/^https?:\/\//i, '').replace(/^www\./i, '').replace(/\/$/, '').toLowerCase() } : {}),
      };
      await this.directory.upsertAccount(m, ws, id, {}, `api:${Date.now()}`, overrides);
    });
    return this.db.getRepository(AccountEntity).findOneByOrFail({ workspaceId: ws, id });
  }

  async listContacts(ws: string, q: ListContactsQuery) {
    if (q.accountId) {
      return this.db.query(`${MEMBER_SELECT} WHERE mb.workspace_id = $1 AND mb.account_id = $2 ORDER BY mb.contact_id LIMIT $3 OFFSET $4`,
        [ws, q.accountId, q.limit ?? 100, q.offset ?? 0]) as Promise<MemberView[]>;
    }
    return this.db.getRepository(ContactEntity).find({ where: { workspaceId: ws }, order: { id: 'ASC' }, take: q.limit ?? 100, skip: q.offset ?? 0 });
  }

  async getContact(ws: string, id: string) {
    const contact = await this.db.getRepository(ContactEntity).findOneBy({ workspaceId: ws, id });
    if (!contact) throw new NotFoundException(`contact '${id}' not found`);
    const memberships = await this.db.query(`${MEMBER_SELECT} WHERE mb.workspace_id = $1 AND mb.contact_id = $2 ORDER BY mb.account_id`, [ws, id]) as MemberView[];
    const [activity] = await this.db.query(
      `SELECT first_seen_at AS "firstSeenAt", last_seen_at AS "lastSeenAt", events::int AS events FROM user_activity WHERE workspace_id = $1 AND user_id = $2`,
      [ws, id]) as Array<Record<string, unknown>>;
    return { ...contact, memberships: memberships.map(({ contactId: _c, email: _e, name: _n, title: _t, lastSeenAt: _l, ...rest }) => rest), activity: activity ?? null };
  }

  /** Marks the person's role in an account (champion, decision maker …), adding them to it if needed. */
  async setRole(ws: string, contactId: string, dto: SetRoleDto) {
    await this.db.transaction(async (m) => {
      if (!(await this.store.contactExists(m, ws, contactId))) throw new NotFoundException(`contact '${contactId}' not found`);
      if (!(await this.store.accountExists(m, ws, dto.accountId))) throw new NotFoundException(`account '${dto.accountId}' not found`);
      await this.store.assignRole(m, ws, dto.accountId, contactId, dto.role);
      await this.directory.publishContact(m, ws, contactId, [dto.accountId]);
    });
    return this.getContact(ws, contactId);
  }

  /** Takes a person out of an account; for a champion or decision maker that is a departure. */
  async removeFromAccount(ws: string, accountId: string, contactId: string) {
    const result = await this.db.transaction((m) =>
      this.directory.removeMember(m, ws, accountId, contactId, new Date(), departureFromRemoval('api')));
    if (!result.member) throw new NotFoundException(`contact '${contactId}' is not in account '${accountId}'`);
    return { accountId, contactId, removed: true, departureSignalled: result.departed };
  }
}
