import {
  AccountUpsertedV1, ContactDepartedV1, ContractUpsertedV1, EventEnvelope, HealthChangedV1, RenewalUpcomingV1,
  SurveyResponseRecordedV1, TicketChangedV1, Topics, UsageDroppedV1, UsageSummaryV1,
} from '@cairn/contracts';
import { EventContext } from '@cairn/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { EntityManager } from 'typeorm';
import { AccountsService } from '../accounts/accounts.service';
import { PlaybooksService } from '../playbooks/playbooks.service';
import { PlaybookRunner } from './playbook-runner.service';

/**
 * Every event playbooks consumes, a chunk at a time: up to 500 events of one partition, in
 * order, in the transport's one transaction (`ctx.manager`), which also records their ids in
 * the inbox. Per event the work is the same as one at a time; the chunk saves a transaction
 * and an offset commit per event, which is what keeps a busy partition from queueing. A
 * failing event splits the chunk until it stands alone (retried, then dead-lettered). The
 * first event of a workspace seeds its default playbooks.
 */
@Controller()
export class TriggersConsumer {
  constructor(
    private readonly runner: PlaybookRunner,
    private readonly accounts: AccountsService,
    private readonly playbooks: PlaybooksService,
  ) {}

  @EventPattern(Topics.accountUpserted.name, { batch: true })
  async onAccountUpserted(@Payload() events: EventEnvelope<AccountUpsertedV1>[], @Ctx() ctx: EventContext) {
    await this.each(events, ctx, (m, event) => this.accounts.applyAccountUpserted(m, event));
  }

  @EventPattern(Topics.contractUpserted.name, { batch: true })
  async onContractUpserted(@Payload() events: EventEnvelope<ContractUpsertedV1>[], @Ctx() ctx: EventContext) {
    await this.each(events, ctx, (m, event) => this.accounts.applyContractUpserted(m, event));
  }

  /** Onboarding facts (first activity, first value) for the stalled-onboarding scan. */
  @EventPattern(Topics.usageSummary.name, { batch: true })
  async onUsageSummary(@Payload() events: EventEnvelope<UsageSummaryV1>[], @Ctx() ctx: EventContext) {
    await this.each(events, ctx, (m, event) => this.accounts.applyUsageSummary(m, event));
  }

  /**
   * Read model first, so a health.changed playbook sees the band as of its event. Without any
   * health.changed playbook in the chunk's workspaces (the default), nothing reads the band in
   * between, and the chunk's health is written in one statement.
   */
  @EventPattern(Topics.healthChanged.name, { batch: true })
  async onHealthChanged(@Payload() events: EventEnvelope<HealthChangedV1>[], @Ctx() ctx: EventContext) {
    const m = ctx.manager;
    let watched = false;
    for (const ws of new Set(events.map((e) => e.workspaceId))) {
      await this.playbooks.ensureWorkspace(m, ws);
      if ((await this.playbooks.enabledFor(m, ws, Topics.healthChanged.type)).length) watched = true;
    }
    if (!watched) await this.accounts.applyHealthChangedAll(m, events);
    for (const event of events) {
      if (!event.accountId) continue;
      if (watched) await this.accounts.applyHealthChanged(m, event);
      await this.runner.run(m, event, { defer: true });
    }
    await this.runner.flush(m);
  }

  @EventPattern(Topics.usageDropped.name, { batch: true })
  async onUsageDropped(@Payload() events: EventEnvelope<UsageDroppedV1>[], @Ctx() ctx: EventContext) {
    await this.trigger(events, ctx);
  }

  @EventPattern(Topics.contactDeparted.name, { batch: true })
  async onContactDeparted(@Payload() events: EventEnvelope<ContactDepartedV1>[], @Ctx() ctx: EventContext) {
    await this.trigger(events, ctx);
  }

  @EventPattern(Topics.surveyResponseRecorded.name, { batch: true })
  async onSurveyResponse(@Payload() events: EventEnvelope<SurveyResponseRecordedV1>[], @Ctx() ctx: EventContext) {
    await this.trigger(events, ctx);
  }

  @EventPattern(Topics.renewalUpcoming.name, { batch: true })
  async onRenewalUpcoming(@Payload() events: EventEnvelope<RenewalUpcomingV1>[], @Ctx() ctx: EventContext) {
    await this.trigger(events, ctx);
  }

  @EventPattern(Topics.ticketChanged.name, { batch: true })
  async onTicketChanged(@Payload() events: EventEnvelope<TicketChangedV1>[], @Ctx() ctx: EventContext) {
    await this.trigger(events, ctx);
  }

  /** Every trigger event goes to the runner, which logs one without an account (no playbook can act on it). */
  private async trigger(events: EventEnvelope<object>[], ctx: EventContext) {
    for (const event of events) {
      await this.playbooks.ensureWorkspace(ctx.manager, event.workspaceId);
      await this.runner.run(ctx.manager, event, { defer: true });
    }
    await this.runner.flush(ctx.manager);
  }

  /** In order; events without an account only introduce their workspace. */
  private async each<T>(events: EventEnvelope<T>[], ctx: EventContext, apply: (m: EntityManager, event: EventEnvelope<T>) => Promise<unknown>) {
    for (const event of events) {
      await this.playbooks.ensureWorkspace(ctx.manager, event.workspaceId);
      if (event.accountId) await apply(ctx.manager, event);
    }
  }
}
