import { ServiceConfig } from '@cairn/runtime';
import { IsIn, IsInt, Max, Min } from 'class-validator';

/** Ingestion's configuration: what every service reads (ServiceConfig) plus its own settings. */
export class IngestionConfig extends ServiceConfig {
  /** How often the silence and inactive-champion scans run; 0 turns the schedule off. */
  @IsInt() @Min(0) @Max(86_400_000) INGESTION_SCAN_INTERVAL_MS: number = 60_000;
  /**
   * 'false' runs an API-only instance: the HTTP intake and read APIs, no Kafka consumers, so the
   * tracking API can be scaled apart from the consumers (which scale with the topic's partitions).
   */
  @IsIn(['true', 'false'], { message: 'INGESTION_CONSUME must be true or false' }) INGESTION_CONSUME: 'true' | 'false' = 'true';

  get consumes(): boolean {
    return this.INGESTION_CONSUME === 'true';
  }
}
