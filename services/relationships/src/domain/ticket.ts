import { TicketChange, TicketPriority, TicketSourceKind, TicketStatus } from '@cairn/contracts';

/** One help-desk message about a ticket, in Cairn's terms, before it is stored. */
export interface TicketObservation {
  /** Dedupe key of the delivery (Zendesk event id, Intercom notification id, the API's eventId). */
  deliveryId: string;
  externalId: string;
  status: TicketStatus;
  priority?: TicketPriority;
  tags: string[];
  subject?: string;
  requesterEmail?: string;
  organizationId?: string;
  organizationName?: string;
  /** The generic API may name the account outright. */
  accountId?: string;
  openedAt: Date;
  /** Event time of this observation: the newest wins. */
  updatedAt: Date;
  firstResponseAt?: Date;
  solvedAt?: Date;
  satisfaction?: 'good' | 'bad' | 'neutral';
  satisfactionScore?: number;
  /** Set by a source that says so itself (the API); otherwise derived from tags and priority. */
  escalated?: boolean;
}

export const SOLVED: TicketStatus[] = ['solved', 'closed'];
export const isSolved = (s: TicketStatus) => SOLVED.includes(s);

/** Tags that mark a ticket escalated in every help desk. */
export const ESCALATION_TAGS = ['escalated', 'escalation'];

export function isEscalated(o: Pick<TicketObservation, 'tags' | 'priority' | 'escalated'>): boolean {
  return o.escalated ?? (o.priority === 'urgent' || o.tags.some((t) => ESCALATION_TAGS.includes(t.toLowerCase())));
}

/**
 * What a publication says happened, from the status last published for the ticket (none: never
 * published, e.g. it was unmapped until now).
 */
export function changeKind(status: TicketStatus, publishedStatus: TicketStatus | null): TicketChange {
  if (publishedStatus === null) return isSolved(status) ? 'solved' : 'opened';
  if (isSolved(status) && !isSolved(publishedStatus)) return 'solved';
  return 'updated';
}

export const minutesBetween = (from: Date, to?: Date | null) =>
  to ? Math.max(0, Math.round((to.getTime() - from.getTime()) / 60_000)) : undefined;

export function sourceLabel(kind: TicketSourceKind): string {
  return { zendesk: 'Zendesk', intercom: 'Intercom', api: 'ticket API' }[kind];
}

/** The domain of an email address, lower-case; undefined when it has none. */
export function emailDomain(email?: string | null): string | undefined {
  const at = email?.lastIndexOf('@') ?? -1;
  return email && at > 0 ? email.slice(at + 1).trim().toLowerCase() || undefined : undefined;
}
