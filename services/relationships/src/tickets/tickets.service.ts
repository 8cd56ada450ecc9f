import { deterministicUuid, TicketChangedV1, Topics } from '@cairn/contracts';
import { OutboxWriter } from '@cairn/messaging';
import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DirectoryStore } from '../directory/directory.store';
import { changeKind, emailDomain, isEscalated, minutesBetween, TicketObservation } from '../domain/ticket';
import { TicketSourceRow } from '../sources/source.store';
import { TicketRow, TicketStore } from './ticket.store';

export type IntakeResult = { stored: boolean; duplicate: boolean; ticket?: ReturnType<typeof describeTicket> };

export function describeTicket(t: TicketRow) {
  const { publishedStatus: _p, ...rest } = t;
  return {
    ...rest,
    firstResponseMinutes: minutesBetween(t.openedAt, t.firstResponseAt) ?? null,
    resolutionMinutes: minutesBetween(t.openedAt, t.solvedAt) ?? null,
  };
}

/**
 * Ticket intake for every source: dedupe on the delivery id, keep the newest state, place the
 * ticket on an account and publish support.ticket-changed for mapped tickets (outbox, same
 * transaction). Unmapped tickets are kept, and published once something maps them.
 */
@Injectable()
export class TicketsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly store: TicketStore,
    private readonly directory: DirectoryStore,
    private readonly outbox: OutboxWriter,
  ) {}

  ingest(source: TicketSourceRow, o: TicketObservation): Promise<IntakeResult> {
    return this.db.transaction(async (m) => {
      if (!(await this.store.recordDelivery(m, source.workspaceId, source.id, o.deliveryId))) return { stored: false, duplicate: true };
      const id = deterministicUuid('ticket', source.workspaceId, source.id, o.externalId);
      let t = await this.store.upsert(m, { workspaceId: source.workspaceId, id, sourceId: source.id, sourceKind: source.kind, escalated: isEscalated(o) }, o);
      if (!t.accountId) {
        const accountId = await this.resolveAccount(m, t);
        if (accountId) { await this.store.setAccount(m, t.workspaceId, t.id, accountId); t = { ...t, accountId }; }
      }
      if (t.accountId) t = await this.publish(m, t);
      return { stored: true, duplicate: false, ticket: describeTicket(t) };
    });
  }

  /** Organisation mapping first (the help desk's own grouping), then the requester's contact, then the email domain. */
  private async resolveAccount(m: EntityManager, t: TicketRow): Promise<string | undefined> {
    if (t.organizationId) {
      const mapped = await this.store.accountOfOrganization(m, t.workspaceId, t.sourceId, t.organizationId);
      if (mapped) return mapped;
    }
    if (t.requesterEmail) {
      const byContact = await this.directory.accountOfEmail(m, t.workspaceId, t.requesterEmail);
      if (byContact) return byContact;
      const domain = emailDomain(t.requesterEmail);
      if (domain) return this.directory.accountOfDomain(m, t.workspaceId, domain);
    }
    return undefined;
  }

  /** Publishes the ticket's current state; the event id is derived from it, so a state is published once. */
  private async publish(m: EntityManager, t: TicketRow): Promise<TicketRow> {
    const change = changeKind(t.status, t.publishedStatus);
    const data: TicketChangedV1 = {
      ticketId: t.id, source: t.sourceKind, sourceId: t.sourceId, externalId: t.externalId, change, status: t.status,
      priority: t.priority ?? undefined, tags: t.tags, escalated: t.escalated, subject: t.subject ?? undefined,
      openedAt: t.openedAt.toISOString(), updatedAt: t.eventTime.toISOString(), solvedAt: t.solvedAt?.toISOString(),
      firstResponseMinutes: minutesBetween(t.openedAt, t.firstResponseAt),
      resolutionMinutes: minutesBetween(t.openedAt, t.solvedAt),
      satisfaction: t.satisfaction ?? undefined, satisfactionScore: t.satisfactionScore ?? undefined,
    };
    await this.outbox.publish(m, Topics.ticketChanged, {
      id: deterministicUuid('ticket-changed', t.workspaceId, t.id, t.eventTime.toISOString(), t.status, t.accountId!, JSON.stringify(data)),
      workspaceId: t.workspaceId, accountId: t.accountId!, time: t.eventTime.toISOString(), data,
    });
    await this.store.markPublished(m, t.workspaceId, t.id, t.status);
    return { ...t, publishedStatus: t.status };
  }

  /** Places every unmapped ticket matching `by` on the account and publishes it. */
  private async placeUnmapped(m: EntityManager, workspaceId: string, accountId: string, by: Parameters<TicketStore['unmappedMatching']>[2]) {
    const placed = [];
    for (const t of await this.store.unmappedMatching(m, workspaceId, by)) {
      await this.store.setAccount(m, workspaceId, t.id, accountId);
      placed.push(await this.publish(m, { ...t, accountId }));
    }
    return placed;
  }

  mapOrganization(workspaceId: string, source: TicketSourceRow, organizationId: string, accountId: string) {
    return this.db.transaction(async (m) => {
      await this.store.mapOrganization(m, workspaceId, source.id, organizationId, accountId);
      const placed = await this.placeUnmapped(m, workspaceId, accountId, { sourceId: source.id, organizationId });
      return { sourceId: source.id, organizationId, accountId, ticketsMapped: placed.length };
    });
  }

  mapTicket(workspaceId: string, id: string, accountId: string) {
    return this.db.transaction(async (m) => {
      const t = await this.store.get(m, workspaceId, id);
      if (!t) throw new NotFoundException(`ticket ${id} not found`);
      await this.store.setAccount(m, workspaceId, id, accountId);
      return describeTicket(await this.publish(m, { ...t, accountId }));
    });
  }

  /** A contact the directory now knows places the unmapped tickets it raised (one account only). */
  async placeByContact(m: EntityManager, workspaceId: string, email: string | undefined): Promise<void> {
    if (!email) return;
    const accountId = await this.directory.accountOfEmail(m, workspaceId, email);
    if (accountId) await this.placeUnmapped(m, workspaceId, accountId, { email });
  }

  /** An account's domain places unmapped tickets of requesters on that domain. */
  async placeByDomain(m: EntityManager, workspaceId: string, domain: string | undefined): Promise<void> {
    if (!domain) return;
    const accountId = await this.directory.accountOfDomain(m, workspaceId, domain);
    if (accountId) await this.placeUnmapped(m, workspaceId, accountId, { domain });
  }

  async list(workspaceId: string, filter: { accountId?: string; unmapped?: boolean; limit?: number }) {
    return (await this.store.list(this.db.manager, workspaceId, { ...filter, limit: filter.limit ?? 100 })).map(describeTicket);
  }

  async get(workspaceId: string, id: string) {
    const t = await this.store.get(this.db.manager, workspaceId, id);
    if (!t) throw new NotFoundException(`ticket ${id} not found`);
    return describeTicket(t);
  }
}
