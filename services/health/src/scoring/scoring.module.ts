import { Module } from '@nestjs/common';
import { ScorecardsModule } from '../scorecards/scorecards.module';
import { SignalsModule } from '../signals/signals.module';
import { AccountHealthService } from './account-health.service';
import { HealthController } from './health.controller';
import { HealthRecomputeSchedule, HealthRecomputeService } from './health-recompute.service';
import { HealthScoringService } from './health-scoring.service';
import { RecomputeController } from './recompute.controller';

@Module({
  imports: [ScorecardsModule, SignalsModule],
  controllers: [HealthController, RecomputeController],
  providers: [
    HealthScoringService, AccountHealthService, HealthRecomputeService, HealthRecomputeSchedule,
  ],
  exports: [HealthScoringService, SignalsModule],
})
export class ScoringModule {}
