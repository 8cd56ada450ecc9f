import { randomUUID } from 'node:crypto';
import { hashPassword, passwordProblem } from '../domain/passwords';
import { isRole, Role, ROLES } from '../domain/roles';

/** Runs one SQL statement and gives its rows (TypeORM's DataSource, a pg client: both fit). */
export type Sql = (text: string, params?: unknown[]) => Promise<any[]>;

export interface ConsoleUser {
  id: string;
  workspaceId: string;
  email: string;
  name: string | null;
  role: Role;
  disabled: boolean;
  sso: boolean;
  lockedUntil: string | null;
  lastSignInAt: string | null;
  createdAt: string;
}

export class UserInputError extends Error {
  constructor(readonly problems: string[]) { super(problems.join('; ')); }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const WORKSPACE = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export function toUser(r: any): ConsoleUser {
  return {
    id: r.id, workspaceId: r.workspace_id, email: r.email, name: r.name ?? null, role: r.role, disabled: r.disabled,
    sso: !!r.sso_subject, lockedUntil: r.locked_until ? new Date(r.locked_until).toISOString() : null,
    lastSignInAt: r.last_sign_in_at ? new Date(r.last_sign_in_at).toISOString() : null, createdAt: new Date(r.created_at).toISOString(),
  };
}

export interface NewUser { workspaceId: string; email: string; name?: string; role: string; password?: string }
export interface UserChange { role?: string; name?: string; disabled?: boolean; password?: string; unlock?: boolean }

/** Console users of a workspace: used by the admin API and by `npm run user`. */
export class UsersStore {
  constructor(private readonly sql: Sql) {}

  async list(workspaceId: string): Promise<ConsoleUser[]> {
    return (await this.sql(`SELECT * FROM console_user WHERE workspace_id = $1 ORDER BY lower(email)`, [workspaceId])).map(toUser);
  }

  async get(workspaceId: string, id: string): Promise<ConsoleUser | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const [r] = await this.sql(`SELECT * FROM console_user WHERE workspace_id = $1 AND id = $2`, [workspaceId, id]);
    return r ? toUser(r) : undefined;
  }

  async findByEmail(workspaceId: string, email: string): Promise<ConsoleUser | undefined> {
    const [r] = await this.sql(`SELECT * FROM console_user WHERE workspace_id = $1 AND lower(email) = lower($2)`, [workspaceId, email]);
    return r ? toUser(r) : undefined;
  }

  /** Creates a user, or (upsert) changes the role, name and password of the one with that e-mail. */
  async create(input: NewUser, { upsert = false } = {}): Promise<ConsoleUser> {
    const problems: string[] = [];
    if (typeof input.workspaceId !== 'string' || !WORKSPACE.test(input.workspaceId)) problems.push('workspace: lower-case letters, digits, _ and - (at most 63)');
    if (typeof input.email !== 'string' || !EMAIL.test(input.email) || input.email.length > 320) problems.push('email: must be an e-mail address');
    if (!isRole(input.role)) problems.push(`role: must be one of ${ROLES.join(', ')}`);
    const pw = input.password === undefined ? undefined : passwordProblem(input.password);
    if (input.password === undefined) problems.push('password: required');
    else if (pw) problems.push(pw);
    if (input.name !== undefined && (typeof input.name !== 'string' || input.name.length > 200)) problems.push('name: at most 200 characters');
    if (problems.length) throw new UserInputError(problems);
    const existing = await this.findByEmail(input.workspaceId, input.email);
    if (existing && !upsert) throw new UserInputError([`email: ${input.email} already has an account in this workspace`]);
    const hash = await hashPassword(input.password!);
    if (existing) {
      await this.sql(`UPDATE console_user SET role = $3, name = COALESCE($4, name), password_hash = $5, failed_attempts = 0, locked_until = NULL, disabled = false, updated_at = now()
                       WHERE workspace_id = $1 AND id = $2`, [input.workspaceId, existing.id, input.role, input.name ?? null, hash]);
      return (await this.get(input.workspaceId, existing.id))!;
    }
    const id = randomUUID();
    await this.sql(`INSERT INTO console_user (id, workspace_id, email, name, role, password_hash) VALUES ($1, $2, $3, $4, $5, $6)`,
      [id, input.workspaceId, input.email.trim(), input.name ?? null, input.role, hash]);
    return (await this.get(input.workspaceId, id))!;
  }

  async update(workspaceId: string, id: string, change: UserChange): Promise<ConsoleUser | undefined> {
    const problems: string[] = [];
    if (change.role !== undefined && !isRole(change.role)) problems.push(`role: must be one of ${ROLES.join(', ')}`);
    if (change.password !== undefined) { const p = passwordProblem(change.password); if (p) problems.push(p); }
    if (change.disabled !== undefined && typeof change.disabled !== 'boolean') problems.push('disabled: must be true or false');
    if (change.name !== undefined && (typeof change.name !== 'string' || change.name.length > 200)) problems.push('name: at most 200 characters');
    if (problems.length) throw new UserInputError(problems);
    if (!(await this.get(workspaceId, id))) return undefined;
    const hash = change.password !== undefined ? await hashPassword(change.password) : null;
    await this.sql(
      `UPDATE console_user SET role = COALESCE($3, role), name = COALESCE($4, name), disabled = COALESCE($5, disabled),
              password_hash = COALESCE($6, password_hash),
              failed_attempts = CASE WHEN $7 OR $6 IS NOT NULL THEN 0 ELSE failed_attempts END,
              locked_until = CASE WHEN $7 OR $6 IS NOT NULL THEN NULL ELSE locked_until END, updated_at = now()
        WHERE workspace_id = $1 AND id = $2`,
      [workspaceId, id, change.role ?? null, change.name ?? null, change.disabled ?? null, hash, change.unlock === true]);
    if (change.disabled || change.role !== undefined || hash) {
      // A changed role or password, or a disabled user, signs every open session out.
      await this.sql(`DELETE FROM console_session WHERE user_id = $1`, [id]);
    }
    return this.get(workspaceId, id);
  }

  async remove(workspaceId: string, id: string): Promise<boolean> {
    if (!(await this.get(workspaceId, id))) return false;
    await this.sql(`DELETE FROM console_user WHERE workspace_id = $1 AND id = $2`, [workspaceId, id]);
    return true;
  }
}
