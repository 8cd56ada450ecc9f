import { WorkspaceId } from '@cairn/auth';
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { DataSource } from 'typeorm';
import { LimitQuery } from '../common/query';
import { toPlaybook } from '../playbooks/playbook.entity';
import { DryRunDraftDto, DryRunDto, editable } from '../playbooks/dto';
import { definitionOrBadRequest, PlaybooksService } from '../playbooks/playbooks.service';
import { DryRunService } from './dry-run.service';
import { SignalStore } from './signal.store';

export class ListSignalsQuery extends LimitQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() accountId?: string;
  @ApiPropertyOptional({ example: 'usage.dropped' }) @IsOptional() @IsString() type?: string;
}

@ApiTags('playbooks')
@ApiBearerAuth()
@Controller()
export class SignalsController {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly playbooks: PlaybooksService,
    private readonly dryRuns: DryRunService,
    private readonly signalStore: SignalStore,
  ) {}

  @Get('signals')
  @ApiOperation({ summary: 'Trigger events received, newest first, with what each playbook decided (acted, no-match, duplicate-cause, cooldown)' })
  signals(@WorkspaceId() ws: string, @Query() q: ListSignalsQuery) {
    return this.signalStore.list(this.db.manager, ws, { accountId: q.accountId, type: q.type, limit: q.limit ?? 100 });
  }

  @Post('playbooks/dry-run')
  @HttpCode(200)
  @ApiOperation({ summary: 'Dry run of an unsaved playbook against the last N days of signals; creates nothing' })
  async dryRunDraft(@WorkspaceId() ws: string, @Body() dto: DryRunDraftDto) {
    const def = definitionOrBadRequest(editable(dto.playbook));
    return this.dryRuns.run(ws, { ...def, id: 'draft', version: 0 }, dto.days ?? 30, false);
  }

  @Post('playbooks/:id/dry-run')
  @HttpCode(200)
  @ApiOperation({ summary: 'What a playbook would have created over the last N days of signals; creates nothing' })
  async dryRun(@WorkspaceId() ws: string, @Param('id', ParseUUIDPipe) id: string, @Body() dto: DryRunDto) {
    const playbook = toPlaybook(await this.playbooks.get(ws, id));
    return this.dryRuns.run(ws, playbook, dto.days ?? 30, true);
  }
}
