import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a personal survey link stands for: one person, invited in one wave, until it expires. */
export interface SurveyLinkClaims {
  workspaceId: string;
  surveyId: string;
  waveId: string;
  contactId: string;
  accountId: string;
  /** Expiry, ms since epoch. */
  expiresAt: number;
}

export class SurveyLinkError extends Error {
  constructor(readonly reason: 'invalid' | 'expired', message: string) {
    super(message);
    this.name = 'SurveyLinkError';
  }
}

const PREFIX = 'sv1.';

function sign(body: string, secret: string): string {
  return createHmac('sha256', secret).update(`survey-link|${body}`).digest('base64url');
}

/**
 * Personal survey links are HMAC-signed claims: nothing to look up to know who answers, and
 * nobody can answer for someone else or change the survey, wave or expiry without the secret.
 */
export function signSurveyLink(claims: SurveyLinkClaims, secret: string): string {
  const body = Buffer.from(JSON.stringify({
    ws: claims.workspaceId, s: claims.surveyId, w: claims.waveId, c: claims.contactId, a: claims.accountId, exp: claims.expiresAt,
  })).toString('base64url');
  return `${PREFIX}${body}.${sign(body, secret)}`;
}

export function verifySurveyLink(token: string, secret: string, now: number): SurveyLinkClaims {
  if (typeof token !== 'string' || !token.startsWith(PREFIX)) throw new SurveyLinkError('invalid', 'this is not a Cairn survey link');
  const [body, signature, extra] = token.slice(PREFIX.length).split('.');
  if (!body || !signature || extra !== undefined) throw new SurveyLinkError('invalid', 'the survey link is incomplete; open the full link from the invitation');
  const expected = Buffer.from(sign(body, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw new SurveyLinkError('invalid', 'the survey link is not valid (its signature does not match); open the full link from the invitation');
  }
  let raw: { ws?: unknown; s?: unknown; w?: unknown; c?: unknown; a?: unknown; exp?: unknown };
  try {
    raw = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw new SurveyLinkError('invalid', 'the survey link is malformed');
  }
  const { ws, s, w, c, a, exp } = raw;
  if (![ws, s, w, c, a].every((v) => typeof v === 'string') || typeof exp !== 'number') {
    throw new SurveyLinkError('invalid', 'the survey link is malformed');
  }
  if (exp <= now) throw new SurveyLinkError('expired', `this survey closed on ${new Date(exp).toISOString()}; the link has expired`);
  return { workspaceId: ws as string, surveyId: s as string, waveId: w as string, contactId: c as string, accountId: a as string, expiresAt: exp };
}
