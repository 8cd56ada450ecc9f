import { defineService } from '@cairn/runtime';
import { AppModule } from './app.module';
import { PlaybooksConfig } from './config';

export const playbooksService = defineService({
  name: 'playbooks',
  config: PlaybooksConfig,
  module: () => AppModule,
  title: 'Cairn playbooks',
  description: 'Rules (trigger + conditions + actions) that turn risk signals into CSM tasks and alerts, exactly once per cause; '
    + 'alert delivery to webhooks, Slack, email and the in-app inbox; scheduled scans for overdue tasks and stalled onboardings.',
});
