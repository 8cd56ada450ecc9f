import { WorkspaceId } from '@cairn/auth';
import { Body, Controller, Get, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreateSourceDto, SetSecretDto } from './dto';
import { describeSource, SourcesService } from './sources.service';

@ApiTags('sources')
@ApiBearerAuth()
@Controller('sources')
export class SourcesController {
  constructor(private readonly sources: SourcesService) {}

  @Post()
  @ApiOperation({ summary: 'Registers a help desk (zendesk, intercom) with its signing secret, or an api source; returns the webhook path' })
  create(@WorkspaceId() ws: string, @Body() dto: CreateSourceDto) {
    return this.sources.create(ws, dto);
  }

  @Get()
  list(@WorkspaceId() ws: string) {
    return this.sources.list(ws);
  }

  @Get(':id')
  async get(@WorkspaceId() ws: string, @Param('id') id: string) {
    return describeSource(await this.sources.get(ws, id));
  }

  @Put(':id/secret')
  @ApiOperation({ summary: 'Replaces the signing secret (after rotating it in the help desk)' })
  setSecret(@WorkspaceId() ws: string, @Param('id') id: string, @Body() dto: SetSecretDto) {
    return this.sources.setSecret(ws, id, dto.signingSecret);
  }
}
