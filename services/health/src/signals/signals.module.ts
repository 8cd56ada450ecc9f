import { Module } from '@nestjs/common';
import { PersonasModule } from '../personas/personas.module';
import { ScoringModule } from '../scoring/scoring.module';
import { SignalIntake } from './signal-intake.service';
import { SignalsConsumer } from './signals.consumer';

@Module({
  imports: [ScoringModule, PersonasModule],
  controllers: [SignalsConsumer],
  providers: [SignalIntake],
})
export class SignalsModule {}
