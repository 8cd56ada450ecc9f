import { createHash } from 'node:crypto';

/**
 * A UUID derived from its parts (v5-like, SHA-256): the same cause always gives the same event
 * id, so an effect that is retried or re-derived never becomes a second event.
 */
export function deterministicId(...parts: Array<string | number>): string {
  const h = createHash('sha256').update(parts.join('|')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
