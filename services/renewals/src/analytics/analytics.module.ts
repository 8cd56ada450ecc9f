import { Module } from '@nestjs/common';
import { AnalyticsController } from './analytics.controller';
import { ForecastService } from './forecast.service';
import { RetentionService } from './retention.service';

@Module({
  controllers: [AnalyticsController],
  providers: [RetentionService, ForecastService],
})
export class AnalyticsModule {}
