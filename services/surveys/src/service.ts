import { defineService } from '@cairn/runtime';
import { AppModule } from './app.module';
import { SurveysConfig } from './config';

export const surveysService = defineService({
  name: 'surveys',
  config: SurveysConfig,
  module: () => AppModule,
  title: 'Cairn surveys',
  description: 'NPS, CSAT and CES surveys: waves by email and in-app, signed personal links, responses, classification and aggregates.',
});
