import { EventEnvelope, HealthChangedV1, Topics } from '@cairn/contracts';
import { EventContext } from '@cairn/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ContractsService } from './contracts.service';

@Controller()
export class HealthConsumer {
  constructor(private readonly contracts: ContractsService) {}

  @EventPattern(Topics.healthChanged.name)
  async onHealthChanged(@Payload() event: EventEnvelope<HealthChangedV1>, @Ctx() ctx: EventContext) {
    await this.contracts.applyHealth(ctx.manager, event);
  }
}
