import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SignedInUser } from '../identity/sessions.service';

const SECRET_KEYS = /secret|password|token|writekey|apikey|authorization/i;

/** Secrets never reach the audit log: any field whose name says it holds one is masked. */
export function redact(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (Array.isArray(value)) return value.slice(0, 200).map((v) => redact(v, depth + 1));
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) =>
    [k, SECRET_KEYS.test(k) && v !== null && typeof v !== 'boolean' ? '***' : redact(v, depth + 1)]));
}

export interface AuditRecord {
  action: string;
  target: string;
  status: number;
  before?: unknown;
  after?: unknown;
  request?: unknown;
}

@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async record(user: Pick<SignedInUser, 'workspaceId' | 'email' | 'role'>, r: AuditRecord): Promise<void> {
    const json = (v: unknown) => (v === undefined ? null : JSON.stringify(redact(v)));
    await this.db.query(
      `INSERT INTO audit_entry (workspace_id, actor, actor_role, action, target, status, before, after, request) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [user.workspaceId, user.email, user.role, r.action, r.target, r.status, json(r.before), json(r.after), json(r.request)]);
  }

  async list(workspaceId: string, limit: number, beforeId?: number) {
    const rows = await this.db.query(
      `SELECT id, at, actor, actor_role, action, target, status, before, after, request FROM audit_entry
        WHERE workspace_id = $1 AND ($3::bigint IS NULL OR id < $3) ORDER BY id DESC LIMIT $2`, [workspaceId, limit, beforeId ?? null]);
    return rows.map((r: any) => ({
      id: Number(r.id), at: new Date(r.at).toISOString(), actor: r.actor, actorRole: r.actor_role, action: r.action, target: r.target,
      status: r.status, before: r.before, after: r.after, request: r.request,
    }));
  }
}
