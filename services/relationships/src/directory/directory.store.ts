import { AccountUpsertedV1, ContactUpsertedV1, EventEnvelope } from '@cairn/contracts';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/**
 * What relationships knows of accounts (name, domain) and contacts (email → accounts), from the
 * directory's events; the newest event time wins. Its tables (account, contact) are written only here.
 */
@Injectable()
export class DirectoryStore {
  async applyAccount(m: EntityManager, event: EventEnvelope<AccountUpsertedV1>): Promise<void> {
    if (!event.accountId) return;
    const d = event.data;
    const domain = d.domain ?? (typeof d.traits?.domain === 'string' ? d.traits.domain : null);
    await m.query(
      `INSERT INTO account AS a (workspace_id, account_id, name, domain, source_time) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (workspace_id, account_id) DO UPDATE SET
         name = COALESCE(EXCLUDED.name, a.name), domain = COALESCE(EXCLUDED.domain, a.domain), source_time = EXCLUDED.source_time
       WHERE a.source_time <= EXCLUDED.source_time`,
      [event.workspaceId, event.accountId, d.name ?? null, domain ? domain.toLowerCase() : null, new Date(event.time)]);
  }

  async applyContact(m: EntityManager, event: EventEnvelope<ContactUpsertedV1>): Promise<void> {
    const d = event.data;
    await m.query(
      `INSERT INTO contact AS c (workspace_id, contact_id, email, account_ids, source_time) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (workspace_id, contact_id) DO UPDATE SET
         email = COALESCE(EXCLUDED.email, c.email), account_ids = EXCLUDED.account_ids, source_time = EXCLUDED.source_time
       WHERE c.source_time <= EXCLUDED.source_time`,
      [event.workspaceId, d.contactId, d.email?.toLowerCase() ?? null, d.accountIds, new Date(event.time)]);
  }

  /** The account of a contact with this email, when exactly one account claims it. */
  async accountOfEmail(m: EntityManager, workspaceId: string, email: string): Promise<string | undefined> {
    const rows: Array<{ accountId: string }> = await m.query(
      `SELECT DISTINCT unnest(account_ids) AS "accountId" FROM contact WHERE workspace_id = $1 AND lower(email) = lower($2)`,
      [workspaceId, email]);
    return rows.length === 1 ? rows[0].accountId : undefined;
  }

  /** The account whose domain this is, when exactly one has it. */
  async accountOfDomain(m: EntityManager, workspaceId: string, domain: string): Promise<string | undefined> {
    const rows: Array<{ accountId: string }> = await m.query(
      `SELECT account_id AS "accountId" FROM account WHERE workspace_id = $1 AND lower(domain) = lower($2) LIMIT 2`,
      [workspaceId, domain]);
    return rows.length === 1 ? rows[0].accountId : undefined;
  }
}
