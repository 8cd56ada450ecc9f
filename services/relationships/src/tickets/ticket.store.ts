import { TicketPriority, TicketSourceKind, TicketStatus } from '@cairn/contracts';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TicketObservation } from '../domain/ticket';

/** A ticket as stored: the newest state the help desk told of. */
export interface TicketRow {
  workspaceId: string;
  id: string;
  sourceId: string;
  sourceKind: TicketSourceKind;
  externalId: string;
  accountId: string | null;
  organizationId: string | null;
  organizationName: string | null;
  requesterEmail: string | null;
  status: TicketStatus;
  priority: TicketPriority | null;
  tags: string[];
  escalated: boolean;
  subject: string | null;
  openedAt: Date;
  eventTime: Date;
  firstResponseAt: Date | null;
  solvedAt: Date | null;
  satisfaction: 'good' | 'bad' | 'neutral' | null;
  satisfactionScore: number | null;
  publishedStatus: TicketStatus | null;
}

const COLUMNS = `workspace_id AS "workspaceId", id, source_id AS "sourceId", source_kind AS "sourceKind", external_id AS "externalId",
  account_id AS "accountId", organization_id AS "organizationId", organization_name AS "organizationName",
  requester_email AS "requesterEmail", status, priority, tags, escalated, subject, opened_at AS "openedAt",
  event_time AS "eventTime", first_response_at AS "firstResponseAt", solved_at AS "solvedAt", satisfaction,
  satisfaction_score AS "satisfactionScore", published_status AS "publishedStatus"`;

/** The ticket, ticket_delivery and organization_mapping tables; every write to them goes through here. */
@Injectable()
export class TicketStore {
  /** Remembers a delivery id; false when it was seen before (a replay or a vendor's retry). */
  async recordDelivery(m: EntityManager, workspaceId: string, sourceId: string, deliveryId: string): Promise<boolean> {
    const rows = await m.query(
      `INSERT INTO ticket_delivery (workspace_id, source_id, delivery_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1`,
      [workspaceId, sourceId, deliveryId]);
    return rows.length > 0;
  }

  async forgetDeliveriesBefore(m: EntityManager, before: Date): Promise<number> {
    const [, count] = await m.query(`DELETE FROM ticket_delivery WHERE received_at < $1`, [before]);
    return count ?? 0;
  }

  /**
   * Stores the observation as the ticket's state when it is newer than what is stored (event time);
   * timestamps that arrive once (first response, rating) are kept from whichever delivery had them.
   * Returns the ticket as stored, locked for the caller's transaction.
   */
  async upsert(m: EntityManager, t: { workspaceId: string; id: string; sourceId: string; sourceKind: TicketSourceKind; escalated: boolean },
    o: TicketObservation): Promise<TicketRow> {
    await m.query(
      `INSERT INTO ticket AS t (workspace_id, id, source_id, source_kind, external_id, account_id, organization_id, organization_name,
         requester_email, status, priority, tags, escalated, subject, opened_at, event_time, first_response_at, solved_at,
         satisfaction, satisfaction_score)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
       ON CONFLICT (workspace_id, id) DO UPDATE SET
         account_id = COALESCE(EXCLUDED.account_id, t.account_id),
         organization_id = CASE WHEN EXCLUDED.event_time >= t.event_time THEN COALESCE(EXCLUDED.organization_id, t.organization_id) ELSE t.organization_id END,
         organization_name = COALESCE(EXCLUDED.organization_name, t.organization_name),
         requester_email = COALESCE(EXCLUDED.requester_email, t.requester_email),
         status = CASE WHEN EXCLUDED.event_time >= t.event_time THEN EXCLUDED.status ELSE t.status END,
         priority = CASE WHEN EXCLUDED.event_time >= t.event_time THEN COALESCE(EXCLUDED.priority, t.priority) ELSE t.priority END,
         tags = CASE WHEN EXCLUDED.event_time >= t.event_time THEN EXCLUDED.tags ELSE t.tags END,
         escalated = CASE WHEN EXCLUDED.event_time >= t.event_time THEN EXCLUDED.escalated ELSE t.escalated END,
         subject = COALESCE(EXCLUDED.subject, t.subject),
         opened_at = LEAST(EXCLUDED.opened_at, t.opened_at),
         event_time = GREATEST(EXCLUDED.event_time, t.event_time),
         first_response_at = LEAST(COALESCE(EXCLUDED.first_response_at, t.first_response_at), COALESCE(t.first_response_at, EXCLUDED.first_response_at)),
         solved_at = CASE WHEN EXCLUDED.event_time >= t.event_time THEN EXCLUDED.solved_at ELSE t.solved_at END,
         satisfaction = COALESCE(EXCLUDED.satisfaction, t.satisfaction),
         satisfaction_score = COALESCE(EXCLUDED.satisfaction_score, t.satisfaction_score)`,
      [t.workspaceId, t.id, t.sourceId, t.sourceKind, o.externalId, o.accountId ?? null, o.organizationId ?? null, o.organizationName ?? null,
        o.requesterEmail?.toLowerCase() ?? null, o.status, o.priority ?? null, o.tags, t.escalated, o.subject ?? null, o.openedAt,
        o.updatedAt, o.firstResponseAt ?? null, o.solvedAt ?? null, o.satisfaction ?? null, o.satisfactionScore ?? null]);
    const [row] = await m.query(`SELECT ${COLUMNS} FROM ticket WHERE workspace_id = $1 AND id = $2 FOR UPDATE`, [t.workspaceId, t.id]);
    return row;
  }

