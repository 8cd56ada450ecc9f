import {
  AccountUpsertedV1, ContactDepartedV1, ContactUpsertedV1, ContractUpsertedV1, EventEnvelope, RenewalUpcomingV1,
  SurveyResponseRecordedV1, TicketChangedV1, UsageDroppedV1, UsageRecoveredV1, UsageSummaryV1,
} from '@cairn/contracts';
import { createLogger } from '@cairn/observability';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { describeSignal } from '../domain/narrative';
import { historyFacts } from '../domain/history-facts';
import { SurveyAnswer, UsageEpisode } from '../domain/signals';
import { SignalHistoryStore } from '../history/signal-history.store';
import { HealthScoringService } from '../scoring/health-scoring.service';
import { SignalStore } from './signal.store';

/**
 * Turns each incoming event into signal values of the account(s) it concerns and rescores them,
 * all in the consumer's transaction and under the account's lock.
 */
@Injectable()
export class SignalIntake {
  private readonly log = createLogger('signal-intake');

  constructor(
    private readonly store: SignalStore, private readonly scoring: HealthScoringService, private readonly history: SignalHistoryStore,
  ) {}

  /**
   * A chunk of usage summaries (one partition, in order) in one go: a replay of history sends one
   * per account and day, too many to rescore one by one. Every summary becomes a history fact;
   * the read model takes each account's newest one; each account is rescored once, with its
   * newest summary as the cause.
   */
  async usageSummaries(m: EntityManager, events: EventEnvelope<UsageSummaryV1>[]): Promise<void> {
    const byWorkspace = new Map<string, Map<string, EventEnvelope<UsageSummaryV1>[]>>();
    for (const e of events) {
      if (!e.accountId) {
        this.log.warn({ eventId: e.id, type: e.type, workspaceId: e.workspaceId }, 'event names no account: nothing to score');
        continue;
      }
      const accounts = byWorkspace.get(e.workspaceId) ?? new Map<string, EventEnvelope<UsageSummaryV1>[]>();
      byWorkspace.set(e.workspaceId, accounts);
      accounts.set(e.accountId, [...(accounts.get(e.accountId) ?? []), e]);
    }
    for (const [ws, accounts] of byWorkspace) {
      const ids = [...accounts.keys()].sort();
      await this.store.lockAccounts(m, ws, ids);
      await this.history.recordMany(m, ws, [...accounts].flatMap(([acc, list]) => list.flatMap((e) => historyFacts.usageSummary(e).map((fact) => ({ accountId: acc, fact })))));
      const newest = new Map<string, EventEnvelope<UsageSummaryV1>>();
      for (const [acc, list] of accounts) {
        // The newest day wins; within a day, the later event.
        const e = list.reduce((a, b) => (b.data.asOf >= a.data.asOf ? b : a));
        newest.set(acc, e);
        const d = e.data;
        await this.store.record(m, ws, acc, [
          { key: 'activeUsers7d', value: d.activeUsers7d },
          { key: 'activeUsers30d', value: d.activeUsers30d },
          { key: 'featuresUsed30d', value: d.featuresUsed30d },
          { key: 'lastActivityAt', value: d.lastActivityAt ? new Date(d.lastActivityAt).toISOString() : undefined },
          { key: 'usageTrendPct', value: d.usageTrendPct },
        ], e);
      }
      const asOf = new Date(Math.max(...[...newest.values()].map((e) => Date.parse(e.time))));
      await this.scoring.rescoreMany(m, ws, ids, (acc) => {
        const e = newest.get(acc)!;
        return { eventId: e.id, type: e.type, summary: describeSignal.usageSummary(e.data) };
      }, asOf);
    }
  }

  async usageDropped(m: EntityManager, e: EventEnvelope<UsageDroppedV1>): Promise<void> {
    const d = e.data;
    const episode: UsageEpisode = {
      state: 'dropped', changePct: d.changePct, reason: d.reason, episodeId: d.episodeId, kind: d.kind, thresholdPct: d.thresholdPct,
    };
    await this.apply(m, e, this.accountOf(e), describeSignal.usageDropped(d), async (acc) => {
      await this.history.record(m, e.workspaceId, acc, historyFacts.usageDropped(e));
      await this.store.record(m, e.workspaceId, acc, [{ key: 'usageEpisode', value: episode }], e);
    });
  }

  async usageRecovered(m: EntityManager, e: EventEnvelope<UsageRecoveredV1>): Promise<void> {
    const d = e.data;
    const episode: UsageEpisode = { state: 'recovered', changePct: d.changePct, reason: d.reason, episodeId: d.episodeId };
    await this.apply(m, e, this.accountOf(e), describeSignal.usageRecovered(d), async (acc) => {
      await this.history.record(m, e.workspaceId, acc, historyFacts.usageRecovered(e));
      await this.store.record(m, e.workspaceId, acc, [{ key: 'usageEpisode', value: episode }], e);
    });
  }

  async accountUpserted(m: EntityManager, e: EventEnvelope<AccountUpsertedV1>): Promise<void> {
    const d = e.data;
    await this.apply(m, e, this.accountOf(e), describeSignal.accountUpserted(d), async (acc) => {
      await this.history.record(m, e.workspaceId, acc, historyFacts.accountUpserted(e));
      await this.store.record(m, e.workspaceId, acc, [
        { key: 'name', value: d.name }, { key: 'plan', value: d.plan }, { key: 'lifecycleStage', value: d.lifecycleStage },
        { key: 'seats', value: d.seats }, { key: 'csmOwner', value: d.csmOwner },
      ], e);
    });
  }

