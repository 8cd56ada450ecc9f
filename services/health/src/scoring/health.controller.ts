import { WorkspaceId } from '@cairn/auth';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccountHealthService } from './account-health.service';
import { AccountHealthView, HistoryQuery, ListAccountsQuery } from './dto';

@ApiTags('health')
@ApiBearerAuth()
@Controller('accounts')
export class HealthController {
  constructor(private readonly health: AccountHealthService) {}

  @Get()
  @ApiOperation({ summary: 'Scored accounts, lowest score first; filter by band' })
  list(@WorkspaceId() ws: string, @Query() q: ListAccountsQuery) {
    return this.health.list(ws, q.band, q.limit, q.offset);
  }

  @Get(':accountId/health')
  @ApiOperation({ summary: 'An account\'s current score, band, trend and the explanation behind it' })
  @ApiOkResponse({ type: AccountHealthView })
  get(@WorkspaceId() ws: string, @Param('accountId') accountId: string): Promise<AccountHealthView> {
    return this.health.get(ws, accountId);
  }

  @Get(':accountId/health/history')
  @ApiOperation({ summary: 'Every change of the account\'s score or band, newest first' })
  history(@WorkspaceId() ws: string, @Param('accountId') accountId: string, @Query() q: HistoryQuery) {
    return this.health.history(ws, accountId, q.limit);
  }
}
