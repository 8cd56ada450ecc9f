import { PlatformModule } from '@cairn/runtime';
import { Module } from '@nestjs/common';
import { AccountEntity, ContactEntity, MembershipEntity } from './directory/directory.entities';
import { DirectoryModule } from './directory/directory.module';
import { Init1732400000000 } from './migrations/1732400000000-init';
import { QuarantineEntity } from './tracking/quarantine.entity';
import { TrackingModule } from './tracking/tracking.module';
import { DetectionSettingsEntity } from './usage/detection-settings.entity';
import { UsageModule } from './usage/usage.module';
import { WriteKeyEntity } from './write-keys/write-key.entity';
import { WriteKeysModule } from './write-keys/write-keys.module';

@Module({
  imports: [
    PlatformModule.forService({
      service: 'ingestion',
      entities: [WriteKeyEntity, QuarantineEntity, AccountEntity, ContactEntity, MembershipEntity, DetectionSettingsEntity],
      migrations: [Init1732400000000],
    }),
    WriteKeysModule,
    TrackingModule,
    DirectoryModule,
    UsageModule,
  ],
})
export class AppModule {}
