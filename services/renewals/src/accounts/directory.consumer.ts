import { AccountUpsertedV1, EventEnvelope, Topics } from '@cairn/contracts';
import { EventContext } from '@cairn/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { AccountsService } from './accounts.service';

@Controller()
export class DirectoryConsumer {
  constructor(private readonly accounts: AccountsService) {}

  @EventPattern(Topics.accountUpserted.name)
  async onAccountUpserted(@Payload() event: EventEnvelope<AccountUpsertedV1>, @Ctx() ctx: EventContext) {
    await this.accounts.applyDirectory(ctx.manager, event);
  }
}
