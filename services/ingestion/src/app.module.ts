import { PlatformModule } from '@cairn/runtime';
import { Module } from '@nestjs/common';
import { ConsumersModule } from './consumers.module';
import { AccountEntity, ContactEntity, MembershipEntity } from './directory/directory.entities';
import { DirectoryModule } from './directory/directory.module';
import { Init1732400000000 } from './migrations/1732400000000-init';
import { TimeToValue1732600000000 } from './migrations/1732600000000-time-to-value';
import { InboxDedupe1732600000001 } from './migrations/1732600000001-inbox-dedupe';
import { QuarantineEntity } from './tracking/quarantine.entity';
import { TrackingModule } from './tracking/tracking.module';
import { DetectionSettingsEntity } from './usage/detection-settings.entity';
import { UsageModule } from './usage/usage.module';
import { WriteKeyEntity } from './write-keys/write-key.entity';
import { WriteKeysModule } from './write-keys/write-keys.module';

/**
 * Read when the module is loaded: the consumers are part of the application or not. (Any value
 * but true/false is refused at start-up by IngestionConfig.)
 */
const consume = process.env.INGESTION_CONSUME !== 'false';

@Module({
  imports: [
    PlatformModule.forService({
      service: 'ingestion',
      entities: [WriteKeyEntity, QuarantineEntity, AccountEntity, ContactEntity, MembershipEntity, DetectionSettingsEntity],
      migrations: [Init1732400000000, TimeToValue1732600000000, InboxDedupe1732600000001],
    }),
    WriteKeysModule,
    TrackingModule,
    DirectoryModule,
    UsageModule,
    ...(consume ? [ConsumersModule] : []),
  ],
})
export class AppModule {}
