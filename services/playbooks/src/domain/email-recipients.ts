import { isEmailAddress } from '@cairn/mail';

/** Stands for the account's CSM owner among an email channel's recipients. */
export const OWNER_RECIPIENT = 'owner';

/** An email channel's `to`: "owner", or addresses, which may include "owner". */
export type EmailRecipients = typeof OWNER_RECIPIENT | string[];

export const MAX_EMAIL_RECIPIENTS = 50;

/** What is wrong with a submitted `to`, or undefined. */
export function emailRecipientsProblem(value: unknown): string | undefined {
  const expected = `to: must be "owner" (the account's CSM owner) or an array of 1 to ${MAX_EMAIL_RECIPIENTS} email addresses, which may include "owner"`;
  if (value === OWNER_RECIPIENT) return undefined;
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_EMAIL_RECIPIENTS) return expected;
  const bad = value.findIndex((v) => v !== OWNER_RECIPIENT && !isEmailAddress(v));
  if (bad >= 0) return `to[${bad}]: ${JSON.stringify(value[bad])} is not an email address (nor "owner")`;
  return undefined;
}

export type RecipientResolution =
  | { outcome: 'send'; to: string[]; note?: string }
  /** Nobody to send to yet: the owner may become known; try again later. */
  | { outcome: 'wait'; reason: string }
  /** Nobody to send to, ever, as things stand. */
  | { outcome: 'fail'; reason: string };

/**
 * The addresses an alert email goes to, resolved when it is sent (an owner learnt after the
 * alert was raised still gets it). An unknown or unusable owner is left out while there are
 * other recipients; with no one left the delivery waits for the owner, or fails.
 */
export function resolveEmailRecipients(rule: EmailRecipients, csmOwner: string | null | undefined): RecipientResolution {
  const list = rule === OWNER_RECIPIENT ? [OWNER_RECIPIENT] : rule;
  const wantsOwner = list.includes(OWNER_RECIPIENT);
  const named = list.filter((a) => a !== OWNER_RECIPIENT);
  let ownerProblem: { outcome: 'wait' | 'fail'; reason: string } | undefined;
  const to = [...named];
  if (wantsOwner) {
    if (!csmOwner) ownerProblem = { outcome: 'wait', reason: 'the account has no CSM owner yet' };
    else if (!isEmailAddress(csmOwner)) ownerProblem = { outcome: 'fail', reason: `the account's CSM owner ${JSON.stringify(csmOwner)} is not an email address` };
    else to.push(csmOwner);
  }
  const unique = [...new Set(to.map((a) => a.toLowerCase()))].map((lower) => to.find((a) => a.toLowerCase() === lower)!);
  if (unique.length === 0) return ownerProblem ?? { outcome: 'fail', reason: 'no recipients' };
  return { outcome: 'send', to: unique, ...(ownerProblem ? { note: `not sent to the owner: ${ownerProblem.reason}` } : {}) };
}
