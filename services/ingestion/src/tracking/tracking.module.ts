import { Module } from '@nestjs/common';
import { WriteKeysModule } from '../write-keys/write-keys.module';
import { BrowserSettingsService } from './browser-settings.service';
import { JsonBodyParser } from './json-body';
import { QuarantineController } from './quarantine.controller';
import { QuarantineService } from './quarantine.service';
import { SegmentIntakeService } from './segment-intake.service';
import { TrackingController } from './tracking.controller';
import { TrackingHttpHooks } from './tracking-http';
import { UsagePublisher } from './usage-publisher';

@Module({
  imports: [WriteKeysModule],
  controllers: [TrackingController, QuarantineController],
  providers: [JsonBodyParser, TrackingHttpHooks, UsagePublisher, QuarantineService, SegmentIntakeService, BrowserSettingsService],
  exports: [QuarantineService],
})
export class TrackingModule {}
