import { ConfigError, loadConfig } from '@cairn/runtime';
import { RenewalsConfig } from './config';

const load = (env: Record<string, string>) => loadConfig(RenewalsConfig, { CAIRN_SERVICE: 'renewals', CAIRN_AUTH_SECRET: 'x'.repeat(40), ...env });

describe('renewals configuration', () => {
  it('defaults to horizons of 120, 90, 60 and 30 days and a scan every minute', () => {
    const c = load({});
    expect(c.horizons).toEqual([120, 90, 60, 30]);
    expect(c.RENEWAL_SCAN_INTERVAL_MS).toBe(60_000);
  });

  it('takes other horizons from RENEWAL_HORIZONS_DAYS and names a bad value', () => {
    expect(load({ RENEWAL_HORIZONS_DAYS: '45,180' }).horizons).toEqual([180, 45]);
    expect(() => load({ RENEWAL_HORIZONS_DAYS: '90,soon' }))
      .toThrow(/RENEWAL_HORIZONS_DAYS \(got "90,soon"\): RENEWAL_HORIZONS_DAYS "soon" is not a whole number of days/);
    expect(() => load({ RENEWAL_SCAN_INTERVAL_MS: '5' })).toThrow(ConfigError);
  });
});
