import { WorkspaceId } from '@cairn/auth';
import { Body, Controller, Delete, Get, Param, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DirectoryApiService } from './directory-api.service';
import { ListAccountsQuery, PatchAccountDto } from './dto';

@ApiTags('accounts')
@ApiBearerAuth()
@Controller('accounts')
export class AccountsController {
  constructor(private readonly directory: DirectoryApiService) {}

  @Get()
  list(@WorkspaceId() ws: string, @Query() q: ListAccountsQuery) {
    return this.directory.listAccounts(ws, q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'An account with its contacts, their roles and departure state' })
  get(@WorkspaceId() ws: string, @Param('id') id: string) {
    return this.directory.getAccount(ws, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Set the CSM owner and/or domain (publishes account-upserted)' })
  patch(@WorkspaceId() ws: string, @Param('id') id: string, @Body() dto: PatchAccountDto) {
    return this.directory.patchAccount(ws, id, dto);
  }

  @Delete(':id/contacts/:contactId')
  @ApiOperation({ summary: 'Remove a person from the account (a champion or decision maker removed is a departure)' })
  removeContact(@WorkspaceId() ws: string, @Param('id') id: string, @Param('contactId') contactId: string) {
    return this.directory.removeFromAccount(ws, id, contactId);
  }
}
