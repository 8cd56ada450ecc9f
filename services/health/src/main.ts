import 'reflect-metadata';
import { bootstrapService } from '@cairn/runtime';
import { AppModule } from './app.module';

void bootstrapService('health', AppModule, {
  title: 'Cairn health',
  description: 'Account health scores with explanations, history and configurable scorecards, recomputed from signals in real time.',
});
