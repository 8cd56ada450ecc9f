import { AccountUpsertedV1, ContactUpsertedV1, EventEnvelope, Topics } from '@cairn/contracts';
import { EventContext } from '@cairn/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { TicketsService } from '../tickets/tickets.service';
import { DirectoryStore } from './directory.store';

/** Accounts and contacts from the directory: they place tickets on accounts, now and retroactively. */
@Controller()
export class DirectoryConsumer {
  constructor(private readonly directory: DirectoryStore, private readonly tickets: TicketsService) {}

  @EventPattern(Topics.accountUpserted.name)
  async onAccountUpserted(@Payload() event: EventEnvelope<AccountUpsertedV1>, @Ctx() ctx: EventContext) {
    await this.directory.applyAccount(ctx.manager, event);
    await this.tickets.placeByDomain(ctx.manager, event.workspaceId, event.data.domain);
  }

  @EventPattern(Topics.contactUpserted.name)
  async onContactUpserted(@Payload() event: EventEnvelope<ContactUpsertedV1>, @Ctx() ctx: EventContext) {
    await this.directory.applyContact(ctx.manager, event);
    await this.tickets.placeByContact(ctx.manager, event.workspaceId, event.data.email);
  }
}
