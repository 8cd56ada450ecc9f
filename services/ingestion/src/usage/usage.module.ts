import { Module } from '@nestjs/common';
import { DirectoryModule } from '../directory/directory.module';
import { DetectionScanner } from './detection-scanner';
import { DetectionSettingsController } from './detection-settings.controller';
import { DetectionSettingsService } from './detection-settings.service';
import { UsageQueryService } from './usage-query.service';
import { UsageController } from './usage.controller';
import { UsageRollupService } from './usage-rollup.service';
import { UsageStore } from './usage.store';

@Module({
  imports: [DirectoryModule],
  controllers: [UsageController, DetectionSettingsController],
  providers: [
    UsageRollupService, UsageQueryService, UsageStore, DetectionSettingsService, DetectionScanner,
  ],
  exports: [DetectionScanner, UsageRollupService],
})
export class UsageModule {}
