import { AccountUpsertedV1, ContactUpsertedV1, EventEnvelope, Topics } from '@cairn/contracts';
import { EventContext } from '@cairn/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { DirectoryService } from './directory.service';

@Controller()
export class DirectoryConsumer {
  constructor(private readonly directory: DirectoryService) {}

  @EventPattern(Topics.accountUpserted.name)
  async onAccountUpserted(@Payload() event: EventEnvelope<AccountUpsertedV1>, @Ctx() ctx: EventContext) {
    await this.directory.applyAccount(ctx.manager, event);
  }

  @EventPattern(Topics.contactUpserted.name)
  async onContactUpserted(@Payload() event: EventEnvelope<ContactUpsertedV1>, @Ctx() ctx: EventContext) {
    await this.directory.applyContact(ctx.manager, event);
  }
}
