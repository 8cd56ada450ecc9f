import {
  AccountUpsertedV1, ContactRole, ContactUpsertedV1, CONTACT_ROLES, NewEvent, Topics, UsageEventV1,
} from '@cairn/contracts';
import { OutboxWriter } from '@cairn/persistence';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  departureFromEmailDomain, departureFromRemoval, departureFromTraits, departureReason, DepartureSignal, isKeyContact,
  onDomain, returnedPerTraits,
} from '../domain/champion-departure';
import {
  accountFieldsFromTraits, accountTraits, contactFieldsFromTraits, isRemoval,
} from '../domain/directory-traits';
import { deterministicId } from '../domain/ids';

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

/** `manager.query` answers UPDATE/DELETE … RETURNING with [rows, count]; everything else with rows. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as T[];
}

const ACCOUNT_COLUMNS = ['name', 'domain', 'plan', 'arr', 'seats', 'csm_owner', 'lifecycle_stage'] as const;

function validRole(role: string | null | undefined): ContactRole | undefined {
  return role && (CONTACT_ROLES as readonly string[]).includes(role) ? (role as ContactRole) : undefined;
}

/**
 * The account and contact directory, built from group and identify calls, and the champion
 * departure rules that need it. Every method that changes state takes the caller's transaction
 * and writes its events to the outbox in it.
 */
@Injectable()
export class DirectoryService {
  constructor(private readonly outbox: OutboxWriter) {}

  // ---------------------------------------------------------------- group

  async applyGroup(m: EntityManager, ws: string, call: UsageEventV1): Promise<void> {
    const accountId = call.groupId!;
    const traits = call.traits ?? {};
    const removal = isRemoval(traits);
    const facts = accountTraits(traits);
    if (!removal || Object.keys(facts).length > 0) {
      await this.upsertAccount(m, ws, accountId, facts, `group:${call.messageId}`);
    }
    if (!call.userId) return;
    const at = new Date(call.timestamp);
    if (removal) {
      await this.removeMember(m, ws, accountId, call.userId, at, departureFromRemoval('group-call', { messageId: call.messageId }));
    } else {
      await this.ensureMember(m, ws, accountId, call.userId);
    }
  }

  /** Merges traits into the account; publishes account-upserted when anything changed. */
  async upsertAccount(m: EntityManager, ws: string, accountId: string, traits: Record<string, unknown>, cause: string,
    overrides: { csmOwner?: string; domain?: string } = {}): Promise<AccountRow> {
    const [existing] = await m.query(`SELECT * FROM account WHERE workspace_id = $1 AND id = $2 FOR UPDATE`, [ws, accountId]) as AccountRow[];
    const f = { ...accountFieldsFromTraits(traits), ...overrides };
    const next = {
      name: f.name ?? existing?.name ?? null,
      domain: f.domain ?? existing?.domain ?? null,
      plan: f.plan ?? existing?.plan ?? null,
      arr: f.arr !== undefined ? String(f.arr) : existing?.arr ?? null,
      seats: f.seats ?? existing?.seats ?? null,
      csm_owner: f.csmOwner ?? existing?.csm_owner ?? null,
      lifecycle_stage: f.lifecycleStage ?? existing?.lifecycle_stage ?? null,
      traits: { ...(existing?.traits ?? {}), ...traits },
    };
    const same = (c: (typeof ACCOUNT_COLUMNS)[number], a: unknown, b: unknown) =>
      c === 'arr' ? (a === null ? null : Number(a)) === (b === null || b === undefined ? null : Number(b)) : (a ?? null) === (b ?? null);
    const changed = !existing
      || ACCOUNT_COLUMNS.some((c) => !same(c, next[c], existing[c]))
      || JSON.stringify(next.traits) !== JSON.stringify(existing.traits);
    const [row] = await m.query(
      `INSERT INTO account (workspace_id, id, name, domain, plan, arr, seats, csm_owner, lifecycle_stage, traits)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb)
       ON CONFLICT (workspace_id, id) DO UPDATE SET name = EXCLUDED.name, domain = EXCLUDED.domain, plan = EXCLUDED.plan,
         arr = EXCLUDED.arr, seats = EXCLUDED.seats, csm_owner = EXCLUDED.csm_owner, lifecycle_stage = EXCLUDED.lifecycle_stage,
         traits = EXCLUDED.traits, updated_at = now()
       RETURNING *`,
      [ws, accountId, next.name, next.domain, next.plan, next.arr, next.seats, next.csm_owner, next.lifecycle_stage, JSON.stringify(next.traits)],
    ) as AccountRow[];
    if (changed) await this.publishAccount(m, row, deterministicId(ws, 'account-upserted', accountId, cause));
    return row;
  }

