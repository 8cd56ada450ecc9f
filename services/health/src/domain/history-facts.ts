import {
  AccountUpsertedV1, ContactDepartedV1, ContactUpsertedV1, ContractUpsertedV1, EventEnvelope, RenewalClosedV1, RenewalUpcomingV1,
  SurveyResponseRecordedV1, UsageDroppedV1, UsageRecoveredV1, UsageSummaryV1,
} from '@cairn/contracts';
import { AccountFact, ContactFact, ContractFact, DepartureFact, endOfDay, OutcomeFact, SignalFact, UsageFact } from './history';
import { SurveyAnswer, UsageEpisode } from './signals';

/**
 * The point-in-time facts an event tells about an account, each dated by when it happened
 * (event time), not when it was processed: a usage summary or a drop verdict by the end of the
 * day it describes, a survey answer by its respondedAt, a departure by its departedAt, a
 * contract by its start date, an outcome by its closedAt; directory changes by their observedAt
 * (the Segment call's timestamp), else the envelope's time. A replay of history dates facts as the
 * history had them.
 */
export const historyFacts = {
  usageSummary(e: EventEnvelope<UsageSummaryV1>): SignalFact[] {
    const d = e.data;
    const value: UsageFact = {
      activeUsers7d: d.activeUsers7d, activeUsers30d: d.activeUsers30d, featuresUsed30d: d.featuresUsed30d,
      ...(d.lastActivityAt ? { lastActivityAt: new Date(d.lastActivityAt).toISOString() } : {}),
      ...(d.usageTrendPct !== undefined ? { usageTrendPct: d.usageTrendPct } : {}),
    };
    return [{ kind: 'usage', subject: '', at: endOfDay(d.asOf), eventId: e.id, value }];
  },
  usageDropped(e: EventEnvelope<UsageDroppedV1>): SignalFact[] {
    const d = e.data;
    const value: UsageEpisode = {
      state: 'dropped', changePct: d.changePct, reason: d.reason, episodeId: d.episodeId, kind: d.kind, thresholdPct: d.thresholdPct,
    };
    return [{ kind: 'usageEpisode', subject: '', at: verdictTime(d.currentWindow?.to, e.time), eventId: e.id, value }];
  },
  usageRecovered(e: EventEnvelope<UsageRecoveredV1>): SignalFact[] {
    const d = e.data;
    const value: UsageEpisode = { state: 'recovered', changePct: d.changePct, reason: d.reason, episodeId: d.episodeId };
    return [{ kind: 'usageEpisode', subject: '', at: verdictTime(d.currentWindow?.to, e.time), eventId: e.id, value }];
  },
  accountUpserted(e: EventEnvelope<AccountUpsertedV1>): SignalFact[] {
    const d = e.data;
    const value: AccountFact = {
      ...(d.name !== undefined ? { name: d.name } : {}), ...(d.plan !== undefined ? { plan: d.plan } : {}),
      ...(d.lifecycleStage !== undefined ? { lifecycleStage: d.lifecycleStage } : {}),
      ...(d.seats !== undefined ? { seats: d.seats } : {}), ...(d.csmOwner !== undefined ? { csmOwner: d.csmOwner } : {}),
    };
    return [{ kind: 'account', subject: '', at: iso(d.observedAt ?? e.time), eventId: e.id, value }];
  },
  contactUpserted(e: EventEnvelope<ContactUpsertedV1>): SignalFact[] {
    const d = e.data;
    const value: ContactFact = { ...(d.role ? { role: d.role } : {}), ...(d.name ? { name: d.name } : d.email ? { name: d.email } : {}) };
    return [{ kind: 'contact', subject: d.contactId, at: iso(d.observedAt ?? e.time), eventId: e.id, value }];
  },
  contactDeparted(e: EventEnvelope<ContactDepartedV1>): SignalFact[] {
    const d = e.data;
    const value: DepartureFact = { role: d.role, reason: d.reason, ...(d.name ?? d.email ? { name: d.name ?? d.email } : {}) };
    const facts: SignalFact[] = [{ kind: 'departure', subject: d.contactId, at: iso(d.departedAt), eventId: e.id, value }];
    return facts;
  },
  surveyResponse(e: EventEnvelope<SurveyResponseRecordedV1>): SignalFact[] {
    const d = e.data;
    const value: SurveyAnswer = { score: d.score, category: d.category, surveyId: d.surveyId, responseId: d.responseId };
    return [{ kind: d.kind, subject: d.responseId ?? e.id, at: iso(d.respondedAt), eventId: e.id, value }];
  },
  contractUpserted(e: EventEnvelope<ContractUpsertedV1>): SignalFact[] {
    const d = e.data;
    const value: ContractFact = { endDate: d.endDate.slice(0, 10) };
    // A contract is known from the day it starts (or from when it was entered, if that is earlier).
    const start = `${d.startDate.slice(0, 10)}T00:00:00.000Z`;
    return [{ kind: 'contract', subject: d.contractId, at: start < iso(e.time) ? start : iso(e.time), eventId: e.id, value }];
  },
  renewalUpcoming(e: EventEnvelope<RenewalUpcomingV1>): SignalFact[] {
    const d = e.data;
    return [{ kind: 'contract', subject: d.contractId, at: iso(e.time), eventId: e.id, value: { endDate: d.endDate.slice(0, 10) } }];
  },
  renewalClosed(e: EventEnvelope<RenewalClosedV1>): SignalFact[] {
    const d = e.data;
    const value: OutcomeFact = {
      outcome: d.outcome, closedAt: iso(d.closedAt), arrBefore: d.arrBefore, arrAfter: d.arrAfter, ...(d.reason ? { reason: d.reason } : {}),
    };
    return [{ kind: 'outcome', subject: d.contractId, at: iso(d.closedAt), eventId: e.id, value }];
  },
};

function iso(t: string | Date): string {
  return new Date(t).toISOString();
}

/** A verdict on a window is true by the end of the window's last day (the envelope time if it names none). */
function verdictTime(windowTo: string | undefined, envelopeTime: string): string {
  return windowTo && /^\d{4}-\d{2}-\d{2}/.test(windowTo) ? endOfDay(windowTo.slice(0, 10)) : iso(envelopeTime);
}
