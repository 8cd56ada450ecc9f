import { WorkspaceId } from '@cairn/auth';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ForecastQueryDto, MetricsQueryDto } from './dto';
import { ForecastService } from './forecast.service';
import { RetentionService } from './retention.service';

@ApiTags('renewal forecast and retention')
@ApiBearerAuth()
@Controller('renewals')
export class AnalyticsController {
  constructor(private readonly retention: RetentionService, private readonly forecasts: ForecastService) {}

  @Get('metrics')
  @ApiOperation({ summary: 'NRR, GRR, logo and revenue churn, expansion ARR and CLTV over the renewals of a period (optionally one segment or plan)' })
  metrics(@WorkspaceId() ws: string, @Query() q: MetricsQueryDto) {
    return this.retention.metrics(ws, q);
  }

  @Get('forecast')
  @ApiOperation({ summary: 'Likelihood to renew of each open renewal with its explanation, expected ARR, and the pipeline by month and owner' })
  forecast(@WorkspaceId() ws: string, @Query() q: ForecastQueryDto) {
    return this.forecasts.forecast(ws, q);
  }
}
