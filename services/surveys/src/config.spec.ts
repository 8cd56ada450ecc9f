import { ConfigError, loadConfig } from '@cairn/runtime';
import { SurveysConfig } from './config';

const load = (env: Record<string, string>) => loadConfig(SurveysConfig, { CAIRN_SERVICE: 'surveys', CAIRN_AUTH_SECRET: 'x'.repeat(40), ...env });

describe('surveys configuration', () => {
  it('has working defaults', () => {
    expect(load({})).toMatchObject({ SURVEY_EMAIL_FROM: 'surveys@cairn.local', SURVEY_ANSWER_RATE_LIMIT_PER_MINUTE: 10 });
  });

  it('names a bad SMTP_URL without echoing a password it may hold', () => {
    let error: unknown;
    try { load({ SMTP_URL: 'smtp//mailer:hunter2@relay' }); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/SMTP_URL: must be smtp:\/\//);
    expect((error as Error).message).not.toContain('hunter2');
  });

  it('names every other bad variable', () => {
    expect(() => load({ SURVEY_EMAIL_FROM: 'nobody', SURVEY_ANSWER_RATE_LIMIT_PER_MINUTE: '0' }))
      .toThrow(/SURVEY_EMAIL_FROM.*must be an email address[\s\S]*SURVEY_ANSWER_RATE_LIMIT_PER_MINUTE/);
  });
});