  async contactUpserted(m: EntityManager, e: EventEnvelope<ContactUpsertedV1>): Promise<void> {
    const d = e.data;
    const accounts = [...new Set([...(d.accountIds ?? []), ...(e.accountId ? [e.accountId] : [])])];
    await this.apply(m, e, accounts, describeSignal.contactUpserted(d), async (acc) => {
      await this.history.record(m, e.workspaceId, acc, historyFacts.contactUpserted(e));
      await this.store.upsertContact(m, e.workspaceId, acc, d, e);
      await this.refreshChampion(m, e, acc);
    });
  }

  async contactDeparted(m: EntityManager, e: EventEnvelope<ContactDepartedV1>): Promise<void> {
    const d = e.data;
    const accounts = e.accountId ? [e.accountId] : await this.store.accountsOfContact(m, e.workspaceId, d.contactId);
    const who = d.name ?? d.email ?? d.contactId;
    await this.apply(m, e, accounts, describeSignal.contactDeparted(d), async (acc) => {
      await this.history.record(m, e.workspaceId, acc, historyFacts.contactDeparted(e));
      await this.store.markDeparted(m, e.workspaceId, acc, d, e);
      await this.refreshChampion(m, e, acc, `${who} (${d.role.replace('_', ' ')}) left: ${d.reason}`);
    });
  }

  async surveyResponse(m: EntityManager, e: EventEnvelope<SurveyResponseRecordedV1>): Promise<void> {
    const d = e.data;
    const answer: SurveyAnswer = { score: d.score, category: d.category, surveyId: d.surveyId, responseId: d.responseId };
    await this.apply(m, e, this.accountOf(e), describeSignal.surveyResponse(d), async (acc) => {
      await this.history.record(m, e.workspaceId, acc, historyFacts.surveyResponse(e));
      // The NPS trend compares the latest answer with the one before: a newer answer from another
      // response pushes the current one to npsPrevious (a corrected answer does not).
      const current = d.kind === 'nps' ? await this.store.current<SurveyAnswer>(m, e.workspaceId, acc, 'nps') : undefined;
      const moved = await this.store.record(m, e.workspaceId, acc, [{ key: d.kind, value: answer }], e);
      if (current && moved.includes('nps') && current.value.responseId !== d.responseId) {
        await this.store.record(m, e.workspaceId, acc, [{ key: 'npsPrevious', value: current.value }], { ...e, time: current.observedAt }, { derived: true });
      }
    });
  }

  async contractUpserted(m: EntityManager, e: EventEnvelope<ContractUpsertedV1>): Promise<void> {
    await this.apply(m, e, this.accountOf(e), describeSignal.contractUpserted(e.data), async (acc) => {
      await this.history.record(m, e.workspaceId, acc, historyFacts.contractUpserted(e));
      await this.store.upsertContract(m, e.workspaceId, acc, e.data.contractId, e.data.endDate, e);
    });
  }

  async renewalUpcoming(m: EntityManager, e: EventEnvelope<RenewalUpcomingV1>): Promise<void> {
    await this.apply(m, e, this.accountOf(e), describeSignal.renewalUpcoming(e.data), async (acc) => {
      await this.history.record(m, e.workspaceId, acc, historyFacts.renewalUpcoming(e));
      await this.store.upsertContract(m, e.workspaceId, acc, e.data.contractId, e.data.endDate, e);
    });
  }

  async ticketChanged(m: EntityManager, e: EventEnvelope<TicketChangedV1>): Promise<void> {
    await this.apply(m, e, this.accountOf(e), describeSignal.ticketChanged(e.data), async (acc) => {
      await this.store.upsertTicket(m, e.workspaceId, acc, e.data, e);
    });
  }

  private accountOf(e: EventEnvelope): string[] {
    return e.accountId ? [e.accountId] : [];
  }

  /** Locks the accounts, stores the signal for each, then rescores each with this event as the cause. */
  private async apply(
    m: EntityManager, e: EventEnvelope, accounts: string[], summary: string, write: (accountId: string) => Promise<void>,
  ): Promise<void> {
    if (accounts.length === 0) {
      this.log.warn({ eventId: e.id, type: e.type, workspaceId: e.workspaceId }, 'event names no account: nothing to score');
      return;
    }
    await this.store.lockAccounts(m, e.workspaceId, accounts);
    const cause = { eventId: e.id, type: e.type, summary };
    for (const acc of accounts) {
      await write(acc);
      await this.scoring.rescore(m, e.workspaceId, acc, cause, new Date(e.time));
    }
  }

  /**
   * championPresent = at least one contact with role champion who has not left; known as soon
   * as any contact of the account is. The note keeps the reason of the last flip.
   */
  private async refreshChampion(m: EntityManager, e: EventEnvelope, accountId: string, departure?: string): Promise<void> {
    const { contacts, champions } = await this.store.champions(m, e.workspaceId, accountId);
    if (contacts === 0) return;
    const present = champions.length > 0;
    const moved = await this.store.record(m, e.workspaceId, accountId, [{ key: 'championPresent', value: present }], e, { derived: true });
    let note: string | undefined;
    if (present) note = `${champions.join(', ')} ${champions.length === 1 ? 'is champion' : 'are champions'}`;
    else if (moved.length > 0) note = departure ?? 'no contact has the champion role';
    if (note) await this.store.record(m, e.workspaceId, accountId, [{ key: 'championNote', value: note }], e, { derived: true });
  }
}
