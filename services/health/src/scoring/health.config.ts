import { loadConfig } from '@cairn/runtime';
import { IsInt, Max, Min } from 'class-validator';

/** Health-specific settings (environment variables), validated at start-up. */
export class HealthConfig {
  /** Minutes between scheduled full recomputes of every account (0 = off). Days-based measures move daily. */
  @IsInt() @Min(0) @Max(10080) HEALTH_RECOMPUTE_INTERVAL_MINUTES: number = 1440;
}

export function healthConfig(): HealthConfig {
  return loadConfig(HealthConfig);
}
