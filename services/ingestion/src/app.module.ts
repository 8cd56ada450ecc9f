import { PlatformModule } from '@cairn/runtime';
import { Module, Type } from '@nestjs/common';
import { ConsumersModule } from './consumers.module';
import { AccountEntity, ContactEntity, MembershipEntity } from './directory/directory.entities';
import { DirectoryModule } from './directory/directory.module';
import { Init1732400000000 } from './migrations/1732400000000-init';
import { TimeToValue1732600000000 } from './migrations/1732600000000-time-to-value';
import { InboxDedupe1732600000001 } from './migrations/1732600000001-inbox-dedupe';
import { BrowserSourcesLateAttribution1733000000000 } from './migrations/1733000000000-browser-sources-late-attribution';
import { QuarantineEntity } from './tracking/quarantine.entity';
import { TrackingModule } from './tracking/tracking.module';
import { DetectionSettingsEntity } from './usage/detection-settings.entity';
import { UsageModule } from './usage/usage.module';
import { WriteKeyEntity } from './write-keys/write-key.entity';
import { WriteKeysModule } from './write-keys/write-keys.module';

/**
 * The ingestion application; `consume: false` (INGESTION_CONSUME=false) leaves the consumers out:
 * an API-only instance for scaling the HTTP tier apart.
 */
export function createAppModule(options: { consume: boolean }): Type<unknown> {
  @Module({
    imports: [
      PlatformModule.forService({
        entities: [WriteKeyEntity, QuarantineEntity, AccountEntity, ContactEntity, MembershipEntity, DetectionSettingsEntity],
        migrations: [Init1732400000000, TimeToValue1732600000000, InboxDedupe1732600000001, BrowserSourcesLateAttribution1733000000000],
      }),
      WriteKeysModule,
      TrackingModule,
      DirectoryModule,
      UsageModule,
      ...(options.consume ? [ConsumersModule] : []),
    ],
  })
  class AppModule {}
  return AppModule;
}
