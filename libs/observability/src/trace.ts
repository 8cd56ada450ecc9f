import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';

/** W3C traceparent carried in event envelopes and Kafka headers, so one signal's path can be followed. */
const storage = new AsyncLocalStorage<{ traceparent: string }>();

export function newTraceparent(): string {
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
}

/** A child span id under the same trace; a fresh trace when the parent is missing or malformed. */
export function childTraceparent(parent?: string): string {
  const m = parent && /^00-([0-9a-f]{32})-[0-9a-f]{16}-([0-9a-f]{2})$/.exec(parent);
  if (!m) return newTraceparent();
  return `00-${m[1]}-${randomBytes(8).toString('hex')}-${m[2]}`;
}

export function traceIdOf(traceparent?: string): string | undefined {
  return traceparent?.split('-')[1];
}

export function runWithTrace<T>(traceparent: string, fn: () => T): T {
  return storage.run({ traceparent }, fn);
}

export function currentTraceparent(): string | undefined {
  return storage.getStore()?.traceparent;
}
