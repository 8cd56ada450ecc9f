import type { RenewalOutcome } from '@cairn/contracts';

export interface ClosedRenewal {
  accountId: string;
  arrBefore: number;
  arrAfter: number;
  outcome: RenewalOutcome;
}

export interface RetentionMetrics {
  renewals: number;
  accounts: number;
  startingArr: number;
  endingArr: number;
  expansionArr: number;
  contractionArr: number;
  churnedArr: number;
  churnedAccounts: number;
  /** (start + expansion − contraction − churn) / start × 100 */
  nrrPct: number | null;
  /** (start − contraction − churn) / start × 100 */
  grrPct: number | null;
  /** accounts lost / accounts up for renewal × 100 */
  logoChurnPct: number | null;
  /** (contraction + churn) / start × 100 */
  revenueChurnPct: number | null;
  /** Average ARR per account × gross margin ÷ annual logo churn rate; null when nobody churned. */
  cltv: number | null;
}

const r2 = (v: number) => Math.round(v * 100) / 100;
const pct = (a: number, b: number) => (b === 0 ? null : r2((a / b) * 100));

/**
 * Retention over the renewals closed in a period, each contract counted at its renewal.
 * An account counts as churned when all of its renewals in the period churned. CLTV treats
 * the period's logo churn as an annual rate (contracts renew yearly).
 */
export function retentionMetrics(closed: ClosedRenewal[], grossMarginPct = 100): RetentionMetrics {
  let startingArr = 0, endingArr = 0, expansionArr = 0, contractionArr = 0, churnedArr = 0;
  const accountOutcomes = new Map<string, boolean>();
  for (const c of closed) {
    startingArr += c.arrBefore;
    endingArr += c.arrAfter;
    if (c.outcome === 'churned') churnedArr += c.arrBefore;
    else if (c.arrAfter > c.arrBefore) expansionArr += c.arrAfter - c.arrBefore;
    else contractionArr += c.arrBefore - c.arrAfter;
    const churned = c.outcome === 'churned';
    accountOutcomes.set(c.accountId, (accountOutcomes.get(c.accountId) ?? true) && churned);
  }
  const accounts = accountOutcomes.size;
  const churnedAccounts = [...accountOutcomes.values()].filter(Boolean).length;
  const churnRate = accounts === 0 ? 0 : churnedAccounts / accounts;
  return {
    renewals: closed.length, accounts,
    startingArr: r2(startingArr), endingArr: r2(endingArr), expansionArr: r2(expansionArr),
    contractionArr: r2(contractionArr), churnedArr: r2(churnedArr), churnedAccounts,
    nrrPct: pct(startingArr + expansionArr - contractionArr - churnedArr, startingArr),
    grrPct: pct(startingArr - contractionArr - churnedArr, startingArr),
    logoChurnPct: pct(churnedAccounts, accounts),
    revenueChurnPct: pct(contractionArr + churnedArr, startingArr),
    cltv: churnRate === 0 ? null : r2(((startingArr / accounts) * (grossMarginPct / 100)) / churnRate),
  };
}
