import { ServiceConfig } from '@cairn/runtime';
import { IsInt, Max, Min } from 'class-validator';

/** The health service's configuration: what every service reads (ServiceConfig) plus its own settings. */
export class HealthConfig extends ServiceConfig {
  /** Minutes between scheduled full recomputes of every account (0 = off). Days-based measures move daily. */
  @IsInt() @Min(0) @Max(10080) HEALTH_RECOMPUTE_INTERVAL_MINUTES: number = 1440;
}
