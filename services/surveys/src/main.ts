import 'reflect-metadata';
import { bootstrapService, ConfigError } from '@cairn/runtime';
import { AppModule } from './app.module';
import { SurveysConfig } from './surveys.config';

try {
  SurveysConfig.load(); // refuse to start on a bad SMTP_URL, SURVEY_* variable, naming it
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  process.stderr.write(`cairn-surveys: ${e.message}\n`);
  process.exit(78); // EX_CONFIG
}

void bootstrapService('surveys', AppModule, {
  title: 'Cairn surveys',
  description: 'NPS, CSAT and CES surveys: waves by email and in-app, signed personal links, responses, classification and aggregates.',
});
