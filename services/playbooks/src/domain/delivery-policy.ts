import { createHmac } from 'node:crypto';

/** Attempts per delivery before it is given up as failed. */
export const MAX_DELIVERY_ATTEMPTS = 8;

/** Wait before the next attempt after `attempts` failed ones: 0.5 s, 1 s, 2 s, … capped at 60 s. */
export function retryDelayMs(attempts: number, baseMs = 500, capMs = 60_000): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempts - 1));
}

export type AttemptVerdict = { outcome: 'delivered' } | { outcome: 'retry'; delayMs: number } | { outcome: 'failed' };

/** What a channel made of one attempt: handed over, or not and whether trying again can help. */
export type SendResult = { sent: true } | { sent: false; permanent: boolean };

/** An HTTP answer as generic webhooks and Slack take it: any 2xx delivers; anything else (or no answer) may work later. */
export function httpSendResult(status: number | null): SendResult {
  return status !== null && status >= 200 && status < 300 ? { sent: true } : { sent: false, permanent: false };
}

/** `X-Cairn-Signature` value: HMAC-SHA256 of the exact body bytes with the channel secret. */
export function signatureHeader(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/**
 * After any channel's attempt: handed over delivers; a permanent refusal (an address or target
 * that can never work) fails at once; anything else retries until attempts run out.
 */
export function afterSend(result: SendResult, attempts: number, maxAttempts = MAX_DELIVERY_ATTEMPTS, baseMs = 500): AttemptVerdict {
  if (result.sent) return { outcome: 'delivered' };
  if (result.permanent || attempts >= maxAttempts) return { outcome: 'failed' };
  return { outcome: 'retry', delayMs: retryDelayMs(attempts, baseMs) };
}
