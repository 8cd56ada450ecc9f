import { EventEnvelope, SurveyResponseRecordedV1, Topics, UsageSummaryV1 } from '@cairn/contracts';
import { EventContext } from '@cairn/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { AccountsService } from './accounts.service';

/** Usage trend and NPS answers: signals of the renewal forecast. */
@Controller()
export class SignalsConsumer {
  constructor(private readonly accounts: AccountsService) {}

  @EventPattern(Topics.usageSummary.name)
  async onUsageSummary(@Payload() event: EventEnvelope<UsageSummaryV1>, @Ctx() ctx: EventContext) {
    await this.accounts.applyUsageSummary(ctx.manager, event);
  }

  @EventPattern(Topics.surveyResponseRecorded.name)
  async onSurveyResponse(@Payload() event: EventEnvelope<SurveyResponseRecordedV1>, @Ctx() ctx: EventContext) {
    await this.accounts.applySurveyResponse(ctx.manager, event);
  }
}
