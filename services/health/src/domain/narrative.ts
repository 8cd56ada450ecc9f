import {
  AccountUpsertedV1, ContactDepartedV1, ContactUpsertedV1, ContractUpsertedV1, HealthBand, RenewalUpcomingV1,
  SurveyResponseRecordedV1, TicketChangedV1, UsageDroppedV1, UsageRecoveredV1, UsageSummaryV1,
} from '@cairn/contracts';

/** Readable one-liners for the events that move health: the `cause.summary` of a change. */
export const describeSignal = {
  usageDropped(d: UsageDroppedV1): string {
    return d.kind === 'silence'
      ? `account went silent (${d.reason})`
      : `usage fell ${Math.abs(Number(d.changePct.toFixed(1)))}% vs baseline (${d.reason})`;
  },
  usageRecovered(d: UsageRecoveredV1): string {
    return `usage recovered to ${signed(d.changePct)} vs baseline (${d.reason})`;
  },
  usageSummary(d: UsageSummaryV1): string {
    const parts = [`${d.activeUsers30d} active users in 30 days`, `${d.featuresUsed30d} features used`];
    if (d.usageTrendPct !== undefined) parts.push(`trend ${signed(d.usageTrendPct)} vs baseline`);
    return `usage summary as of ${d.asOf}: ${parts.join(', ')}`;
  },
  accountUpserted(d: AccountUpsertedV1): string {
    const parts = [
      d.plan !== undefined ? `plan ${d.plan}` : '', d.seats !== undefined ? `${d.seats} seats` : '',
      d.lifecycleStage !== undefined ? `stage ${d.lifecycleStage}` : '',
    ].filter(Boolean);
    return `account details changed${parts.length ? ` (${parts.join(', ')})` : ''}`;
  },
  contactUpserted(d: ContactUpsertedV1): string {
    return `contact ${who(d)}${d.role ? ` (${d.role.replace('_', ' ')})` : ''} updated`;
  },
  contactDeparted(d: ContactDepartedV1): string {
    return `${d.role.replace('_', ' ')} ${who(d)} left the account (${d.reason})`;
  },
  surveyResponse(d: SurveyResponseRecordedV1): string {
    return `${d.kind.toUpperCase()} answer ${d.score} (${d.category})`;
  },
  contractUpserted(d: ContractUpsertedV1): string {
    return `contract ${d.contractId} ends ${d.endDate.slice(0, 10)}`;
  },
  ticketChanged(d: TicketChangedV1): string {
    const what = d.change === 'opened' ? 'opened' : d.change === 'solved' ? 'solved' : `now ${d.status.replace('_', ' ')}`;
    return `${d.source} ticket ${d.externalId} ${what}${d.priority ? ` (${d.priority}${d.escalated ? ', escalated' : ''})` : d.escalated ? ' (escalated)' : ''}`;
  },
  renewalUpcoming(d: RenewalUpcomingV1): string {
    return `renewal of contract ${d.contractId} in ${d.daysToRenewal} days (${d.endDate.slice(0, 10)})`;
  },
};

function who(d: { name?: string; email?: string; contactId: string }): string {
  return d.name ?? d.email ?? d.contactId;
}

function signed(n: number): string {
  return `${n > 0 ? '+' : ''}${Number(n.toFixed(1))}%`;
}

export interface ScoreAndBand {
  score: number;
  band: HealthBand;
}

/** "Health fell from 78 (green) to 41 (yellow): usage fell 88% vs baseline (…)". */
export function describeChange(previous: ScoreAndBand | null, current: ScoreAndBand, cause: string): string {
  if (!previous) return `Health scored ${current.score} (${current.band}) for the first time: ${cause}`;
  if (current.score === previous.score) {
    return `Health band changed from ${previous.band} to ${current.band} at ${current.score}: ${cause}`;
  }
  const verb = current.score < previous.score ? 'fell' : 'rose';
  return `Health ${verb} from ${previous.score} (${previous.band}) to ${current.score} (${current.band}): ${cause}`;
}
