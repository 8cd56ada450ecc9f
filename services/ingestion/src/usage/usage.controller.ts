import { WorkspaceId } from '@cairn/auth';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { UsageQueryService } from './usage-query.service';

@ApiTags('usage')
@ApiBearerAuth()
@Controller('accounts/:id/usage')
export class UsageController {
  constructor(private readonly usage: UsageQueryService) {}

  @Get()
  @ApiOperation({ summary: 'Daily usage series (event time, UTC), DAU/WAU/MAU and feature adoption of an account' })
  @ApiQuery({ name: 'from', required: false, example: '2025-03-01' })
  @ApiQuery({ name: 'to', required: false, example: '2025-03-31' })
  series(@WorkspaceId() ws: string, @Param('id') id: string, @Query('from') from?: string, @Query('to') to?: string) {
    return this.usage.series(ws, id, from, to);
  }
}
