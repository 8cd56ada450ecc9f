import { WorkspaceId } from '@cairn/auth';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreatePersonaDto, MembersQuery, PersonaSettingsDto, UpdatePersonaDto } from './dto';
import { PersonasService } from './personas.service';

@ApiTags('personas')
@ApiBearerAuth()
@Controller()
export class PersonasController {
  constructor(private readonly personas: PersonasService) {}

  @Get('personas/settings')
  @ApiOperation({ summary: 'Lifecycle settings of the workspace: key features, active days that end onboarding' })
  settings(@WorkspaceId() ws: string) {
    return this.personas.settings(ws);
  }

  @Put('personas/settings')
  @ApiOperation({ summary: 'Change the lifecycle settings; every user\'s stage and persona membership is re-derived' })
  saveSettings(@WorkspaceId() ws: string, @Body() dto: PersonaSettingsDto) {
    return this.personas.saveSettings(ws, dto);
  }

  @Post('personas/reevaluate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Re-evaluate every user as of now (what the scheduled job does: time moves lifecycle and engagement)' })
  reevaluate(@WorkspaceId() ws: string) {
    return this.personas.reevaluate(ws);
  }

  @Get('personas')
  @ApiOperation({ summary: 'Personas of the workspace with their member counts' })
  list(@WorkspaceId() ws: string) {
    return this.personas.list(ws);
  }

  @Post('personas')
  @ApiOperation({ summary: 'Define a persona (a named rule over user attributes); its members are computed at once' })
  create(@WorkspaceId() ws: string, @Body() dto: CreatePersonaDto) {
    return this.personas.create(ws, dto);
  }

  @Get('personas/:id')
  @ApiOperation({ summary: 'A persona, its rule in words and its member count' })
  get(@WorkspaceId() ws: string, @Param('id') id: string) {
    return this.personas.get(ws, id);
  }

  @Put('personas/:id')
  @ApiOperation({ summary: 'Change a persona (name, description, rule); its members are recomputed' })
  update(@WorkspaceId() ws: string, @Param('id') id: string, @Body() dto: UpdatePersonaDto) {
    return this.personas.update(ws, id, dto);
  }

  @Delete('personas/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a persona and its membership' })
  async remove(@WorkspaceId() ws: string, @Param('id') id: string): Promise<void> {
    await this.personas.remove(ws, id);
  }

  @Get('personas/:id/members')
  @ApiOperation({ summary: 'Members of a persona with their attributes (lifecycle stage, engagement, satisfaction …)' })
  members(@WorkspaceId() ws: string, @Param('id') id: string, @Query() q: MembersQuery) {
    return this.personas.members(ws, id, q.limit, q.offset);
  }

  @Get('personas/:id/metrics')
  @ApiOperation({ summary: 'NPS, CSAT, CES, estimated sentiment, health and renewal likelihood of the accounts behind, key-feature adoption — with counts' })
  metrics(@WorkspaceId() ws: string, @Param('id') id: string) {
    return this.personas.metrics(ws, id);
  }

  @Get('users/:userId')
  @ApiOperation({ summary: 'A user as User Success sees them: attributes, latest answers, personas' })
  user(@WorkspaceId() ws: string, @Param('userId') userId: string) {
    return this.personas.user(ws, userId);
  }
}
