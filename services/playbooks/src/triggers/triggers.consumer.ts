import {
  AccountUpsertedV1, ContactDepartedV1, ContractUpsertedV1, EventEnvelope, HealthChangedV1, RenewalUpcomingV1,
  SurveyResponseRecordedV1, Topics, UsageDroppedV1,
} from '@cairn/contracts';
import { EventContext } from '@cairn/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { AccountsService } from '../accounts/accounts.service';
import { PlaybooksService } from '../playbooks/playbooks.service';
import { PlaybookRunner } from './playbook-runner.service';

/**
 * Every event playbooks consumes. Each handler runs in the transport's transaction
 * (`ctx.manager`), which also records the event id in the inbox. The first event of a
 * workspace seeds its default playbooks.
 */
@Controller()
export class TriggersConsumer {
  constructor(
    private readonly runner: PlaybookRunner,
    private readonly accounts: AccountsService,
    private readonly playbooks: PlaybooksService,
  ) {}

  @EventPattern(Topics.accountUpserted.name)
  async onAccountUpserted(@Payload() event: EventEnvelope<AccountUpsertedV1>, @Ctx() ctx: EventContext) {
    await this.playbooks.ensureWorkspace(ctx.manager, event.workspaceId);
    if (event.accountId) await this.accounts.applyAccountUpserted(ctx.manager, event);
  }

  @EventPattern(Topics.contractUpserted.name)
  async onContractUpserted(@Payload() event: EventEnvelope<ContractUpsertedV1>, @Ctx() ctx: EventContext) {
    await this.playbooks.ensureWorkspace(ctx.manager, event.workspaceId);
    if (event.accountId) await this.accounts.applyContractUpserted(ctx.manager, event);
  }

  /** Read model first, so a health.changed playbook sees the new band. */
  @EventPattern(Topics.healthChanged.name)
  async onHealthChanged(@Payload() event: EventEnvelope<HealthChangedV1>, @Ctx() ctx: EventContext) {
    await this.playbooks.ensureWorkspace(ctx.manager, event.workspaceId);
    if (!event.accountId) return;
    await this.accounts.applyHealthChanged(ctx.manager, event);
    await this.runner.run(ctx.manager, event);
  }

  @EventPattern(Topics.usageDropped.name)
  async onUsageDropped(@Payload() event: EventEnvelope<UsageDroppedV1>, @Ctx() ctx: EventContext) {
    await this.trigger(event, ctx);
  }

  @EventPattern(Topics.contactDeparted.name)
  async onContactDeparted(@Payload() event: EventEnvelope<ContactDepartedV1>, @Ctx() ctx: EventContext) {
    await this.trigger(event, ctx);
  }

  @EventPattern(Topics.surveyResponseRecorded.name)
  async onSurveyResponse(@Payload() event: EventEnvelope<SurveyResponseRecordedV1>, @Ctx() ctx: EventContext) {
    await this.trigger(event, ctx);
  }

  @EventPattern(Topics.renewalUpcoming.name)
  async onRenewalUpcoming(@Payload() event: EventEnvelope<RenewalUpcomingV1>, @Ctx() ctx: EventContext) {
    await this.trigger(event, ctx);
  }

  private async trigger(event: EventEnvelope<object>, ctx: EventContext) {
    await this.playbooks.ensureWorkspace(ctx.manager, event.workspaceId);
    await this.runner.run(ctx.manager, event);
  }
}