  async publishAccount(m: EntityManager, a: AccountRow, id?: string): Promise<void> {
    const data: AccountUpsertedV1 = {
      ...(a.name ? { name: a.name } : {}),
      ...(a.domain ? { domain: a.domain } : {}),
      ...(a.plan ? { plan: a.plan } : {}),
      ...(a.arr !== null ? { arr: Number(a.arr) } : {}),
      ...(a.seats !== null ? { seats: a.seats } : {}),
      ...(a.csm_owner ? { csmOwner: a.csm_owner } : {}),
      ...(a.lifecycle_stage ? { lifecycleStage: a.lifecycle_stage } : {}),
      traits: a.traits ?? {},
    };
    await this.outbox.publish(m, Topics.accountUpserted, { workspaceId: a.workspace_id, accountId: a.id, data, ...(id ? { id } : {}) });
  }

  /** Puts a person into an account (or back into it); a 'removed' departure episode ends. */
  async ensureMember(m: EntityManager, ws: string, accountId: string, contactId: string, publish = true): Promise<boolean> {
    await m.query(`INSERT INTO contact (workspace_id, id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [ws, contactId]);
    await m.query(`INSERT INTO account (workspace_id, id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [ws, accountId]);
    const inserted = await m.query(
      `INSERT INTO membership (workspace_id, account_id, contact_id, role)
       SELECT $1, $2, $3, c.role FROM contact c WHERE c.workspace_id = $1 AND c.id = $3
       ON CONFLICT DO NOTHING RETURNING contact_id`, [ws, accountId, contactId]) as unknown[];
    let changed = inserted.length > 0;
    if (!changed) {
      const back = rowsOf(await m.query(
        `UPDATE membership SET removed_at = NULL, updated_at = now(),
           departed_at = CASE WHEN departure_rule = 'removed' THEN NULL ELSE departed_at END,
           departure_rule = CASE WHEN departure_rule = 'removed' THEN NULL ELSE departure_rule END
         WHERE workspace_id = $1 AND account_id = $2 AND contact_id = $3 AND removed_at IS NOT NULL RETURNING contact_id`,
        [ws, accountId, contactId]));
      changed = back.length > 0;
    }
    if (changed && publish) await this.publishContact(m, ws, contactId, [accountId]);
    return changed;
  }

  /**
   * Takes a person out of an account. A champion or decision maker taken out is a departure,
   * signalled once for the episode. Returns false when they were not a member.
   */
  async removeMember(m: EntityManager, ws: string, accountId: string, contactId: string, at: Date, signal: DepartureSignal): Promise<{ member: boolean; departed: boolean }> {
    const [membership] = await m.query(
      `SELECT * FROM membership WHERE workspace_id = $1 AND account_id = $2 AND contact_id = $3 FOR UPDATE`,
      [ws, accountId, contactId]) as MembershipRow[];
    if (!membership) return { member: false, departed: false };
    if (membership.removed_at) return { member: true, departed: false };
    await m.query(`UPDATE membership SET removed_at = $4, updated_at = now() WHERE workspace_id = $1 AND account_id = $2 AND contact_id = $3`,
      [ws, accountId, contactId, at]);
    let departed = false;
    if (isKeyContact(membership.role) && !membership.departed_at) {
      await this.depart(m, membership, signal, at);
      departed = true;
    }
    await this.publishContact(m, ws, contactId, [accountId]);
    return { member: true, departed };
  }

  // ---------------------------------------------------------------- identify

  async applyIdentify(m: EntityManager, ws: string, call: UsageEventV1): Promise<void> {
    const contactId = call.userId ?? call.anonymousId!;
    const traits = call.traits ?? {};
    const fields = contactFieldsFromTraits(traits);
    const [prev] = await m.query(`SELECT * FROM contact WHERE workspace_id = $1 AND id = $2 FOR UPDATE`, [ws, contactId]) as ContactRow[];
    const next = {
      email: fields.email ?? prev?.email ?? null,
      name: fields.name ?? prev?.name ?? null,
      title: fields.title ?? prev?.title ?? null,
      role: fields.role ?? prev?.role ?? null,
      traits: { ...(prev?.traits ?? {}), ...traits },
    };
    let changed = !prev || next.email !== prev.email || next.name !== prev.name || next.title !== prev.title
      || next.role !== prev.role || JSON.stringify(next.traits) !== JSON.stringify(prev.traits);
    await m.query(
      `INSERT INTO contact (workspace_id, id, email, name, title, role, traits) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)
       ON CONFLICT (workspace_id, id) DO UPDATE SET email = EXCLUDED.email, name = EXCLUDED.name, title = EXCLUDED.title,
         role = EXCLUDED.role, traits = EXCLUDED.traits, updated_at = now()`,
      [ws, contactId, next.email, next.name, next.title, next.role, JSON.stringify(next.traits)]);

    if (call.groupId) changed = (await this.ensureMember(m, ws, call.groupId, contactId, false)) || changed;
    if (fields.role) {
      const scoped = rowsOf(await m.query(
        `UPDATE membership SET role = $3, updated_at = now()
         WHERE workspace_id = $1 AND contact_id = $2 AND removed_at IS NULL AND role IS DISTINCT FROM $3
           ${call.groupId ? 'AND account_id = $4' : ''} RETURNING account_id`,
        call.groupId ? [ws, contactId, fields.role, call.groupId] : [ws, contactId, fields.role]));
      changed = changed || scoped.length > 0;
    }

    const memberships = await m.query(
      `SELECT mb.*, a.domain AS account_domain FROM membership mb
         JOIN account a ON a.workspace_id = mb.workspace_id AND a.id = mb.account_id
       WHERE mb.workspace_id = $1 AND mb.contact_id = $2 AND mb.removed_at IS NULL
       ORDER BY mb.account_id FOR UPDATE OF mb`, [ws, contactId]) as Array<MembershipRow & { account_domain: string | null }>;
    const at = new Date(call.timestamp);
    for (const mb of memberships) {
      if (!mb.departed_at) {
        if (!isKeyContact(mb.role)) continue;
        const signal = departureFromTraits(traits) ?? departureFromEmailDomain(prev?.email, next.email, mb.account_domain);
        if (signal) {
          await this.depart(m, mb, signal, at);
          changed = true;
        }
      } else if ((mb.departure_rule === 'traits' && returnedPerTraits(traits) && !departureFromTraits(traits))
        || (mb.departure_rule === 'email-domain' && fields.email !== undefined && onDomain(next.email, mb.account_domain))) {
        await this.endDeparture(m, mb);
        changed = true;
      }
    }
    if (changed) await this.publishContact(m, ws, contactId);
  }

  // ---------------------------------------------------------------- alias

  /** alias: the previous identity's traits and memberships move to the user id. */
  async applyAlias(m: EntityManager, ws: string, call: UsageEventV1): Promise<void> {
    const from = call.previousId!;
    const to = call.userId!;
    if (from === to) return;
    const [old] = await m.query(`SELECT * FROM contact WHERE workspace_id = $1 AND id = $2 FOR UPDATE`, [ws, from]) as ContactRow[];
    if (!old) return;
    await m.query(
      `INSERT INTO contact (workspace_id, id, email, name, title, role, traits) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)
       ON CONFLICT (workspace_id, id) DO UPDATE SET email = COALESCE(contact.email, EXCLUDED.email),
         name = COALESCE(contact.name, EXCLUDED.name), title = COALESCE(contact.title, EXCLUDED.title),
         role = COALESCE(contact.role, EXCLUDED.role), traits = EXCLUDED.traits || contact.traits, updated_at = now()`,
      [ws, to, old.email, old.name, old.title, old.role, JSON.stringify(old.traits ?? {})]);
    await m.query(
      `INSERT INTO membership (workspace_id, account_id, contact_id, role, removed_at, departed_at, departure_rule, departure_episode)
       SELECT workspace_id, account_id, $3, role, removed_at, departed_at, departure_rule, departure_episode
         FROM membership WHERE workspace_id = $1 AND contact_id = $2
       ON CONFLICT DO NOTHING`, [ws, from, to]);
    await m.query(`DELETE FROM membership WHERE workspace_id = $1 AND contact_id = $2`, [ws, from]);
    await m.query(`UPDATE contact SET merged_into = $3, updated_at = now() WHERE workspace_id = $1 AND id = $2`, [ws, from, to]);
    await this.publishContact(m, ws, to);
  }

  /** The account of a user who belongs to exactly one, for calls that do not name one. */
  async soleAccountOf(m: EntityManager, ws: string, userId: string): Promise<string | undefined> {
    const rows = await m.query(
      `SELECT account_id FROM membership WHERE workspace_id = $1 AND contact_id = $2 AND removed_at IS NULL LIMIT 2`, [ws, userId]) as Array<{ account_id: string }>;
    return rows.length === 1 ? rows[0].account_id : undefined;
  }

  // ---------------------------------------------------------------- departures

  /** Opens a departure episode and publishes contact-departed once for it (deterministic id). */
  async depart(m: EntityManager, mb: MembershipRow, signal: DepartureSignal, at: Date): Promise<void> {
    const episode = mb.departure_episode + 1;
    await m.query(
      `UPDATE membership SET departed_at = $4, departure_rule = $5, departure_episode = $6, updated_at = now()
       WHERE workspace_id = $1 AND account_id = $2 AND contact_id = $3`,
      [mb.workspace_id, mb.account_id, mb.contact_id, at, signal.rule, episode]);
    const [contact] = await m.query(`SELECT * FROM contact WHERE workspace_id = $1 AND id = $2`, [mb.workspace_id, mb.contact_id]) as ContactRow[];
    const [account] = await m.query(`SELECT id, name FROM account WHERE workspace_id = $1 AND id = $2`, [mb.workspace_id, mb.account_id]) as Array<{ id: string; name: string | null }>;
    const role = validRole(mb.role)!;
    await this.outbox.publish(m, Topics.contactDeparted, {
      id: deterministicId(mb.workspace_id, 'contact-departed', mb.account_id, mb.contact_id, episode),
      workspaceId: mb.workspace_id,
      accountId: mb.account_id,
      data: {
        contactId: mb.contact_id,
        ...(contact?.email ? { email: contact.email } : {}),
        ...(contact?.name ? { name: contact.name } : {}),
        role,
        rule: signal.rule,
        evidence: signal.evidence,
        departedAt: at.toISOString(),
        reason: departureReason({ id: mb.contact_id, name: contact?.name, email: contact?.email }, role, account ?? { id: mb.account_id }, signal),
      },
    });
  }

  /** The condition behind a departure no longer holds (back in the account, active again). */
  async endDeparture(m: EntityManager, mb: Pick<MembershipRow, 'workspace_id' | 'account_id' | 'contact_id'>): Promise<void> {
    await m.query(
      `UPDATE membership SET departed_at = NULL, departure_rule = NULL, updated_at = now()
       WHERE workspace_id = $1 AND account_id = $2 AND contact_id = $3`, [mb.workspace_id, mb.account_id, mb.contact_id]);
  }

  // ---------------------------------------------------------------- contact-upserted

  /** One contact-upserted per account the person is in (or one without account when in none). */
  async publishContact(m: EntityManager, ws: string, contactId: string, onlyAccounts?: string[]): Promise<void> {
    const [c] = await m.query(`SELECT * FROM contact WHERE workspace_id = $1 AND id = $2`, [ws, contactId]) as ContactRow[];
    if (!c) return;
    const memberships = await m.query(
      `SELECT account_id, role FROM membership WHERE workspace_id = $1 AND contact_id = $2 AND removed_at IS NULL ORDER BY account_id`,
      [ws, contactId]) as Array<{ account_id: string; role: string | null }>;
    const accountIds = memberships.map((x) => x.account_id);
    const targets = onlyAccounts ?? (accountIds.length ? accountIds : [undefined]);
    const events: NewEvent<ContactUpsertedV1>[] = targets.map((accountId) => {
      const role = validRole(memberships.find((x) => x.account_id === accountId)?.role ?? c.role);
      return {
        workspaceId: ws,
        ...(accountId ? { accountId } : {}),
        data: {
          contactId, accountIds,
          ...(c.email ? { email: c.email } : {}),
          ...(c.name ? { name: c.name } : {}),
          ...(c.title ? { title: c.title } : {}),
          ...(role ? { role } : {}),
          traits: c.traits ?? {},
        },
      };
    });
    await this.outbox.publishAll(m, Topics.contactUpserted, events);
  }
}
