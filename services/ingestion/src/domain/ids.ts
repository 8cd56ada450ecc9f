import { hash } from 'node:crypto';

/**
 * A UUID derived from its parts (v5-like, SHA-256): the same cause always gives the same event
 * id, so an effect that is retried or re-derived never becomes a second event.
 */
export function deterministicId(...parts: Array<string | number>): string {
  const h = hash('sha256', parts.join('|'), 'hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The envelope id of a Segment call on cairn.usage.event.v1: derived from its workspace and
 * messageId, whichever way it came in (HTTP or the raw topic), so the consumer's inbox is the
 * Segment messageId dedupe — a client's retry is the same event.
 */
export function usageEventId(workspaceId: string, messageId: string): string {
  return deterministicId(workspaceId, 'usage-event', messageId);
}
