import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ConsoleConfig } from '../config';
import { afterFailure, isLocked } from '../domain/lockout';
import { verifyPassword } from '../domain/passwords';
import { Role } from '../domain/roles';
import { UsersStore } from './users.store';

export const SESSION_COOKIE = 'cairn_session';

/** Who is behind a request: read from the session, never from anything the browser says. */
export interface SignedInUser {
  userId: string;
  workspaceId: string;
  email: string;
  name: string | null;
  role: Role;
  csrfToken: string;
  sessionHash: string;
  via: 'password' | 'sso';
}

export type SignInResult =
  | { ok: true; sessionId: string; user: SignedInUser }
  | { ok: false; status: 401 | 423; message: string };

const digest = (s: string) => createHash('sha256').update(s).digest('hex');

@Injectable()
export class SessionsService {
  readonly users: UsersStore;

  constructor(@InjectDataSource() private readonly db: DataSource, private readonly config: ConsoleConfig) {
    this.users = new UsersStore((t, p) => db.query(t, p));
  }

  async signIn(workspaceId: string, email: string, password: string, now = new Date()): Promise<SignInResult> {
    const wrong = { ok: false as const, status: 401 as const, message: 'wrong workspace, e-mail or password' };
    const [row] = await this.db.query(
      `SELECT * FROM console_user WHERE workspace_id = $1 AND lower(email) = lower($2)`, [workspaceId, email]);
    if (!row || row.disabled) {
      await verifyPassword(null, password); // as slow as a real check
      return wrong;
    }
    const state = { failedAttempts: row.failed_attempts as number, lockedUntil: row.locked_until ? new Date(row.locked_until) : null };
    if (isLocked(state, now)) return this.locked(state.lockedUntil!, now);
    if (!(await verifyPassword(row.password_hash, password))) {
      const next = afterFailure(state, { attempts: this.config.CONSOLE_LOCKOUT_ATTEMPTS, lockMinutes: this.config.CONSOLE_LOCKOUT_MINUTES }, now);
      await this.db.query(`UPDATE console_user SET failed_attempts = $2, locked_until = $3 WHERE id = $1`, [row.id, next.failedAttempts, next.lockedUntil]);
      return next.lockedUntil ? this.locked(next.lockedUntil, now) : wrong;
    }
    await this.db.query(`UPDATE console_user SET failed_attempts = 0, locked_until = NULL, last_sign_in_at = now() WHERE id = $1`, [row.id]);
    return { ok: true, ...(await this.open(row.id, 'password')) };
  }

  /** A new session for a user (after a password or a single sign-on). */
  async open(userId: string, via: 'password' | 'sso'): Promise<{ sessionId: string; user: SignedInUser }> {
    const sessionId = randomBytes(32).toString('base64url');
    const csrf = randomBytes(24).toString('base64url');
    const [u] = await this.db.query(`SELECT workspace_id FROM console_user WHERE id = $1`, [userId]);
    await this.db.query(
      `INSERT INTO console_session (id_hash, user_id, workspace_id, csrf_token, via) VALUES ($1, $2, $3, $4, $5)`,
      [digest(sessionId), userId, u.workspace_id, csrf, via]);
    const user = await this.resolve(sessionId);
    return { sessionId, user: user! };
  }

  /** The session's user, or undefined when there is none, it idled out, or the user is disabled. */
  async resolve(sessionId: string | undefined, now = new Date()): Promise<SignedInUser | undefined> {
    if (!sessionId || sessionId.length > 100) return undefined;
    const hash = digest(sessionId);
    const [r] = await this.db.query(
      `SELECT s.id_hash, s.csrf_token, s.last_seen_at, s.via, u.id, u.workspace_id, u.email, u.name, u.role, u.disabled
         FROM console_session s JOIN console_user u ON u.id = s.user_id WHERE s.id_hash = $1`, [hash]);
    if (!r) return undefined;
    const idleMs = this.config.CONSOLE_SESSION_IDLE_MINUTES * 60_000;
    const seen = new Date(r.last_seen_at).getTime();
    if (r.disabled || now.getTime() - seen > idleMs) {
      await this.db.query(`DELETE FROM console_session WHERE id_hash = $1`, [hash]);
      return undefined;
    }
    // Touch at most every 30 s: idle expiry needs no write per request.
    if (now.getTime() - seen > 30_000) await this.db.query(`UPDATE console_session SET last_seen_at = $2 WHERE id_hash = $1`, [hash, now]);
    return {
      userId: r.id, workspaceId: r.workspace_id, email: r.email, name: r.name, role: r.role, csrfToken: r.csrf_token, sessionHash: hash, via: r.via,
    };
  }

  async close(user: SignedInUser): Promise<void> {
    await this.db.query(`DELETE FROM console_session WHERE id_hash = $1`, [user.sessionHash]);
  }

  csrfMatches(user: SignedInUser, given: unknown): boolean {
    if (typeof given !== 'string' || !given) return false;
    const a = Buffer.from(user.csrfToken);
    const b = Buffer.from(given);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  cookie(sessionId: string | null): string {
    const parts = [`${SESSION_COOKIE}=${sessionId ?? ''}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
    if (this.config.CONSOLE_SECURE_COOKIES) parts.push('Secure');
    parts.push(sessionId ? `Max-Age=${this.config.CONSOLE_SESSION_IDLE_MINUTES * 60 * 48}` : 'Max-Age=0');
    return parts.join('; ');
  }

  private locked(until: Date, now: Date): SignInResult {
    const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
    return { ok: false, status: 423, message: `too many wrong passwords: this user is locked for ${minutes} more minute${minutes === 1 ? '' : 's'}` };
  }
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}
