import { ServiceConfig } from '@cairn/runtime';
import { IsInt, Max, Min } from 'class-validator';

/** The health service's configuration: what every service reads (ServiceConfig) plus its own settings. */
export class HealthConfig extends ServiceConfig {
  /** Minutes between scheduled full recomputes of every account (0 = off). Days-based measures move daily. */
  @IsInt() @Min(0) @Max(10080) HEALTH_RECOMPUTE_INTERVAL_MINUTES: number = 1440;
  /** Milliseconds between scans that lapse expired CSM overrides (0 = off). */
  @IsInt() @Min(0) @Max(86_400_000) HEALTH_OVERRIDE_SCAN_INTERVAL_MS: number = 60_000;
}
