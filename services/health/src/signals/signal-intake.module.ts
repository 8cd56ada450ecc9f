import { Module } from '@nestjs/common';
import { HistoryModule } from '../history/history.module';
import { PersonasModule } from '../personas/personas.module';
import { ScoringModule } from '../scoring/scoring.module';
import { SignalIntake } from './signal-intake.service';
import { SignalsModule } from './signals.module';
import { SignalsConsumer } from './signals.consumer';

/** Consumes the signal topics: records each signal (SignalsModule) and rescores (ScoringModule). */
@Module({
  imports: [SignalsModule, ScoringModule, PersonasModule, HistoryModule],
  controllers: [SignalsConsumer],
  providers: [SignalIntake],
})
export class SignalIntakeModule {}
