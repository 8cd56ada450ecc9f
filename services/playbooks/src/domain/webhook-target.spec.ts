import { isInternalAddress, webhookTargetProblem } from './webhook-target';

describe('webhook targets', () => {
  it.each([
    '127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.10', '169.254.169.254', '100.64.0.1', '0.0.0.0',
    '::1', '::', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', 'not-an-address',
  ])('treats %s as internal', (address) => expect(isInternalAddress(address)).toBe(true));

  it.each(['203.0.113.10', '8.8.8.8', '172.32.0.1', '2001:db8::1', '::ffff:8.8.8.8'])('treats %s as public', (address) => {
    expect(isInternalAddress(address)).toBe(false);
  });

  const resolvesTo = (...addresses: string[]) => async () => addresses;

  it('refuses a URL whose host is or resolves to an internal address, naming it and the setting', async () => {
    expect(await webhookTargetProblem('http://127.0.0.1:8080/hook', false)).toMatch(/^url: 127\.0\.0\.1 is a private, loopback or link-local address; .*PLAYBOOKS_WEBHOOK_ALLOW_PRIVATE_NETWORKS=true/);
    expect(await webhookTargetProblem('http://[::1]/hook', false)).toMatch(/^url: ::1 is a private/);
    expect(await webhookTargetProblem('https://hooks.example.com/x', false, resolvesTo('93.184.216.34', '10.0.0.7')))
      .toMatch(/^url: hooks\.example\.com resolves to 10\.0\.0\.7, which is a private/);
  });

  it('lets public targets, unresolvable names and (when allowed) internal ones through', async () => {
    expect(await webhookTargetProblem('https://hooks.example.com/x', false, resolvesTo('93.184.216.34'))).toBeNull();
    expect(await webhookTargetProblem('https://nowhere.invalid/x', false, async () => { throw new Error('ENOTFOUND'); })).toBeNull();
    expect(await webhookTargetProblem('http://127.0.0.1:8080/hook', true)).toBeNull();
  });
});
