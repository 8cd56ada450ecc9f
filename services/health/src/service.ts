import { defineService } from '@cairn/runtime';
import { AppModule } from './app.module';
import { HealthConfig } from './config';

export const healthService = defineService({
  name: 'health',
  config: HealthConfig,
  module: () => AppModule,
  title: 'Cairn health',
  description: 'Account health scores with explanations, history and configurable scorecards, recomputed from signals in real time.',
});
