import 'reflect-metadata';
import { bootstrapService, ConfigError } from '@cairn/runtime';
import { AppModule } from './app.module';
import { PlaybooksConfig } from './playbooks.config';

try {
  PlaybooksConfig.load(); // refuse to start on a bad SMTP_URL or PLAYBOOKS_* variable, naming it
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  process.stderr.write(`cairn-playbooks: ${e.message}\n`);
  process.exit(78); // EX_CONFIG
}

void bootstrapService('playbooks', AppModule, {
  title: 'Cairn playbooks',
  description: 'Rules (trigger + conditions + actions) that turn risk signals into CSM tasks and alerts, exactly once per cause; '
    + 'alert delivery to webhooks, Slack, email and the in-app inbox; scheduled scans for overdue tasks and stalled onboardings.',
});
