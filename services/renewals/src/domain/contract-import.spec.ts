import { contractsFromCsv } from './contract-import';

describe('contract import from CSV', () => {
  it('maps camelCase, snake_case and spaced headers and converts numbers and booleans', () => {
    const rows = contractsFromCsv('id,account_id,ARR,Start Date,end-date,auto_renew,seats\nc1,acme,48000.5,2026-01-01,2026-12-31,yes,40\nc2,globex,lots,2026-01-01,2026-12-31,,');
    expect(rows).toEqual([
      { row: 2, value: { id: 'c1', accountId: 'acme', arr: 48000.5, startDate: '2026-01-01', endDate: '2026-12-31', autoRenew: true, seats: 40 } },
      { row: 3, value: { id: 'c2', accountId: 'globex', arr: 'lots', startDate: '2026-01-01', endDate: '2026-12-31' } },
    ]);
  });

  it('refuses a file with an unknown column rather than drop it silently', () => {
    expect(() => contractsFromCsv('id,acount_id\nc1,acme')).toThrow('unknown column(s) "acount_id"');
    expect(() => contractsFromCsv('')).toThrow('the CSV is empty');
  });
});
