import { retentionMetrics } from './retention-metrics';

// acme 100k renewed flat, globex 50k → 70k, initech 40k → 30k, umbrella 30k churned.
const closed = [
  { accountId: 'acme', arrBefore: 100_000, arrAfter: 100_000, outcome: 'renewed' as const },
  { accountId: 'globex', arrBefore: 50_000, arrAfter: 70_000, outcome: 'expanded' as const },
  { accountId: 'initech', arrBefore: 40_000, arrAfter: 30_000, outcome: 'contracted' as const },
  { accountId: 'umbrella', arrBefore: 30_000, arrAfter: 0, outcome: 'churned' as const },
];

describe('retention metrics', () => {
  it('computes NRR, GRR, churn and expansion as worked out by hand', () => {
    expect(retentionMetrics(closed)).toEqual({
      renewals: 4, accounts: 4, startingArr: 220_000, endingArr: 200_000,
      expansionArr: 20_000, contractionArr: 10_000, churnedArr: 30_000, churnedAccounts: 1,
      nrrPct: 90.91, // (220 + 20 − 10 − 30) / 220
      grrPct: 81.82, // (220 − 10 − 30) / 220
      logoChurnPct: 25, // 1 of 4 accounts
      revenueChurnPct: 18.18, // (10 + 30) / 220
      cltv: 220_000, // 55k average ARR ÷ 25 % annual churn
    });
  });

  it('applies the gross margin to CLTV and leaves it open when nobody churned', () => {
    expect(retentionMetrics(closed, 80).cltv).toBe(176_000);
    expect(retentionMetrics(closed.slice(0, 3)).cltv).toBeNull();
  });

  it('counts an account as churned only when all its renewals churned', () => {
    const m = retentionMetrics([
      { accountId: 'acme', arrBefore: 10, arrAfter: 0, outcome: 'churned' },
      { accountId: 'acme', arrBefore: 10, arrAfter: 10, outcome: 'renewed' },
    ]);
    expect(m).toMatchObject({ accounts: 1, churnedAccounts: 0, logoChurnPct: 0, nrrPct: 50, grrPct: 50 });
  });

  it('has no ratios for an empty period', () => {
    expect(retentionMetrics([])).toMatchObject({ renewals: 0, nrrPct: null, grrPct: null, logoChurnPct: null, cltv: null });
  });
});
