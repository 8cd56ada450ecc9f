import { WorkspaceId } from '@cairn/auth';
import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BacktestsService } from './backtests.service';
import { CreateBacktestDto, PreviewScorecardDto, SuggestScorecardDto } from './dto';
import { PreviewService } from './preview.service';
import { SuggestionsService } from './suggestions.service';

@ApiTags('backtests')
@ApiBearerAuth()
@Controller()
export class BacktestsController {
  constructor(private readonly backtests: BacktestsService, private readonly suggestions: SuggestionsService, private readonly previews: PreviewService) {}

  @Post('backtests')
  @HttpCode(202)
  @ApiOperation({ summary: 'Start a backtest of a scorecard version (active or draft), optionally side by side with a second one; poll GET /backtests/:id' })
  create(@WorkspaceId() ws: string, @Body() dto: CreateBacktestDto) {
    return this.backtests.create(ws, dto);
  }

  @Get('backtests/:id')
  @ApiOperation({ summary: 'A backtest: progress, then ROC/PR AUC with intervals, lift, churn per band, red precision/recall, green churners' })
  get(@WorkspaceId() ws: string, @Param('id') id: string) {
    return this.backtests.get(ws, id);
  }

  @Post('scorecards/suggestions')
  @HttpCode(201)
  @ApiOperation({ summary: 'Fit weights, thresholds and bands to this workspace\'s history; stores a DRAFT version with its held-out AUC next to the baseline\'s (never activates it)' })
  suggest(@WorkspaceId() ws: string, @Body() dto: SuggestScorecardDto) {
    return this.suggestions.suggest(ws, dto);
  }

  @Post('scorecards/preview')
  @HttpCode(200)
  @ApiOperation({ summary: 'What-if: band distribution now vs with the given version, and the accounts that would change band and why' })
  preview(@WorkspaceId() ws: string, @Body() dto: PreviewScorecardDto) {
    return this.previews.preview(ws, dto);
  }
}
