/** A message that can never be handled (bad JSON, invalid event): dead-letter at once, no retries. */
export class PoisonMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PoisonMessageError';
  }
}

const INFRA_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);
// Postgres SQLSTATE classes 08 (connection), 53 (resources), 57P (operator intervention: shutdown).
const INFRA_SQLSTATE = /^(08|53|57P)/;
const INFRA_MESSAGE = /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down)/i;

/**
 * True when the failure is the platform's, not the message's: the database or broker is
 * unreachable. Such failures pause consumption and are retried until they clear; they never
 * send a message to the dead-letter topic.
 */
export function isInfrastructureError(error: unknown): boolean {
  for (let e: any = error, depth = 0; e && depth < 4; e = e.driverError ?? e.cause, depth++) {
    if (typeof e.code === 'string' && (INFRA_ERRNO.has(e.code) || INFRA_SQLSTATE.test(e.code))) return true;
    if (typeof e.message === 'string' && INFRA_MESSAGE.test(e.message)) return true;
  }
  return false;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
