import { IsSmtpUrl } from '@cairn/mail';
import { Secret, ServiceConfig } from '@cairn/runtime';
import { IsInt, IsOptional, Matches, Max, Min, MinLength } from 'class-validator';

/** The surveys service's configuration: what every service reads (ServiceConfig) plus its own settings. */
export class SurveysConfig extends ServiceConfig {
  /** Where invitation emails are handed over: smtp://[user:pass@]host[:port] or smtps://…; email waves need it. */
  @Secret() @IsOptional() @IsSmtpUrl() SMTP_URL?: string;

  @Matches(/^[^\s<>@]+@[^\s<>@]+$/, { message: 'SURVEY_EMAIL_FROM must be an email address' })
  SURVEY_EMAIL_FROM: string = 'surveys@cairn.local';

  /** Base URL of this service as respondents reach it (links in emails); defaults to the URL the wave was created through. */
  @IsOptional() @Matches(/^https?:\/\/\S+$/, { message: 'SURVEYS_PUBLIC_URL must be an http(s) URL' })
  SURVEYS_PUBLIC_URL?: string;

  /** Signs personal survey links; defaults to a key derived from CAIRN_AUTH_SECRET. Never logged. */
  @Secret() @IsOptional() @MinLength(32, { message: 'SURVEY_LINK_SECRET must be at least 32 characters' })
  SURVEY_LINK_SECRET?: string;

  /** Requests per minute one client address may make to the public (unauthenticated) endpoints. */
  @IsInt() @Min(1) @Max(100_000) SURVEY_PUBLIC_RATE_LIMIT_PER_MINUTE: number = 120;

  /** Answers per minute through one personal link. */
  @IsInt() @Min(1) @Max(1000) SURVEY_ANSWER_RATE_LIMIT_PER_MINUTE: number = 10;

  /** Days a wave's links stay valid when the wave does not say. */
  @IsInt() @Min(1) @Max(365) SURVEY_WAVE_DEFAULT_EXPIRY_DAYS: number = 14;

  /** How often unsent invitation emails are retried. */
  @IsInt() @Min(100) @Max(3_600_000) SURVEY_MAIL_RETRY_INTERVAL_MS: number = 30_000;
}
