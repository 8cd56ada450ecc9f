import { DepartureRule } from '@cairn/contracts';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { KEY_CONTACT_ROLES } from '../domain/champion-departure';

/** Rows as Postgres returns them (snake_case). */
export interface AccountRow {
  workspace_id: string; id: string; name: string | null; domain: string | null; plan: string | null; arr: string | null;
  seats: number | null; csm_owner: string | null; lifecycle_stage: string | null; traits: Record<string, unknown>;
}
export interface ContactRow {
  workspace_id: string; id: string; email: string | null; name: string | null; title: string | null; role: string | null;
  traits: Record<string, unknown>; merged_into: string | null;
}
export interface MembershipRow {
  workspace_id: string; account_id: string; contact_id: string; role: string | null; removed_at: Date | null;
  departed_at: Date | null; departure_rule: string | null; departure_episode: number;
}
export type MembershipKey = Pick<MembershipRow, 'workspace_id' | 'account_id' | 'contact_id'>;

/** An account's fields as the directory stores them (arr as Postgres numeric text). */
export type AccountFields = Omit<AccountRow, 'workspace_id' | 'id'>;
export type ContactFields = Pick<ContactRow, 'email' | 'name' | 'title' | 'role' | 'traits'>;

/** `manager.query` answers UPDATE/DELETE … RETURNING with [rows, count]; everything else with rows. */
function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as T[];
}

/**
 * The directory feature's tables: account, contact and membership. Every write to them goes
 * through here, from the directory's rules (DirectoryService), its management API and the usage
 * consumer (a known user back after a long absence, calls that name no account).
 */
@Injectable()
export class DirectoryStore {
  // ---------------------------------------------------------------- account

  async lockAccount(m: EntityManager, ws: string, id: string): Promise<AccountRow | undefined> {
    const [row] = await m.query(`SELECT * FROM account WHERE workspace_id = $1 AND id = $2 FOR UPDATE`, [ws, id]) as AccountRow[];
    return row;
  }

  async accountExists(m: EntityManager, ws: string, id: string): Promise<boolean> {
    const rows = await m.query(`SELECT 1 FROM account WHERE workspace_id = $1 AND id = $2`, [ws, id]) as unknown[];
    return rows.length > 0;
  }

  async accountName(m: EntityManager, ws: string, id: string): Promise<{ id: string; name: string | null } | undefined> {
    const [row] = await m.query(`SELECT id, name FROM account WHERE workspace_id = $1 AND id = $2`, [ws, id]) as Array<{ id: string; name: string | null }>;
    return row;
  }

  async saveAccount(m: EntityManager, ws: string, id: string, a: AccountFields): Promise<AccountRow> {
    const [row] = await m.query(
      `INSERT INTO account (workspace_id, id, name, domain, plan, arr, seats, csm_owner, lifecycle_stage, traits)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb)
       ON CONFLICT (workspace_id, id) DO UPDATE SET name = EXCLUDED.name, domain = EXCLUDED.domain, plan = EXCLUDED.plan,
         arr = EXCLUDED.arr, seats = EXCLUDED.seats, csm_owner = EXCLUDED.csm_owner, lifecycle_stage = EXCLUDED.lifecycle_stage,
         traits = EXCLUDED.traits, updated_at = now()
       RETURNING *`,
      [ws, id, a.name, a.domain, a.plan, a.arr, a.seats, a.csm_owner, a.lifecycle_stage, JSON.stringify(a.traits)],
    ) as AccountRow[];
    return row;
  }

  // ---------------------------------------------------------------- contact

  async contact(m: EntityManager, ws: string, id: string, options: { lock?: boolean } = {}): Promise<ContactRow | undefined> {
    const [row] = await m.query(`SELECT * FROM contact WHERE workspace_id = $1 AND id = $2${options.lock ? ' FOR UPDATE' : ''}`, [ws, id]) as ContactRow[];
    return row;
  }

  async contactExists(m: EntityManager, ws: string, id: string): Promise<boolean> {
    const rows = await m.query(`SELECT 1 FROM contact WHERE workspace_id = $1 AND id = $2`, [ws, id]) as unknown[];
    return rows.length > 0;
  }

  async saveContact(m: EntityManager, ws: string, id: string, c: ContactFields): Promise<void> {
    await m.query(
      `INSERT INTO contact (workspace_id, id, email, name, title, role, traits) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)
       ON CONFLICT (workspace_id, id) DO UPDATE SET email = EXCLUDED.email, name = EXCLUDED.name, title = EXCLUDED.title,
         role = EXCLUDED.role, traits = EXCLUDED.traits, updated_at = now()`,
      [ws, id, c.email, c.name, c.title, c.role, JSON.stringify(c.traits)]);
  }

