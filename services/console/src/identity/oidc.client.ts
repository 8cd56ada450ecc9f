import { createHash, createPublicKey, randomBytes, verify as verifySignature, JsonWebKey } from 'node:crypto';

/** What the console needs of an OpenID provider's discovery document. */
interface ProviderMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  userinfo_endpoint?: string;
}

export class OidcError extends Error {}

const b64url = (b: Buffer) => b.toString('base64url');

/**
 * A small OpenID Connect relying party: authorization code flow with PKCE (S256), ID-token
 * signature (RS/PS/ES256 from the provider's JWKS), issuer, audience, expiry and nonce checks.
 */
export class OidcClient {
  private metadata?: Promise<ProviderMetadata>;
  private keys?: { at: number; keys: JsonWebKey[] };

  constructor(private readonly issuer: string, private readonly clientId: string, private readonly clientSecret?: string) {}

  static newLogin() {
    const verifier = b64url(randomBytes(32));
    return {
      state: b64url(randomBytes(24)), nonce: b64url(randomBytes(24)), verifier,
      challenge: b64url(createHash('sha256').update(verifier).digest()),
    };
  }

  async authorizationUrl(redirectUri: string, login: { state: string; nonce: string; challenge: string }, scope: string): Promise<string> {
    const m = await this.discover();
    const u = new URL(m.authorization_endpoint);
    u.search = new URLSearchParams({
      response_type: 'code', client_id: this.clientId, redirect_uri: redirectUri, scope, state: login.state, nonce: login.nonce,
      code_challenge: login.challenge, code_challenge_method: 'S256',
    }).toString();
    return u.toString();
  }

  /** Exchanges the code, verifies the ID token and returns its claims (merged with userinfo). */
  async finish(code: string, redirectUri: string, verifier: string, nonce: string): Promise<Record<string, unknown>> {
    const m = await this.discover();
    const body = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier, client_id: this.clientId });
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if (this.clientSecret) {
      headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(this.clientId)}:${encodeURIComponent(this.clientSecret)}`).toString('base64')}`;
    }
    const r = await fetch(m.token_endpoint, { method: 'POST', headers, body });
    const tokens = await r.json().catch(() => ({})) as { id_token?: string; access_token?: string; error?: string; error_description?: string };
    if (!r.ok || !tokens.id_token) throw new OidcError(`token endpoint refused the code: ${tokens.error ?? r.status}${tokens.error_description ? ` (${tokens.error_description})` : ''}`);
    const claims = await this.verifyIdToken(tokens.id_token, nonce);
    if (m.userinfo_endpoint && tokens.access_token) {
      const info = await fetch(m.userinfo_endpoint, { headers: { authorization: `Bearer ${tokens.access_token}` } });
      if (info.ok) {
        const extra = await info.json() as Record<string, unknown>;
        if (extra.sub === claims.sub) return { ...extra, ...claims };
      }
    }
    return claims;
  }

  private async verifyIdToken(token: string, nonce: string): Promise<Record<string, unknown>> {
    const [h, p, s] = token.split('.');
    if (!h || !p || !s) throw new OidcError('ID token is not a JWS');
    const header = JSON.parse(Buffer.from(h, 'base64url').toString());
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const algs: Record<string, { hash: string; pss?: boolean; ec?: boolean }> = {
      RS256: { hash: 'sha256' }, PS256: { hash: 'sha256', pss: true }, ES256: { hash: 'sha256', ec: true },
    };
    const alg = algs[header.alg];
    if (!alg) throw new OidcError(`ID token algorithm ${header.alg} is not accepted`);
    const jwk = await this.key(header.kid);
    const key = createPublicKey({ key: jwk, format: 'jwk' });
    const ok = verifySignature(alg.hash, Buffer.from(`${h}.${p}`), {
      key, ...(alg.pss ? { padding: 6, saltLength: 32 } : {}), ...(alg.ec ? { dsaEncoding: 'ieee-p1363' as const } : {}),
    }, Buffer.from(s, 'base64url'));
    if (!ok) throw new OidcError('ID token signature does not verify');
    const m = await this.discover();
    if (claims.iss !== m.issuer) throw new OidcError('ID token issuer does not match');
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!aud.includes(this.clientId)) throw new OidcError('ID token is for another client');
    if (typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now() - 30_000) throw new OidcError('ID token expired');
    if (claims.nonce !== nonce) throw new OidcError('ID token nonce does not match this sign-in');
    if (typeof claims.sub !== 'string' || !claims.sub) throw new OidcError('ID token has no subject');
    return claims;
  }

  private async key(kid: string | undefined): Promise<JsonWebKey> {
    const find = (keys: JsonWebKey[]) => keys.find((k) => (kid ? k.kid === kid : k.use !== 'enc'));
    const fetchKeys = async () => {
      const r = await fetch((await this.discover()).jwks_uri);
      if (!r.ok) throw new OidcError(`provider's JWKS answered ${r.status}`);
      this.keys = { at: Date.now(), keys: ((await r.json()) as { keys: JsonWebKey[] }).keys };
    };
    if (!this.keys || Date.now() - this.keys.at > 3600_000) await fetchKeys();
    let k = find(this.keys!.keys);
    if (!k) { await fetchKeys(); k = find(this.keys!.keys); } // rotated keys
    if (!k) throw new OidcError(`no provider key ${kid ?? ''}`);
    return k;
  }

  private discover(): Promise<ProviderMetadata> {
    this.metadata ??= (async () => {
      const url = `${this.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
      const r = await fetch(url);
      if (!r.ok) throw new OidcError(`discovery at ${url} answered ${r.status}`);
      return await r.json() as ProviderMetadata;
    })();
    this.metadata.catch(() => { this.metadata = undefined; });
    return this.metadata;
  }
}
