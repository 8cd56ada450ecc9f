import { Module } from '@nestjs/common';
import { ScorecardsModule } from '../scorecards/scorecards.module';
import { HistoryController } from './history.controller';
import { OutcomesConsumer } from './outcomes.consumer';
import { SignalHistoryStore } from './signal-history.store';

/** Point-in-time history of every signal, and renewal outcomes: what backtests replay. */
@Module({
  imports: [ScorecardsModule],
  controllers: [OutcomesConsumer, HistoryController],
  providers: [SignalHistoryStore],
  exports: [SignalHistoryStore],
})
export class HistoryModule {}
