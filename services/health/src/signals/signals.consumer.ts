import {
  AccountUpsertedV1, ContactDepartedV1, ContactUpsertedV1, ContractUpsertedV1, EventEnvelope, RenewalUpcomingV1,
  SurveyResponseRecordedV1, TicketChangedV1, Topics, UsageDroppedV1, UsageRecoveredV1, UsageSummaryV1,
} from '@cairn/contracts';
import { EventContext } from '@cairn/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { UserIntake } from '../personas/user-intake.service';
import { SignalIntake } from './signal-intake.service';

/**
 * The signals health listens to. Each handler runs inside the transport's transaction (ctx.manager);
 * events about people also feed the user-level read model of personas (one handler per topic).
 */
@Controller()
export class SignalsConsumer {
  constructor(private readonly intake: SignalIntake, private readonly users: UserIntake) {}

  /** In chunks: a replay of history (or a busy day) brings one summary per account and day. */
  @EventPattern(Topics.usageSummary.name, { batch: true })
  async onUsageSummaries(@Payload() events: EventEnvelope<UsageSummaryV1>[], @Ctx() ctx: EventContext) {
    await this.intake.usageSummaries(ctx.manager, events);
  }

  @EventPattern(Topics.usageDropped.name)
  async onUsageDropped(@Payload() e: EventEnvelope<UsageDroppedV1>, @Ctx() ctx: EventContext) {
    await this.intake.usageDropped(ctx.manager, e);
  }

  @EventPattern(Topics.usageRecovered.name)
  async onUsageRecovered(@Payload() e: EventEnvelope<UsageRecoveredV1>, @Ctx() ctx: EventContext) {
    await this.intake.usageRecovered(ctx.manager, e);
  }

  @EventPattern(Topics.accountUpserted.name)
  async onAccountUpserted(@Payload() e: EventEnvelope<AccountUpsertedV1>, @Ctx() ctx: EventContext) {
    await this.intake.accountUpserted(ctx.manager, e);
  }

  @EventPattern(Topics.contactUpserted.name)
  async onContactUpserted(@Payload() e: EventEnvelope<ContactUpsertedV1>, @Ctx() ctx: EventContext) {
    await this.intake.contactUpserted(ctx.manager, e);
    await this.users.contactUpserted(ctx.manager, e);
  }

  @EventPattern(Topics.contactDeparted.name)
  async onContactDeparted(@Payload() e: EventEnvelope<ContactDepartedV1>, @Ctx() ctx: EventContext) {
    await this.intake.contactDeparted(ctx.manager, e);
    await this.users.contactDeparted(ctx.manager, e);
  }

  @EventPattern(Topics.surveyResponseRecorded.name)
  async onSurveyResponse(@Payload() e: EventEnvelope<SurveyResponseRecordedV1>, @Ctx() ctx: EventContext) {
    await this.intake.surveyResponse(ctx.manager, e);
    await this.users.surveyResponse(ctx.manager, e);
  }

  @EventPattern(Topics.contractUpserted.name)
  async onContractUpserted(@Payload() e: EventEnvelope<ContractUpsertedV1>, @Ctx() ctx: EventContext) {
    await this.intake.contractUpserted(ctx.manager, e);
  }

  @EventPattern(Topics.ticketChanged.name)
  async onTicketChanged(@Payload() e: EventEnvelope<TicketChangedV1>, @Ctx() ctx: EventContext) {
    await this.intake.ticketChanged(ctx.manager, e);
  }

  @EventPattern(Topics.renewalUpcoming.name)
  async onRenewalUpcoming(@Payload() e: EventEnvelope<RenewalUpcomingV1>, @Ctx() ctx: EventContext) {
    await this.intake.renewalUpcoming(ctx.manager, e);
  }
}
