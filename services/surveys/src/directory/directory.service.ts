import { AccountUpsertedV1, ContactUpsertedV1, EventEnvelope } from '@cairn/contracts';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AccountEntity, ContactEntity } from './directory.entities';

/**
 * The audience of surveys: accounts and contacts as the directory (ingestion) describes them.
 * Upserts keep the newest state by event time, so a late, older event never overwrites it.
 */
@Injectable()
export class DirectoryService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async applyAccount(m: EntityManager, event: EventEnvelope<AccountUpsertedV1>): Promise<void> {
    if (!event.accountId) return;
    const d = event.data;
    const segment = typeof d.traits?.segment === 'string' ? d.traits.segment : null;
    await m.query(
      `INSERT INTO account AS a (workspace_id, account_id, name, plan, segment, csm_owner, traits, source_time)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (workspace_id, account_id) DO UPDATE SET
         name = COALESCE(EXCLUDED.name, a.name), plan = COALESCE(EXCLUDED.plan, a.plan),
         segment = COALESCE(EXCLUDED.segment, a.segment), csm_owner = COALESCE(EXCLUDED.csm_owner, a.csm_owner),
         traits = a.traits || EXCLUDED.traits, source_time = EXCLUDED.source_time, updated_at = now()
       WHERE a.source_time <= EXCLUDED.source_time`,
      [event.workspaceId, event.accountId, d.name ?? null, d.plan ?? null, segment, d.csmOwner ?? null,
        JSON.stringify(d.traits ?? {}), new Date(event.time)],
    );
  }

  async applyContact(m: EntityManager, event: EventEnvelope<ContactUpsertedV1>): Promise<void> {
    const d = event.data;
    await m.query(
      `INSERT INTO contact AS c (workspace_id, contact_id, email, name, role, account_ids, traits, source_time)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (workspace_id, contact_id) DO UPDATE SET
         email = COALESCE(EXCLUDED.email, c.email), name = COALESCE(EXCLUDED.name, c.name),
         role = COALESCE(EXCLUDED.role, c.role), account_ids = EXCLUDED.account_ids,
         traits = c.traits || EXCLUDED.traits, source_time = EXCLUDED.source_time, updated_at = now()
       WHERE c.source_time <= EXCLUDED.source_time`,
      [event.workspaceId, d.contactId, d.email ?? null, d.name ?? null, d.role ?? null, d.accountIds,
        JSON.stringify(d.traits ?? {}), new Date(event.time)],
    );
  }

  findContact(workspaceId: string, contactId: string, m: EntityManager = this.db.manager): Promise<ContactEntity | null> {
    return m.getRepository(ContactEntity).findOneBy({ workspaceId, contactId });
  }

  findAccount(workspaceId: string, accountId: string, m: EntityManager = this.db.manager): Promise<AccountEntity | null> {
    return m.getRepository(AccountEntity).findOneBy({ workspaceId, accountId });
  }
}
