import { Module } from '@nestjs/common';
import { HistoryModule } from '../history/history.module';
import { ScoringModule } from '../scoring/scoring.module';
import { OverridesController } from './overrides.controller';
import { OverrideLapseSchedule, OverridesService } from './overrides.service';

@Module({
  imports: [ScoringModule, HistoryModule],
  controllers: [OverridesController],
  providers: [OverridesService, OverrideLapseSchedule],
})
export class OverridesModule {}
