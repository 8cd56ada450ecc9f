import { WorkspaceId } from '@cairn/auth';
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ContractsService } from './contracts.service';
import { RecordOutcomeDto, UpsertContractDto } from './dto';

@ApiTags('contracts')
@ApiBearerAuth()
@Controller('contracts')
export class ContractsController {
  constructor(private readonly contracts: ContractsService) {}

  @Put()
  upsert(@WorkspaceId() ws: string, @Body() dto: UpsertContractDto) {
    return this.contracts.upsert(ws, dto);
  }

  @Post('import')
  @HttpCode(200)
  @ApiOperation({ summary: 'Import contracts in bulk: a JSON array (or { contracts: [...] }) or CSV with a header row; reports each rejected row' })
  @ApiConsumes('application/json', 'text/csv')
  @ApiBody({ schema: { oneOf: [{ type: 'array', items: { type: 'object' } }, { type: 'string', example: 'id,accountId,arr,startDate,endDate\nctr-1,acme,48000,2026-01-01,2026-12-31' }] } })
  import(@WorkspaceId() ws: string, @Body() body: unknown, @Headers('content-type') contentType?: string) {
    return this.contracts.import(ws, body, contentType);
  }

  @Get()
  list(@WorkspaceId() ws: string, @Query('accountId') accountId?: string) {
    return this.contracts.list(ws, accountId);
  }

  @Get(':id')
  get(@WorkspaceId() ws: string, @Param('id') id: string) {
    return this.contracts.get(ws, id);
  }

  @Post(':id/outcome')
  @ApiOperation({ summary: 'Record the renewal outcome (renewed, expanded, contracted, churned with a reason); publishes renewal.closed' })
  outcome(@WorkspaceId() ws: string, @Param('id') id: string, @Body() dto: RecordOutcomeDto) {
    return this.contracts.recordOutcome(ws, id, dto);
  }
}
