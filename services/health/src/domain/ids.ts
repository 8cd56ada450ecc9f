import { createHash } from 'node:crypto';

/**
 * A UUID (version-5 shaped) derived from its parts: the same cause always gives the same
 * event id, so an effect retried after a crash is still one event in the outbox.
 */
export function deterministicUuid(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('|')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
