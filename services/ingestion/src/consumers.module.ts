import { Module } from '@nestjs/common';
import { DirectoryModule } from './directory/directory.module';
import { RawIngestConsumer } from './tracking/raw-ingest.consumer';
import { TrackingModule } from './tracking/tracking.module';
import { UsageEventConsumer } from './usage/usage-event.consumer';
import { UsageModule } from './usage/usage.module';
import { WriteKeysModule } from './write-keys/write-keys.module';

/**
 * The Kafka consumers: raw ingest topic → usage events, usage events → directory, rollups and
 * detection. Left out of an API-only instance (INGESTION_CONSUME=false).
 */
@Module({
  imports: [WriteKeysModule, TrackingModule, DirectoryModule, UsageModule],
  controllers: [RawIngestConsumer, UsageEventConsumer],
})
export class ConsumersModule {}
