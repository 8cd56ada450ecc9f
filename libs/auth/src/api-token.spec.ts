import { InvalidTokenError, issueApiToken, verifyApiToken } from './api-token';
import { hashSecret, parseBasicAuth } from './secrets';

const secret = 'unit-test-secret-that-is-long-enough-0123';

describe('API tokens', () => {
  it('verifies a token it issued and returns its workspace', () => {
    const token = issueApiToken({ workspaceId: 'acme-ws', subject: 'ana@vendor.example' }, secret);
    expect(verifyApiToken(token, secret)).toMatchObject({ ws: 'acme-ws', sub: 'ana@vendor.example' });
  });

  it('refuses a token signed with another secret', () => {
    const token = issueApiToken({ workspaceId: 'acme-ws', subject: 'x' }, `${secret}-other`);
    expect(() => verifyApiToken(token, secret)).toThrow(new InvalidTokenError('bad token signature'));
  });

  it('refuses a token whose workspace was edited', () => {
    const token = issueApiToken({ workspaceId: 'acme-ws', subject: 'x' }, secret);
    const [body, sig] = token.slice('cairn_'.length).split('.');
    const forged = Buffer.from(Buffer.from(body, 'base64url').toString().replace('acme-ws', 'evil-ws')).toString('base64url');
    expect(() => verifyApiToken(`cairn_${forged}.${sig}`, secret)).toThrow('bad token signature');
  });

  it('refuses an expired token', () => {
    const token = issueApiToken({ workspaceId: 'w', subject: 'x', ttlSeconds: 60 }, secret);
    expect(() => verifyApiToken(token, secret, Date.now() + 120_000)).toThrow('token expired');
  });

  it('refuses strings that are not tokens', () => {
    expect(() => verifyApiToken('Bearer nope', secret)).toThrow('not a Cairn API token');
    expect(() => verifyApiToken('cairn_abc', secret)).toThrow('malformed token');
  });
});

describe('write-key helpers', () => {
  it('reads a Segment write key from HTTP Basic auth with an empty password', () => {
    const header = `Basic ${Buffer.from('wk_123:').toString('base64')}`;
    expect(parseBasicAuth(header)).toEqual({ user: 'wk_123', password: '' });
    expect(parseBasicAuth('Bearer x')).toBeNull();
  });

  it('stores secrets as a digest, never as given', () => {
    expect(hashSecret('wk_123')).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSecret('wk_123')).not.toContain('wk_123');
  });
});
