import { Module } from '@nestjs/common';
import { DirectoryModule } from '../directory/directory.module';
import { DetectionScanner } from './detection-scanner';
import { DetectionSettingsController } from './detection-settings.controller';
import { DetectionSettingsService } from './detection-settings.service';
import { UsageApiService } from './usage-api.service';
import { UsageController } from './usage.controller';
import { UsageService } from './usage.service';

@Module({
  imports: [DirectoryModule],
  controllers: [UsageController, DetectionSettingsController],
  providers: [
    UsageService, UsageApiService, DetectionSettingsService, DetectionScanner,
  ],
  exports: [DetectionScanner, UsageService],
})
export class UsageModule {}
