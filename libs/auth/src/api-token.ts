import { createHmac, timingSafeEqual } from 'node:crypto';

export interface ApiTokenClaims {
  /** Workspace every request made with this token is scoped to. */
  ws: string;
  /** Who the token was issued to (a person or an integration). */
  sub: string;
  /** Issued at, seconds since epoch. */
  iat: number;
  /** Expires at, seconds since epoch; absent = does not expire. */
  exp?: number;
}

const PREFIX = 'cairn_';

function sign(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url');
}

/**
 * API tokens are HMAC-signed claims, so every service verifies them with the shared secret
 * without reading another service's tables.
 */
export function issueApiToken(claims: { workspaceId: string; subject: string; ttlSeconds?: number }, secret: string): string {
  const iat = Math.floor(Date.now() / 1000);
  const payload: ApiTokenClaims = {
    ws: claims.workspaceId, sub: claims.subject, iat, ...(claims.ttlSeconds ? { exp: iat + claims.ttlSeconds } : {}),
  };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${PREFIX}${body}.${sign(body, secret)}`;
}

export class InvalidTokenError extends Error {}

export function verifyApiToken(token: string, secret: string, now = Date.now()): ApiTokenClaims {
  if (!token.startsWith(PREFIX)) throw new InvalidTokenError('not a Cairn API token');
  const [body, signature, extra] = token.slice(PREFIX.length).split('.');
  if (!body || !signature || extra !== undefined) throw new InvalidTokenError('malformed token');
  const expected = Buffer.from(sign(body, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new InvalidTokenError('bad token signature');
  let claims: ApiTokenClaims;
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidTokenError('malformed token');
  }
  if (typeof claims.ws !== 'string' || typeof claims.sub !== 'string') throw new InvalidTokenError('malformed token claims');
  if (claims.exp !== undefined && claims.exp * 1000 < now) throw new InvalidTokenError('token expired');
  return claims;
}
