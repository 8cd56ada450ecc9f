import type { RenewalOutcome } from '@cairn/contracts';

/**
 * What an outcome says about the ARR after the renewal, so retention metrics computed from
 * outcomes add up: churned → 0 (and a reason), expanded → more, contracted → less but not 0,
 * renewed → any ARR above 0 (a flat renewal, possibly with a price index).
 */
export function outcomeProblems(outcome: RenewalOutcome, arrBefore: number, arrAfter: number, reason?: string): string[] {
  const problems: string[] = [];
  switch (outcome) {
    case 'churned':
      if (!reason?.trim()) problems.push('reason: is required when the outcome is churned');
      if (arrAfter !== 0) problems.push(`arrAfter: must be 0 when the outcome is churned (got ${arrAfter})`);
      break;
    case 'expanded':
      if (!(arrAfter > arrBefore)) problems.push(`arrAfter: must be more than the ARR before (${arrBefore}) when the outcome is expanded (got ${arrAfter})`);
      break;
    case 'contracted':
      if (!(arrAfter > 0 && arrAfter < arrBefore)) {
        problems.push(`arrAfter: must be above 0 and below the ARR before (${arrBefore}) when the outcome is contracted (got ${arrAfter})`);
      }
      break;
    case 'renewed':
      if (!(arrAfter > 0)) problems.push(`arrAfter: must be above 0 when the outcome is renewed (got ${arrAfter}); record churned instead`);
      break;
  }
  return problems;
}
