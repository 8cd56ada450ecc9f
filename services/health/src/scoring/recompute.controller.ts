import { WorkspaceId } from '@cairn/auth';
import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthRecomputeService } from './health-recompute.service';

@ApiTags('scorecards')
@ApiBearerAuth()
@Controller('scorecards')
export class RecomputeController {
  constructor(private readonly recompute: HealthRecomputeService) {}

  @Post('recompute')
  @HttpCode(200)
  @ApiOperation({ summary: 'Recompute every account of the workspace now (e.g. after changing a scorecard)' })
  run(@WorkspaceId() ws: string) {
    return this.recompute.recomputeWorkspace(ws, 'full recompute requested (scorecards)');
  }
}
