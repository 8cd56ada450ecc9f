import { WorkspaceId } from '@cairn/auth';
import { BadRequestException, Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { dayStart, PointInTimeAccount } from '../domain/history';
import { scoreAccount } from '../domain/scoring';
import { ScorecardsService } from '../scorecards/scorecards.service';
import { SignalHistoryStore } from './signal-history.store';

export class AsOfQuery {
  @ApiPropertyOptional({ example: 'default' }) @IsOptional() @IsString() @Length(1, 63) scorecardId?: string;
  @ApiPropertyOptional({ example: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) version?: number;
}

@ApiTags('health')
@ApiBearerAuth()
@Controller('accounts')
export class HistoryController {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly history: SignalHistoryStore,
    private readonly scorecards: ScorecardsService,
  ) {}

  @Get(':accountId/health/as-of/:day')
  @ApiOperation({ summary: 'The score the account had as of the start of a past day (only what happened before it), with any scorecard version' })
  async asOf(@WorkspaceId() ws: string, @Param('accountId') accountId: string, @Param('day') day: string, @Query() q: AsOfQuery) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(day))) throw new BadRequestException([`day: '${day}' is not a day (YYYY-MM-DD)`]);
    const card = await this.scorecards.findVersion(this.db.manager, ws, q.scorecardId ?? 'default', q.version);
    const asOf = dayStart(day);
    const facts = await this.history.load(this.db.manager, ws, asOf, [accountId]);
    if (facts.length === 0) throw new NotFoundException(`account '${accountId}' has no history before ${day} in this workspace`);
    const account = new PointInTimeAccount();
    for (const f of facts) account.apply(f);
    const result = scoreAccount(card, account.signals(), asOf);
    const override = account.overrideAt(asOf);
    return {
      accountId, asOf: asOf.toISOString(), facts: facts.length, scorecardId: card.id, scorecardVersion: card.version,
      score: result?.score ?? null, band: result?.band ?? null, explanation: result?.explanation ?? [], coverage: result?.coverage ?? null,
      ...(override ? { override: { band: override.band, score: override.score ?? null, reason: override.reason, by: override.by, expiresAt: override.expiresAt } } : {}),
    };
  }
}