  /**
   * alias: the previous identity's fields fill what the user id lacks (its own win), traits
   * merged the same way, its memberships copied to the user id (existing ones kept) and removed
   * from it; the previous identity is marked merged.
   */
  async mergeContact(m: EntityManager, ws: string, from: ContactRow, to: string): Promise<void> {
    await m.query(
      `INSERT INTO contact (workspace_id, id, email, name, title, role, traits) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)
       ON CONFLICT (workspace_id, id) DO UPDATE SET email = COALESCE(contact.email, EXCLUDED.email),
         name = COALESCE(contact.name, EXCLUDED.name), title = COALESCE(contact.title, EXCLUDED.title),
         role = COALESCE(contact.role, EXCLUDED.role), traits = EXCLUDED.traits || contact.traits, updated_at = now()`,
      [ws, to, from.email, from.name, from.title, from.role, JSON.stringify(from.traits ?? {})]);
    await m.query(
      `INSERT INTO membership (workspace_id, account_id, contact_id, role, removed_at, departed_at, departure_rule, departure_episode)
       SELECT workspace_id, account_id, $3, role, removed_at, departed_at, departure_rule, departure_episode
         FROM membership WHERE workspace_id = $1 AND contact_id = $2
       ON CONFLICT DO NOTHING`, [ws, from.id, to]);
    await m.query(`DELETE FROM membership WHERE workspace_id = $1 AND contact_id = $2`, [ws, from.id]);
    await m.query(`UPDATE contact SET merged_into = $3, updated_at = now() WHERE workspace_id = $1 AND id = $2`, [ws, from.id, to]);
  }

  // ---------------------------------------------------------------- membership

