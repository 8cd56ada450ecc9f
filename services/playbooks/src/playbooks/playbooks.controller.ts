import { WorkspaceId } from '@cairn/auth';
import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { editable, PlaybookDto } from './dto';
import { PlaybooksService } from './playbooks.service';

@ApiTags('playbooks')
@ApiBearerAuth()
@Controller('playbooks')
export class PlaybooksController {
  constructor(private readonly playbooks: PlaybooksService) {}

  @Get()
  @ApiOperation({ summary: 'The workspace\'s playbooks (a new workspace gets the shipped defaults)' })
  list(@WorkspaceId() ws: string) {
    return this.playbooks.list(ws);
  }

  @Post()
  @ApiOperation({ summary: 'Create a playbook; conditions and actions are validated, 400 names each bad field' })
  create(@WorkspaceId() ws: string, @Body() dto: PlaybookDto) {
    return this.playbooks.create(ws, editable(dto));
  }

  @Post('defaults')
  @HttpCode(200)
  @ApiOperation({ summary: 'Add the shipped default playbooks the workspace does not have' })
  defaults(@WorkspaceId() ws: string) {
    return this.playbooks.restoreDefaults(ws);
  }

  @Get(':id')
  get(@WorkspaceId() ws: string, @Param('id', ParseUUIDPipe) id: string) {
    return this.playbooks.get(ws, id);
  }

  @Put(':id')
  @ApiOperation({ summary: 'Replace a playbook (its version goes up)' })
  update(@WorkspaceId() ws: string, @Param('id', ParseUUIDPipe) id: string, @Body() dto: PlaybookDto) {
    return this.playbooks.update(ws, id, editable(dto));
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@WorkspaceId() ws: string, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.playbooks.remove(ws, id);
  }
}
