import { forwardRef, Module } from '@nestjs/common';
import { DirectoryStore } from '../directory/directory.store';
import { SourcesModule } from '../sources/sources.module';
import { DeliveryRetention } from './delivery-retention';
import { TicketStore } from './ticket.store';
import { TicketsController } from './tickets.controller';
import { TicketsService } from './tickets.service';

@Module({
  imports: [forwardRef(() => SourcesModule)],
  controllers: [TicketsController],
  providers: [TicketStore, TicketsService, DirectoryStore, DeliveryRetention],
  exports: [TicketsService, DirectoryStore],
})
export class TicketsModule {}
