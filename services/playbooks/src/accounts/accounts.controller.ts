import { HEALTH_BANDS } from '@cairn/contracts';
import { WorkspaceId } from '@cairn/auth';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { LimitQuery } from '../common/query';
import { AccountsService } from './accounts.service';

export class ListAccountsQuery extends LimitQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() csmOwner?: string;
  @ApiPropertyOptional({ enum: HEALTH_BANDS }) @IsOptional() @IsIn(HEALTH_BANDS) band?: string;
}

@ApiTags('accounts')
@ApiBearerAuth()
@Controller('accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Get()
  @ApiOperation({ summary: 'Accounts as playbooks knows them (owner, plan, ARR, health, next renewal)' })
  list(@WorkspaceId() ws: string, @Query() q: ListAccountsQuery) {
    return this.accounts.list(ws, q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One account of the playbooks read model' })
  get(@WorkspaceId() ws: string, @Param('id') id: string) {
    return this.accounts.get(ws, id);
  }
}
