import {
  AccountUpsertedV1, AlertAcknowledgedV1, AlertRaisedV1, ContactDepartedV1, ContractUpsertedV1, EventEnvelope, HealthChangedV1,
  RenewalUpcomingV1, SurveyResponseRecordedV1, TaskCreatedV1, TaskStatusChangedV1, Topics, UsageDroppedV1,
} from '@cairn/contracts';
import { EventContext } from '@cairn/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { PortfolioProjection } from './portfolio.projection';

/** The events the portfolio read model and the live page updates are made of. */
@Controller()
export class PortfolioConsumer {
  constructor(private readonly projection: PortfolioProjection) {}

  @EventPattern(Topics.accountUpserted.name)
  onAccount(@Payload() e: EventEnvelope<AccountUpsertedV1>, @Ctx() ctx: EventContext) { return this.projection.accountUpserted(ctx.manager, e); }

  @EventPattern(Topics.healthChanged.name)
  onHealth(@Payload() e: EventEnvelope<HealthChangedV1>, @Ctx() ctx: EventContext) { return this.projection.healthChanged(ctx.manager, e); }

  @EventPattern(Topics.contractUpserted.name)
  onContract(@Payload() e: EventEnvelope<ContractUpsertedV1>, @Ctx() ctx: EventContext) { return this.projection.contractUpserted(ctx.manager, e); }

  @EventPattern(Topics.renewalUpcoming.name)
  onRenewal(@Payload() e: EventEnvelope<RenewalUpcomingV1>, @Ctx() ctx: EventContext) { return this.projection.renewalUpcoming(ctx.manager, e); }

  @EventPattern(Topics.taskCreated.name)
  onTaskCreated(@Payload() e: EventEnvelope<TaskCreatedV1>, @Ctx() ctx: EventContext) { return this.projection.taskCreated(ctx.manager, e); }

  @EventPattern(Topics.taskStatusChanged.name)
  onTaskStatus(@Payload() e: EventEnvelope<TaskStatusChangedV1>, @Ctx() ctx: EventContext) { return this.projection.taskStatusChanged(ctx.manager, e); }

  @EventPattern(Topics.alertRaised.name)
  onAlert(@Payload() e: EventEnvelope<AlertRaisedV1>, @Ctx() ctx: EventContext) { return this.projection.alertRaised(ctx.manager, e); }

  @EventPattern(Topics.alertAcknowledged.name)
  onAlertAck(@Payload() e: EventEnvelope<AlertAcknowledgedV1>, @Ctx() ctx: EventContext) { return this.projection.alertAcknowledged(ctx.manager, e); }

  @EventPattern(Topics.surveyResponseRecorded.name)
  onSurvey(@Payload() e: EventEnvelope<SurveyResponseRecordedV1>, @Ctx() ctx: EventContext) { return this.projection.surveyResponse(ctx.manager, e); }

  @EventPattern(Topics.contactDeparted.name)
  onDeparture(@Payload() e: EventEnvelope<ContactDepartedV1>, @Ctx() ctx: EventContext) { return this.projection.contactDeparted(ctx.manager, e); }

  @EventPattern(Topics.usageDropped.name)
  onUsageDrop(@Payload() e: EventEnvelope<UsageDroppedV1>, @Ctx() ctx: EventContext) { return this.projection.usageDropped(ctx.manager, e); }
}
