import { loadConfig } from '@cairn/runtime';
import { ConsoleConfig } from './config';

const base = { CAIRN_SERVICE: 'console', CAIRN_AUTH_SECRET: 'x'.repeat(40) };

describe('console configuration', () => {
  it('defaults to the services on this machine and a 30-minute idle session', () => {
    const c = loadConfig(ConsoleConfig, base);
    expect(c.port).toBe(3006);
    expect(c.serviceUrl('playbooks')).toBe('http://127.0.0.1:3004');
    expect(c.CONSOLE_SESSION_IDLE_MINUTES).toBe(30);
    expect(c.ssoEnabled).toBe(false);
  });

  it('refuses single sign-on without its client, workspace and public URL, naming the variable', () => {
    expect(() => loadConfig(ConsoleConfig, { ...base, CONSOLE_OIDC_ISSUER: 'https://idp.example' }))
      .toThrow(/CONSOLE_OIDC_ISSUER \(got "https:\/\/idp.example"\): single sign-on also needs CONSOLE_OIDC_CLIENT_ID/);
  });

  it('names a bad service URL', () => {
    expect(() => loadConfig(ConsoleConfig, { ...base, CONSOLE_HEALTH_URL: 'health:3003' })).toThrow(/CONSOLE_HEALTH_URL \(got "health:3003"\)/);
  });
});
