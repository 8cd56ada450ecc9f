import { defineService } from '@cairn/runtime';
import { AppModule } from './app.module';
import { RenewalsConfig } from './config';

export const renewalsService = defineService({
  name: 'renewals',
  config: RenewalsConfig,
  module: () => AppModule,
  title: 'Cairn renewals',
  description: 'Contracts, renewal calendar, outcomes, forecast and retention metrics.',
});
