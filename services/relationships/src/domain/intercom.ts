import { TicketPriority, TicketStatus } from '@cairn/contracts';
import { TicketObservation } from './ticket';

/**
 * Intercom webhook notifications (https://developers.intercom.com/docs/references/2.11/webhooks/webhook-models):
 * `{ type: "notification_event", app_id, id, topic, created_at, data: { type: "notification_event_data",
 * item } }` where, for the conversation.* topics, `item` is a Conversation
 * (https://developers.intercom.com/docs/references/2.11/rest-api/api.intercom.io/conversations/conversation):
 * id, created_at, updated_at, title, state (open | closed | snoozed), priority, tags.tags[].name,
 * source.author (type, id, name, email), statistics.first_admin_reply_at / last_close_at,
 * conversation_rating.rating (1–5). Times are Unix seconds.
 */
export interface IntercomNotification {
  type: string;
  app_id?: string;
  id: string;
  topic: string;
  created_at: number;
  data?: { type?: string; item?: Record<string, any> };
}

export class IntercomPayloadError extends Error {}

const STATE: Record<string, TicketStatus> = { open: 'open', closed: 'closed', snoozed: 'pending' };
// Older API versions: priority | not_priority; newer: none | low | medium | high | urgent.
const PRIORITY: Record<string, TicketPriority> = {
  priority: 'high', not_priority: 'normal', none: 'normal', low: 'low', medium: 'normal', high: 'high', urgent: 'urgent',
};
const at = (s: unknown) => (typeof s === 'number' && s > 0 ? new Date(s * 1000) : undefined);

/** The notification's signed creation time (the replay window applies to it). */
export function notificationTime(body: unknown): Date | undefined {
  return at((body as IntercomNotification)?.created_at);
}

/** A ticket observation, or null for a notification Cairn does not track (ping, contact, company topics…). */
export function parseIntercomNotification(body: unknown): TicketObservation | null {
  const n = body as IntercomNotification;
  if (!n || typeof n !== 'object' || n.type !== 'notification_event') throw new IntercomPayloadError('body.type must be "notification_event"');
  if (typeof n.topic !== 'string') throw new IntercomPayloadError('body.topic is required');
  if (!n.topic.startsWith('conversation.') || n.topic === 'conversation.deleted') return null;
  if (typeof n.id !== 'string' || !n.id) throw new IntercomPayloadError('body.id (the notification id) is required');
  const c = n.data?.item;
  if (!c || typeof c !== 'object' || c.id === undefined) throw new IntercomPayloadError('body.data.item.id (the conversation id) is required');
  const status = STATE[String(c.state ?? (c.open === false ? 'closed' : 'open'))];
  if (!status) throw new IntercomPayloadError(`body.data.item.state ${JSON.stringify(c.state)} is not open, closed or snoozed`);
  const updatedAt = at(c.updated_at) ?? at(n.created_at);
  const openedAt = at(c.created_at) ?? updatedAt;
  if (!updatedAt || !openedAt) throw new IntercomPayloadError('body.data.item.updated_at must be a Unix time');
  const author = c.source?.author;
  const rating = c.conversation_rating?.rating;
  const score = typeof rating === 'number' && rating >= 1 && rating <= 5 ? Math.round(rating) : undefined;
  return {
    deliveryId: n.id,
    externalId: String(c.id),
    status,
    priority: PRIORITY[String(c.priority ?? '')],
    tags: Array.isArray(c.tags?.tags) ? c.tags.tags.map((t: { name?: string }) => String(t.name ?? '')).filter(Boolean) : [],
    subject: (c.title || c.source?.subject || undefined) ?? undefined,
    requesterEmail: author && author.type !== 'admin' && typeof author.email === 'string' && author.email ? author.email : undefined,
    openedAt,
    updatedAt,
    firstResponseAt: at(c.statistics?.first_admin_reply_at),
    solvedAt: status === 'closed' ? at(c.statistics?.last_close_at) ?? updatedAt : undefined,
    satisfactionScore: score,
    satisfaction: score === undefined ? undefined : score >= 4 ? 'good' : score <= 2 ? 'bad' : 'neutral',
  };
}
