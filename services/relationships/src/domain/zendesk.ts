import { TicketPriority, TicketStatus, TICKET_PRIORITIES } from '@cairn/contracts';
import { TicketObservation } from './ticket';

/**
 * Zendesk ticket event webhooks ("zen:event-type:ticket.*"), as documented in
 * https://developer.zendesk.com/api-reference/webhooks/event-types/webhook-event-types/ (the
 * shared envelope: type, account_id, id, time, zendesk_event_version, subject, detail, event) and
 * https://developer.zendesk.com/api-reference/webhooks/event-types/ticket-events/ (the ticket in
 * `detail`: id, status, priority, tags, organization_id, requester_id, subject, created_at,
 * updated_at, via). Every ticket event carries the whole ticket in `detail`, so each one is read as
 * the ticket's state at `time`; `event` adds what changed (a comment for comment_added).
 */
export interface ZendeskEvent {
  type: string;
  account_id?: number;
  id: string;
  time: string;
  zendesk_event_version?: string;
  subject?: string;
  detail?: Record<string, any>;
  event?: Record<string, any>;
}

const STATUS: Record<string, TicketStatus> = {
  new: 'new', open: 'open', pending: 'pending', hold: 'on_hold', on_hold: 'on_hold', solved: 'solved', closed: 'closed',
};

export class ZendeskPayloadError extends Error {}

const str = (v: unknown) => (v === null || v === undefined || v === '' || v === '0' ? undefined : String(v));

/** A ticket observation, or null for an event Cairn does not track (user, organization, article events…). */
export function parseZendeskEvent(body: unknown): TicketObservation | null {
  const e = body as ZendeskEvent;
  if (!e || typeof e !== 'object' || typeof e.type !== 'string') throw new ZendeskPayloadError('body.type must be a Zendesk event type');
  if (!e.type.startsWith('zen:event-type:ticket.')) return null;
  if (typeof e.id !== 'string' || !e.id) throw new ZendeskPayloadError('body.id (the event id) is required');
  const time = new Date(e.time);
  if (Number.isNaN(time.getTime())) throw new ZendeskPayloadError('body.time must be an ISO 8601 timestamp');
  const d = e.detail;
  if (!d || typeof d !== 'object' || !str(d.id)) throw new ZendeskPayloadError('body.detail.id (the ticket id) is required');
  const status = STATUS[String(d.status ?? '').toLowerCase()];
  if (!status) throw new ZendeskPayloadError(`body.detail.status ${JSON.stringify(d.status)} is not a Zendesk ticket status`);
  const priority = String(d.priority ?? '').toLowerCase();
  const created = new Date(d.created_at ?? e.time);
  const comment = e.type === 'zen:event-type:ticket.comment_added' ? e.event?.comment : undefined;
  return {
    deliveryId: e.id,
    externalId: String(d.id),
    status,
    priority: (TICKET_PRIORITIES as readonly string[]).includes(priority) ? (priority as TicketPriority) : undefined,
    tags: Array.isArray(d.tags) ? d.tags.map(String) : [],
    subject: str(d.subject),
    organizationId: str(d.organization_id),
    openedAt: Number.isNaN(created.getTime()) ? time : created,
    updatedAt: time,
    // An agent's public reply is the first response (the comment's author is staff).
    firstResponseAt: comment?.is_public && comment?.author?.is_staff ? time : undefined,
    solvedAt: status === 'solved' || status === 'closed' ? time : undefined,
  };
}
