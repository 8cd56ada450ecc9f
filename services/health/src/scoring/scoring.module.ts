import { Module } from '@nestjs/common';
import { ScorecardsModule } from '../scorecards/scorecards.module';
import { SignalStore } from '../signals/signal.store';
import { AccountHealthService } from './account-health.service';
import { Clock, SystemClock } from '@cairn/runtime';
import { HealthConfig, healthConfig } from './health.config';
import { HealthController } from './health.controller';
import { HealthRecomputeSchedule, HealthRecomputeService } from './health-recompute.service';
import { HealthScoringService } from './health-scoring.service';
import { RecomputeController } from './recompute.controller';

@Module({
  imports: [ScorecardsModule],
  controllers: [HealthController, RecomputeController],
  providers: [
    { provide: HealthConfig, useFactory: healthConfig },
    { provide: Clock, useClass: SystemClock }, SignalStore, HealthScoringService, AccountHealthService, HealthRecomputeService, HealthRecomputeSchedule,
  ],
  exports: [HealthScoringService, SignalStore, HealthConfig, Clock],
})
export class ScoringModule {}
