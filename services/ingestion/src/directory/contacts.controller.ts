import { WorkspaceId } from '@cairn/auth';
import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DirectoryApiService } from './directory-api.service';
import { ListContactsQuery, SetRoleDto } from './dto';

@ApiTags('contacts')
@ApiBearerAuth()
@Controller('contacts')
export class ContactsController {
  constructor(private readonly directory: DirectoryApiService) {}

  @Get()
  list(@WorkspaceId() ws: string, @Query() q: ListContactsQuery) {
    return this.directory.listContacts(ws, q);
  }

  @Get(':id')
  get(@WorkspaceId() ws: string, @Param('id') id: string) {
    return this.directory.getContact(ws, id);
  }

  @Put(':id/role')
  @ApiOperation({ summary: 'Mark the person\'s role in an account (publishes contact-upserted)' })
  setRole(@WorkspaceId() ws: string, @Param('id') id: string, @Body() dto: SetRoleDto) {
    return this.directory.setRole(ws, id, dto);
  }
}
