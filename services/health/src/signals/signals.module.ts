import { Module } from '@nestjs/common';
import { ScoringModule } from '../scoring/scoring.module';
import { SignalIntake } from './signal-intake.service';
import { SignalsConsumer } from './signals.consumer';

@Module({
  imports: [ScoringModule],
  controllers: [SignalsConsumer],
  providers: [SignalIntake],
})
export class SignalsModule {}
