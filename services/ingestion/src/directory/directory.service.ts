import { OutboxWriter } from '@cairn/messaging';
import { AccountUpsertedV1, CONTACT_ROLES, ContactRole, ContactUpsertedV1, deterministicUuid, NewEvent, Topics, UsageEventV1 } from '@cairn/contracts';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  departureFromEmailDomain, departureFromRemoval, departureFromTraits, departureReason, DepartureSignal, isKeyContact,
  onDomain, returnedPerTraits,
} from '../domain/champion-departure';
import {
  accountFieldsFromTraits, accountTraits, contactFieldsFromTraits, isRemoval,
} from '../domain/directory-traits';
import { AccountRow, DirectoryStore, MembershipRow } from './directory.store';

const ACCOUNT_COLUMNS = ['name', 'domain', 'plan', 'arr', 'seats', 'csm_owner', 'lifecycle_stage'] as const;

function validRole(role: string | null | undefined): ContactRole | undefined {
  return role && (CONTACT_ROLES as readonly string[]).includes(role) ? (role as ContactRole) : undefined;
}

/**
 * The account and contact directory, built from group and identify calls, and the champion
 * departure rules that need it (the consumer side; DirectoryApiService is the management API).
 * Every method that changes state takes the caller's transaction, writes through DirectoryStore
 * and writes its events to the outbox in it.
 */
@Injectable()
export class DirectoryService {
  constructor(private readonly outbox: OutboxWriter, private readonly store: DirectoryStore) {}

  // ---------------------------------------------------------------- group

  async applyGroup(m: EntityManager, ws: string, call: UsageEventV1): Promise<void> {
    const accountId = call.groupId!;
    const traits = call.traits ?? {};
    const removal = isRemoval(traits);
    const facts = accountTraits(traits);
    if (!removal || Object.keys(facts).length > 0) {
      await this.upsertAccount(m, ws, accountId, facts, `group:${call.messageId}`, {}, new Date(call.timestamp));
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
    overrides: { csmOwner?: string; domain?: string } = {}, time?: Date): Promise<AccountRow> {
    const existing = await this.store.lockAccount(m, ws, accountId);
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
    const row = await this.store.saveAccount(m, ws, accountId, next);
    if (changed) await this.publishAccount(m, row, deterministicUuid(ws, 'account-upserted', accountId, cause), time);
    return row;
  }

  /** `time`: when the change happened (the Segment call's timestamp), carried as data.observedAt so a replayed history keeps its dates. */
  private async publishAccount(m: EntityManager, a: AccountRow, id?: string, time?: Date): Promise<void> {
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
    await this.outbox.publish(m, Topics.accountUpserted, { workspaceId: a.workspace_id, accountId: a.id, data: { ...data, ...(time ? { observedAt: time.toISOString() } : {}) }, ...(id ? { id } : {}) });
  }

  /** Puts a person into an account (or back into it); a 'removed' departure episode ends. */
  private async ensureMember(m: EntityManager, ws: string, accountId: string, contactId: string, publish = true): Promise<boolean> {
    const changed = await this.store.join(m, ws, accountId, contactId);
    if (changed && publish) await this.publishContact(m, ws, contactId, [accountId]);
    return changed;
  }

  /**
   * Takes a person out of an account. A champion or decision maker taken out is a departure,
   * signalled once for the episode. Returns false when they were not a member.
   */
  async removeMember(m: EntityManager, ws: string, accountId: string, contactId: string, at: Date, signal: DepartureSignal): Promise<{ member: boolean; departed: boolean }> {
    const membership = await this.store.lockMembership(m, { workspace_id: ws, account_id: accountId, contact_id: contactId });
    if (!membership) return { member: false, departed: false };
    if (membership.removed_at) return { member: true, departed: false };
    await this.store.markRemoved(m, membership, at);
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
    const prev = await this.store.contact(m, ws, contactId, { lock: true });
    const next = {
      email: fields.email ?? prev?.email ?? null,
      name: fields.name ?? prev?.name ?? null,
      title: fields.title ?? prev?.title ?? null,
      role: fields.role ?? prev?.role ?? null,
      traits: { ...(prev?.traits ?? {}), ...traits },
    };
    let changed = !prev || next.email !== prev.email || next.name !== prev.name || next.title !== prev.title
      || next.role !== prev.role || JSON.stringify(next.traits) !== JSON.stringify(prev.traits);
    await this.store.saveContact(m, ws, contactId, next);

    if (call.groupId) changed = (await this.ensureMember(m, ws, call.groupId, contactId, false)) || changed;
    if (fields.role) {
      changed = (await this.store.setRole(m, ws, contactId, fields.role, call.groupId)) || changed;
    }

    const memberships = await this.store.lockCurrentMemberships(m, ws, contactId);
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
        // The condition behind the departure no longer holds.
        await this.store.endDeparture(m, mb);
        changed = true;
      }
    }
    if (changed) await this.publishContact(m, ws, contactId, undefined, at);
  }

  // ---------------------------------------------------------------- alias

  /** alias: the previous identity's traits and memberships move to the user id. */
  async applyAlias(m: EntityManager, ws: string, call: UsageEventV1): Promise<void> {
    const from = call.previousId!;
    const to = call.userId!;
    if (from === to) return;
    const old = await this.store.contact(m, ws, from, { lock: true });
    if (!old) return;
    await this.store.mergeContact(m, ws, old, to);
    await this.publishContact(m, ws, to);
  }

  // ---------------------------------------------------------------- departures

  /** Opens a departure episode and publishes contact-departed once for it (deterministic id). */
  async depart(m: EntityManager, mb: MembershipRow, signal: DepartureSignal, at: Date): Promise<void> {
    const episode = mb.departure_episode + 1;
    await this.store.openDeparture(m, mb, at, signal.rule, episode);
    const contact = await this.store.contact(m, mb.workspace_id, mb.contact_id);
    const account = await this.store.accountName(m, mb.workspace_id, mb.account_id);
    const role = validRole(mb.role)!;
    await this.outbox.publish(m, Topics.contactDeparted, {
      id: deterministicUuid(mb.workspace_id, 'contact-departed', mb.account_id, mb.contact_id, episode),
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

  // ---------------------------------------------------------------- contact-upserted

  /** One contact-upserted per account the person is in (or one without account when in none). */
  async publishContact(m: EntityManager, ws: string, contactId: string, onlyAccounts?: string[], time?: Date): Promise<void> {
    const c = await this.store.contact(m, ws, contactId);
    if (!c) return;
    const memberships = await this.store.currentMemberships(m, ws, contactId);
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
          ...(time ? { observedAt: time.toISOString() } : {}),
        },
      };
    });
    await this.outbox.publishAll(m, Topics.contactUpserted, events);
  }
}
