import { ServiceConfig } from '@cairn/runtime';
import { IsInt, Max, Min } from 'class-validator';

/** The relationships service's configuration: what every service reads (ServiceConfig) plus its own settings. */
export class RelationshipsConfig extends ServiceConfig {
  /**
   * How far a webhook's signed time (Zendesk's signature timestamp, an Intercom notification's
   * created_at) may be from now: older (or future) deliveries are refused as replays.
   */
  @IsInt() @Min(30) @Max(86_400) SUPPORT_WEBHOOK_TOLERANCE_SECONDS: number = 300;

  /** Days a delivery id is remembered for dedupe (far longer than the replay window; pruned hourly). */
  @IsInt() @Min(1) @Max(365) SUPPORT_DELIVERY_RETENTION_DAYS: number = 7;
}