  async setAccount(m: EntityManager, workspaceId: string, id: string, accountId: string): Promise<void> {
    await m.query(`UPDATE ticket SET account_id = $3 WHERE workspace_id = $1 AND id = $2`, [workspaceId, id, accountId]);
  }

  async markPublished(m: EntityManager, workspaceId: string, id: string, status: TicketStatus): Promise<void> {
    await m.query(`UPDATE ticket SET published_status = $3 WHERE workspace_id = $1 AND id = $2`, [workspaceId, id, status]);
  }

  async get(m: EntityManager, workspaceId: string, id: string): Promise<TicketRow | undefined> {
    const [row] = await m.query(`SELECT ${COLUMNS} FROM ticket WHERE workspace_id = $1 AND id = $2`, [workspaceId, id]);
    return row;
  }

  list(m: EntityManager, workspaceId: string, filter: { accountId?: string; unmapped?: boolean; limit: number }): Promise<TicketRow[]> {
    const where = ['workspace_id = $1'];
    const params: unknown[] = [workspaceId];
    if (filter.unmapped) where.push('account_id IS NULL');
    if (filter.accountId) { params.push(filter.accountId); where.push(`account_id = $${params.length}`); }
    params.push(filter.limit);
    return m.query(`SELECT ${COLUMNS} FROM ticket WHERE ${where.join(' AND ')} ORDER BY event_time DESC, id LIMIT $${params.length}`, params);
  }

  /** Unmapped tickets an organization mapping, a contact or an account domain may now place, locked. */
  unmappedMatching(m: EntityManager, workspaceId: string, by: { sourceId?: string; organizationId?: string; email?: string; domain?: string }): Promise<TicketRow[]> {
    const where = ['workspace_id = $1', 'account_id IS NULL'];
    const params: unknown[] = [workspaceId];
    const add = (sql: string, v: unknown) => { params.push(v); where.push(sql.replace('?', `$${params.length}`)); };
    if (by.sourceId) add('source_id = ?', by.sourceId);
    if (by.organizationId) add('organization_id = ?', by.organizationId);
    if (by.email) add('requester_email = lower(?)', by.email);
    if (by.domain) add(`split_part(requester_email, '@', 2) = lower(?)`, by.domain);
    return m.query(`SELECT ${COLUMNS} FROM ticket WHERE ${where.join(' AND ')} ORDER BY event_time FOR UPDATE`, params);
  }

  async mapOrganization(m: EntityManager, workspaceId: string, sourceId: string, organizationId: string, accountId: string): Promise<void> {
    await m.query(
      `INSERT INTO organization_mapping (workspace_id, source_id, organization_id, account_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (workspace_id, source_id, organization_id) DO UPDATE SET account_id = EXCLUDED.account_id, updated_at = now()`,
      [workspaceId, sourceId, organizationId, accountId]);
  }

  async accountOfOrganization(m: EntityManager, workspaceId: string, sourceId: string, organizationId: string): Promise<string | undefined> {
    const [row] = await m.query(
      `SELECT account_id AS "accountId" FROM organization_mapping WHERE workspace_id = $1 AND source_id = $2 AND organization_id = $3`,
      [workspaceId, sourceId, organizationId]);
    return row?.accountId;
  }
}