  /**
   * Puts a person into an account (contact and account rows created bare when unknown), with
   * the contact's role; a removed member comes back, ending a 'removed' departure. Returns
   * whether anything changed.
   */
  async join(m: EntityManager, ws: string, accountId: string, contactId: string): Promise<boolean> {
    await m.query(`INSERT INTO contact (workspace_id, id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [ws, contactId]);
    await m.query(`INSERT INTO account (workspace_id, id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [ws, accountId]);
    const inserted = await m.query(
      `INSERT INTO membership (workspace_id, account_id, contact_id, role)
       SELECT $1, $2, $3, c.role FROM contact c WHERE c.workspace_id = $1 AND c.id = $3
       ON CONFLICT DO NOTHING RETURNING contact_id`, [ws, accountId, contactId]) as unknown[];
    if (inserted.length > 0) return true;
    const back = rowsOf(await m.query(
      `UPDATE membership SET removed_at = NULL, updated_at = now(),
         departed_at = CASE WHEN departure_rule = 'removed' THEN NULL ELSE departed_at END,
         departure_rule = CASE WHEN departure_rule = 'removed' THEN NULL ELSE departure_rule END
       WHERE workspace_id = $1 AND account_id = $2 AND contact_id = $3 AND removed_at IS NOT NULL RETURNING contact_id`,
      [ws, accountId, contactId]));
    return back.length > 0;
  }

  /** A CSM's role assignment: the person joins the account if needed. */
  async assignRole(m: EntityManager, ws: string, accountId: string, contactId: string, role: string): Promise<void> {
    await m.query(
      `INSERT INTO membership (workspace_id, account_id, contact_id, role) VALUES ($1, $2, $3, $4)
       ON CONFLICT (workspace_id, account_id, contact_id) DO UPDATE SET role = EXCLUDED.role, updated_at = now()`,
      [ws, accountId, contactId, role]);
  }

  /** Sets the role in every current membership (or only in `accountId`); returns whether any changed. */
  async setRole(m: EntityManager, ws: string, contactId: string, role: string, accountId?: string): Promise<boolean> {
    const changed = rowsOf(await m.query(
      `UPDATE membership SET role = $3, updated_at = now()
       WHERE workspace_id = $1 AND contact_id = $2 AND removed_at IS NULL AND role IS DISTINCT FROM $3
         ${accountId ? 'AND account_id = $4' : ''} RETURNING account_id`,
      accountId ? [ws, contactId, role, accountId] : [ws, contactId, role]));
    return changed.length > 0;
  }

  async lockMembership(m: EntityManager, k: MembershipKey): Promise<MembershipRow | undefined> {
    const [row] = await m.query(
      `SELECT * FROM membership WHERE workspace_id = $1 AND account_id = $2 AND contact_id = $3 FOR UPDATE`,
      [k.workspace_id, k.account_id, k.contact_id]) as MembershipRow[];
    return row;
  }

  /** A person's current memberships with each account's domain, locked, in account order. */
  async lockCurrentMemberships(m: EntityManager, ws: string, contactId: string): Promise<Array<MembershipRow & { account_domain: string | null }>> {
    return await m.query(
      `SELECT mb.*, a.domain AS account_domain FROM membership mb
         JOIN account a ON a.workspace_id = mb.workspace_id AND a.id = mb.account_id
       WHERE mb.workspace_id = $1 AND mb.contact_id = $2 AND mb.removed_at IS NULL
       ORDER BY mb.account_id FOR UPDATE OF mb`, [ws, contactId]) as Array<MembershipRow & { account_domain: string | null }>;
  }

  /** A person's current memberships, in account order. */
  currentMemberships(m: EntityManager, ws: string, contactId: string): Promise<Array<{ account_id: string; role: string | null }>> {
    return m.query(
      `SELECT account_id, role FROM membership WHERE workspace_id = $1 AND contact_id = $2 AND removed_at IS NULL ORDER BY account_id`,
      [ws, contactId]);
  }

  async markRemoved(m: EntityManager, k: MembershipKey, at: Date): Promise<void> {
    await m.query(`UPDATE membership SET removed_at = $4, updated_at = now() WHERE workspace_id = $1 AND account_id = $2 AND contact_id = $3`,
      [k.workspace_id, k.account_id, k.contact_id, at]);
  }

  async openDeparture(m: EntityManager, k: MembershipKey, at: Date, rule: DepartureRule, episode: number): Promise<void> {
    await m.query(
      `UPDATE membership SET departed_at = $4, departure_rule = $5, departure_episode = $6, updated_at = now()
       WHERE workspace_id = $1 AND account_id = $2 AND contact_id = $3`,
      [k.workspace_id, k.account_id, k.contact_id, at, rule, episode]);
  }

  async endDeparture(m: EntityManager, k: MembershipKey): Promise<void> {
    await m.query(
      `UPDATE membership SET departed_at = NULL, departure_rule = NULL, updated_at = now()
       WHERE workspace_id = $1 AND account_id = $2 AND contact_id = $3`, [k.workspace_id, k.account_id, k.contact_id]);
  }

  /** Known users active again: their inactivity departures end, in every account (one statement). */
  async endInactivityDepartures(m: EntityManager, users: ReadonlyArray<{ ws: string; user: string }>): Promise<void> {
    if (users.length === 0) return;
    await m.query(
      `UPDATE membership mb SET departed_at = NULL, departure_rule = NULL, updated_at = now()
         FROM unnest($1::text[], $2::text[]) AS t(workspace_id, contact_id)
        WHERE mb.workspace_id = t.workspace_id AND mb.contact_id = t.contact_id AND mb.departure_rule = 'inactive'`,
      [users.map((b) => b.ws), users.map((b) => b.user)]);
  }

  /** The one account each of these users currently belongs to; users in none or in several are absent (one statement). */
  async soleAccounts(m: EntityManager, users: ReadonlyArray<{ ws: string; user: string }>)
    : Promise<Array<{ ws: string; user: string; accountId: string }>> {
    const rows = await m.query(
      `SELECT mb.workspace_id, mb.contact_id, min(mb.account_id) AS account_id FROM membership mb
         JOIN unnest($1::text[], $2::text[]) AS t(workspace_id, contact_id)
           ON mb.workspace_id = t.workspace_id AND mb.contact_id = t.contact_id
        WHERE mb.removed_at IS NULL GROUP BY mb.workspace_id, mb.contact_id HAVING count(*) = 1`,
      [users.map((x) => x.ws), users.map((x) => x.user)]) as Array<{ workspace_id: string; contact_id: string; account_id: string }>;
    return rows.map((r) => ({ ws: r.workspace_id, user: r.contact_id, accountId: r.account_id }));
  }

  /**
   * Current key contacts (champions, decision makers) not departed whose last arrival (user_activity, wall
   * clock) is older than their workspace allows (default 30 days).
   */
  async inactiveKeyContactCandidates(m: EntityManager, now: Date, limit: number): Promise<MembershipKey[]> {
    return await m.query(
      `SELECT mb.workspace_id, mb.account_id, mb.contact_id FROM membership mb
         JOIN user_activity ua ON ua.workspace_id = mb.workspace_id AND ua.user_id = mb.contact_id
         LEFT JOIN detection_settings d ON d.workspace_id = mb.workspace_id
        WHERE mb.role = ANY($3::text[]) AND mb.removed_at IS NULL AND mb.departed_at IS NULL
          AND ua.last_received_at < $1::timestamptz - make_interval(days => COALESCE(d.champion_inactive_days, 30))
        LIMIT $2`, [now, limit, KEY_CONTACT_ROLES]) as MembershipKey[];
  }
}
