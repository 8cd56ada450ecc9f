import { SecretBox } from '@cairn/auth';
import { ServiceConfig } from '@cairn/runtime';
import { forwardRef, Module } from '@nestjs/common';
import { TicketsModule } from '../tickets/tickets.module';
import { SourceStore } from './source.store';
import { SourcesController } from './sources.controller';
import { SourcesService } from './sources.service';
import { WebhooksController } from './webhooks.controller';

@Module({
  imports: [forwardRef(() => TicketsModule)],
  controllers: [SourcesController, WebhooksController],
  providers: [
    SourceStore, SourcesService,
    { provide: SecretBox, useFactory: (c: ServiceConfig) => new SecretBox(c.CAIRN_AUTH_SECRET, 'cairn-relationships-source-secret'), inject: [ServiceConfig] },
  ],
  exports: [SourcesService],
})
export class SourcesModule {}
