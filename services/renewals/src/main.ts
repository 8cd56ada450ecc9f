import 'reflect-metadata';
import { bootstrapService, ConfigError } from '@cairn/runtime';
import { AppModule } from './app.module';
import { RenewalCalendarConfig } from './calendar/calendar.config';

try {
  RenewalCalendarConfig.load(); // refuse to start on a bad RENEWAL_* variable, naming it
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  process.stderr.write(`cairn-renewals: ${e.message}\n`);
  process.exit(78); // EX_CONFIG
}

void bootstrapService('renewals', AppModule, {
  title: 'Cairn renewals',
  description: 'Contracts, renewal calendar, outcomes, forecast and retention metrics.',
});
