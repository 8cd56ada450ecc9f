// A real OpenID provider (the `oidc-provider` package) for the browser suite: authorization code
// with PKCE, one confidential client, its development login form (any login name; the role comes
// from the claim `cairn_role`, here "cs-ops" for logins starting with "ops"), ID tokens signed RS256.
// Usage: node oidc-provider.mjs <port> <redirect-uri> <client-id> <client-secret>
import Provider from 'oidc-provider';

const [port, redirectUri, clientId, clientSecret] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri], grant_types: ['authorization_code'], response_types: ['code'] }],
  pkce: { required: () => true },
  // cairn_role is not a standard claim: it is released with the openid scope.
  claims: { openid: ['sub', 'cairn_role'], email: ['email', 'email_verified'], profile: ['name'] },
  // The role claim rides in the ID token itself, as many providers' "groups"/"roles" claims do.
  conformIdTokenClaims: false,
  findAccount: async (_ctx, sub) => ({
    accountId: sub,
    claims: async () => ({
      sub, email: `${sub}@idp.example`, email_verified: true, name: `SSO ${sub}`,
      cairn_role: sub.startsWith('ops') ? 'cs-ops' : sub.startsWith('admin') ? 'admin' : 'viewer',
    }),
  }),
  features: { devInteractions: { enabled: true } },
  ttl: { AccessToken: 600, AuthorizationCode: 120, IdToken: 600, Interaction: 600, Session: 600, Grant: 600 },
});
provider.listen(Number(port), '127.0.0.1', () => process.stdout.write(`oidc provider ready at ${issuer}\n`));
