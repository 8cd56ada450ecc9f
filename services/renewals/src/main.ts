import 'reflect-metadata';
import { bootstrapService } from '@cairn/runtime';
import { AppModule } from './app.module';

void bootstrapService('renewals', AppModule, {
  title: 'Cairn renewals',
  description: 'Contracts, renewal calendar, outcomes, forecast and retention metrics.',
});
