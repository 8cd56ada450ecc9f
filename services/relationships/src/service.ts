import { defineService } from '@cairn/runtime';
import { AppModule } from './app.module';
import { RelationshipsConfig } from './config';
import { keepRawBodyOfWebhooks } from './sources/raw-body';

export const relationshipsService = defineService({
  name: 'relationships',
  config: RelationshipsConfig,
  module: () => AppModule,
  title: 'Cairn relationships',
  description: 'Support tickets from Zendesk, Intercom and the ticket API, mapped to accounts.',
  configure: (app) => keepRawBodyOfWebhooks(app),
});
