import { EventEnvelope, Topics, UsageEventV1 } from '@cairn/contracts';
import { EventContext } from '@cairn/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { UserIntake } from './user-intake.service';

/** Per-user activity for User Success: the high-volume usage topic, a partition's chunk per transaction. */
@Controller()
export class UsageEventsConsumer {
  constructor(private readonly users: UserIntake) {}

  @EventPattern(Topics.usageEvent.name, { batch: true })
  async onUsageEvents(@Payload() events: EventEnvelope<UsageEventV1>[], @Ctx() ctx: EventContext) {
    await this.users.usageEvents(ctx.manager, events);
  }
}
