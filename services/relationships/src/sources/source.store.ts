import { TicketSourceKind } from '@cairn/contracts';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** A help desk (or other ticket feed) of a workspace. The secret stays sealed here; it is never returned. */
export interface TicketSourceRow {
  workspaceId: string;
  id: string;
  kind: TicketSourceKind;
  name: string;
  secretSealed: string | null;
  createdAt: Date;
}

const COLUMNS = `workspace_id AS "workspaceId", id, kind, name, secret_sealed AS "secretSealed", created_at AS "createdAt"`;

/** The ticket_source table; every write to it goes through here. */
@Injectable()
export class SourceStore {
  async insert(m: EntityManager, s: Omit<TicketSourceRow, 'createdAt'>): Promise<TicketSourceRow> {
    const [row] = await m.query(
      `INSERT INTO ticket_source (workspace_id, id, kind, name, secret_sealed) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [s.workspaceId, s.id, s.kind, s.name, s.secretSealed]);
    return row;
  }

  async setSecret(m: EntityManager, workspaceId: string, id: string, secretSealed: string): Promise<boolean> {
    const rows = await m.query(
      `UPDATE ticket_source SET secret_sealed = $3, updated_at = now() WHERE workspace_id = $1 AND id = $2 RETURNING id`,
      [workspaceId, id, secretSealed]);
    return rows.length > 0;
  }

  async get(m: EntityManager, workspaceId: string, id: string): Promise<TicketSourceRow | undefined> {
    const [row] = await m.query(`SELECT ${COLUMNS} FROM ticket_source WHERE workspace_id = $1 AND id = $2`, [workspaceId, id]);
    return row;
  }

  list(m: EntityManager, workspaceId: string): Promise<TicketSourceRow[]> {
    return m.query(`SELECT ${COLUMNS} FROM ticket_source WHERE workspace_id = $1 ORDER BY created_at, id`, [workspaceId]);
  }
}
