import { createHash } from 'node:crypto';

/**
 * A UUID derived from its parts (v5-shaped, SHA-256 based): the same cause always yields the
 * same event id, so an effect written twice stays one event.
 */
export function deterministicUuid(...parts: Array<string | number>): string {
  const h = createHash('sha256').update(parts.join('|')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
