import { hash } from 'node:crypto';

/**
 * A UUID (version-5 layout, SHA-256 of the parts joined by `|`) derived from its parts: the
 * same cause always gives the same id, so an effect retried after a crash or re-derived from a
 * redelivered event is still one task, alert, delivery or event (the outbox and inbox dedupe on
 * it). Every deterministic id of the platform is one of these.
 */
export function deterministicUuid(...parts: Array<string | number>): string {
  // crypto.hash: one call, no Hash object (on ingestion's intake path once per Segment call).
  const h = hash('sha256', parts.join('|'), 'hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
