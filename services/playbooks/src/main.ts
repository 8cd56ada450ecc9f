import 'reflect-metadata';
import { bootstrapService } from '@cairn/runtime';
import { AppModule } from './app.module';

void bootstrapService('playbooks', AppModule, {
  title: 'Cairn playbooks',
  description: 'Rules (trigger + conditions + actions) that turn risk signals into CSM tasks and alerts, exactly once per cause; '
    + 'alert delivery to webhooks, Slack and the in-app inbox.',
});
