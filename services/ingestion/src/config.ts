import { loadConfig } from '@cairn/runtime';
import { IsInt, Max, Min } from 'class-validator';

/** Ingestion's own settings, on top of what every service reads (libs/runtime ServiceConfig). */
export class IngestionConfig {
  /** How often the silence and inactive-champion scans run; 0 turns the schedule off. */
  @IsInt() @Min(0) @Max(86_400_000) INGESTION_SCAN_INTERVAL_MS: number = 60_000;
}

export function ingestionConfig(): IngestionConfig {
  return loadConfig(IngestionConfig);
}
