import { createHmac, timingSafeEqual } from 'node:crypto';

/** Why a webhook was refused; said in the 401's message (never the secret or the expected value). */
export type SignatureVerdict = { ok: true } | { ok: false; problem: string };

function sameBytes(a: Buffer, b: Buffer): boolean {
  // timingSafeEqual needs equal lengths; the length of a signature is no secret.
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Zendesk: `X-Zendesk-Webhook-Signature` is base64(HMAC-SHA256(timestamp + body)) keyed by the
 * webhook's signing secret, `X-Zendesk-Webhook-Signature-Timestamp` the timestamp signed
 * (https://developer.zendesk.com/documentation/webhooks/verifying/). The timestamp must be within
 * `toleranceSeconds` of now, so a captured request cannot be replayed later.
 */
export function verifyZendeskSignature(args: {
  secret: string; rawBody: Buffer; signature?: string; timestamp?: string; now: Date; toleranceSeconds: number;
}): SignatureVerdict {
  if (!args.signature) return { ok: false, problem: 'missing X-Zendesk-Webhook-Signature header' };
  if (!args.timestamp) return { ok: false, problem: 'missing X-Zendesk-Webhook-Signature-Timestamp header' };
  const expected = createHmac('sha256', args.secret).update(args.timestamp).update(args.rawBody).digest();
  if (!sameBytes(Buffer.from(args.signature, 'base64'), expected)) return { ok: false, problem: 'X-Zendesk-Webhook-Signature does not match the body' };
  const signedAt = Date.parse(args.timestamp);
  if (Number.isNaN(signedAt)) return { ok: false, problem: 'X-Zendesk-Webhook-Signature-Timestamp is not a timestamp' };
  if (Math.abs(args.now.getTime() - signedAt) > args.toleranceSeconds * 1000) {
    return { ok: false, problem: `X-Zendesk-Webhook-Signature-Timestamp is outside the ${args.toleranceSeconds}s replay window` };
  }
  return { ok: true };
}

/**
 * Intercom: `X-Hub-Signature: sha1=<hex HMAC-SHA1 of the body>` keyed by the app's client secret
 * (https://developers.intercom.com/docs/webhooks/webhook-notifications, "Signed notifications").
 * Intercom sends no signed timestamp header; the replay window applies to the notification's
 * own `created_at` (signed, inside the body), checked by the caller once the body is parsed.
 */
export function verifyIntercomSignature(args: { secret: string; rawBody: Buffer; signature?: string }): SignatureVerdict {
  const m = args.signature ? /^sha1=([0-9a-f]{40})$/i.exec(args.signature.trim()) : null;
  if (!args.signature) return { ok: false, problem: 'missing X-Hub-Signature header' };
  if (!m) return { ok: false, problem: 'X-Hub-Signature must be sha1=<40 hex digits>' };
  const expected = createHmac('sha1', args.secret).update(args.rawBody).digest();
  if (!sameBytes(Buffer.from(m[1], 'hex'), expected)) return { ok: false, problem: 'X-Hub-Signature does not match the body' };
  return { ok: true };
}

export function withinWindow(signedAt: Date, now: Date, toleranceSeconds: number): boolean {
  return Math.abs(now.getTime() - signedAt.getTime()) <= toleranceSeconds * 1000;
}
