import { PlatformModule } from '@cairn/runtime';
import { Module } from '@nestjs/common';
import { Init1732400000000 } from './migrations/1732400000000-init';
import { FullRecompute1732500000000 } from './migrations/1732500000000-full-recompute';
import { Personas1732600000000 } from './migrations/1732600000000-personas';
import { SupportTickets1733100000000 } from './migrations/1733100000000-support-tickets';
import { History1733200000000 } from './migrations/1733200000000-history';
import { BacktestsModule } from './backtests/backtests.module';
import { OverridesModule } from './overrides/overrides.module';
import { PersonasModule } from './personas/personas.module';
import { ScorecardEntity } from './scorecards/scorecard.entity';
import { ScorecardsModule } from './scorecards/scorecards.module';
import { AccountHealthEntity, HealthHistoryEntity } from './scoring/health.entities';
import { ScoringModule } from './scoring/scoring.module';
import { SignalIntakeModule } from './signals/signal-intake.module';

@Module({
  imports: [
    PlatformModule.forService({
      entities: [AccountHealthEntity, HealthHistoryEntity, ScorecardEntity],
      migrations: [Init1732400000000, FullRecompute1732500000000, Personas1732600000000, SupportTickets1733100000000, History1733200000000],
    }),
    ScorecardsModule,
    ScoringModule,
    SignalIntakeModule,
    PersonasModule,
    BacktestsModule,
    OverridesModule,
  ],
})
export class AppModule {}
