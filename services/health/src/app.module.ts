import { PlatformModule } from '@cairn/runtime';
import { Module } from '@nestjs/common';
import { Init1732400000000 } from './migrations/1732400000000-init';
import { ScorecardEntity } from './scorecards/scorecard.entity';
import { ScorecardsModule } from './scorecards/scorecards.module';
import { AccountHealthEntity, HealthHistoryEntity } from './scoring/health.entities';
import { ScoringModule } from './scoring/scoring.module';
import { SignalsModule } from './signals/signals.module';

@Module({
  imports: [
    PlatformModule.forService({
      service: 'health',
      entities: [AccountHealthEntity, HealthHistoryEntity, ScorecardEntity],
      migrations: [Init1732400000000],
    }),
    ScorecardsModule,
    ScoringModule,
    SignalsModule,
  ],
})
export class AppModule {}
