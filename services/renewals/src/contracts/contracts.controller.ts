import { WorkspaceId } from '@cairn/auth';
import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ContractsService } from './contracts.service';
import { UpsertContractDto } from './dto';

@ApiTags('contracts')
@ApiBearerAuth()
@Controller('contracts')
export class ContractsController {
  constructor(private readonly contracts: ContractsService) {}

  @Put()
  upsert(@WorkspaceId() ws: string, @Body() dto: UpsertContractDto) {
    return this.contracts.upsert(ws, dto);
  }

  @Get()
  list(@WorkspaceId() ws: string, @Query('accountId') accountId?: string) {
    return this.contracts.list(ws, accountId);
  }

  @Get(':id')
  get(@WorkspaceId() ws: string, @Param('id') id: string) {
    return this.contracts.get(ws, id);
  }
}
