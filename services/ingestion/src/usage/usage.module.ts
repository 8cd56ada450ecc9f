import { Module } from '@nestjs/common';
import { IngestionConfig, ingestionConfig } from '../config';
import { DirectoryModule } from '../directory/directory.module';
import { Clock, SystemClock } from '@cairn/runtime';
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
    { provide: Clock, useClass: SystemClock },
    { provide: IngestionConfig, useFactory: ingestionConfig },
  ],
  exports: [DetectionScanner, UsageService],
})
export class UsageModule {}
