import { deterministicUuid } from '@cairn/contracts';

/**
 * The envelope id of a Segment call on cairn.usage.event.v1: derived from its workspace and
 * messageId, whichever way it came in (HTTP or the raw topic), so the consumer's inbox is the
 * Segment messageId dedupe — a client's retry is the same event.
 */
export function usageEventId(workspaceId: string, messageId: string): string {
  return deterministicUuid(workspaceId, 'usage-event', messageId);
}
