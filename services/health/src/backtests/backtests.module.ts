import { BeforeApplicationShutdown, Module } from '@nestjs/common';
import { HistoryModule } from '../history/history.module';
import { ScorecardsModule } from '../scorecards/scorecards.module';
import { ScoringModule } from '../scoring/scoring.module';
import { BacktestRunner } from './backtest-runner';
import { BacktestsController } from './backtests.controller';
import { BacktestsService } from './backtests.service';
import { PreviewService } from './preview.service';
import { SuggestionsService } from './suggestions.service';

@Module({
  imports: [HistoryModule, ScorecardsModule, ScoringModule],
  controllers: [BacktestsController],
  providers: [BacktestRunner, BacktestsService, SuggestionsService, PreviewService],
})
export class BacktestsModule implements BeforeApplicationShutdown {
  constructor(private readonly backtests: BacktestsService) {}

  /** A running backtest finishes (or fails) before the database connection closes. */
  beforeApplicationShutdown(): Promise<void> {
    return this.backtests.settle();
  }
}
