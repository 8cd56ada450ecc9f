import { IsSmtpUrl } from '@cairn/mail';
import { Secret, ServiceConfig } from '@cairn/runtime';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

/** The playbooks service's configuration: what every service reads (ServiceConfig) plus its own settings. */
export class PlaybooksConfig extends ServiceConfig {
  /** Where alert emails are handed over: smtp://[user:pass@]host[:port] or smtps://…; email channels need it. Never logged. */
  @Secret() @IsOptional() @IsSmtpUrl() SMTP_URL?: string;

  @Matches(/^[^\s<>@]+@[^\s<>@]+$/, { message: 'PLAYBOOKS_EMAIL_FROM must be an email address' })
  PLAYBOOKS_EMAIL_FROM: string = 'alerts@cairn.local';

  /** How often the scheduled scan looks for overdue tasks and stalled onboardings; 0 turns it off. */
  @IsInt() @Min(0) @Max(86_400_000) PLAYBOOKS_SCAN_INTERVAL_MS: number = 60_000;

  /** Onboarding stalls when no value event came within this many days of the account's first event. */
  @IsInt() @Min(1) @Max(365) PLAYBOOKS_ONBOARDING_STALL_DAYS: number = 14;

  /** Fallback poll of the delivery queue; new deliveries wake the worker at once (LISTEN/NOTIFY). */
  @IsInt() @Min(20) @Max(60_000) PLAYBOOKS_DELIVERY_POLL_INTERVAL_MS: number = 200;

  /** Webhook and Slack channels may point at private, loopback or link-local addresses (see domain/webhook-target.ts). */
  @IsIn(['true', 'false'], { message: 'PLAYBOOKS_WEBHOOK_ALLOW_PRIVATE_NETWORKS must be true or false' })
  PLAYBOOKS_WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' | 'false' = 'false';
}
