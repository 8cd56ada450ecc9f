import { PageQuery } from '@cairn/runtime';
import { HEALTH_BANDS, HealthBand } from '@cairn/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

export class ListAccountsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: HEALTH_BANDS }) @IsOptional() @IsIn(HEALTH_BANDS) band?: HealthBand;
}

export class HistoryQuery {
  @ApiPropertyOptional({ default: 50, maximum: 500 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
}

export class MeasureExplanationView {
  @ApiProperty({ example: 'usageTrend' }) measure: string;
  @ApiProperty({ example: 'adoption' }) group: string;
  @ApiProperty({ nullable: true, oneOf: [{ type: 'number' }, { type: 'string' }, { type: 'boolean' }], example: -88 }) raw?: number | string | boolean | null;
  @ApiProperty({ nullable: true, example: 4.8, description: '0–100; null when the measure had no data and was left out' }) points: number | null;
  @ApiProperty({ example: 25 }) weight: number;
  @ApiProperty({ example: 1.6, description: 'points × weight / sum of the weights of measures with data' }) contribution: number;
  @ApiProperty({ example: 'usage -88% vs baseline (drop detected): Weekly usage fell 88% …' }) detail: string;
  @ApiPropertyOptional({ description: 'The event that last moved this measure' }) lastEventId?: string;
}

export class CauseView {
  @ApiProperty() eventId: string;
  @ApiProperty({ example: 'usage.dropped' }) type: string;
  @ApiProperty({ example: 'usage fell 88% vs baseline (…)' }) summary: string;
}

export class TrendView {
  @ApiProperty({ example: -27 }) delta: number;
  @ApiProperty({ enum: ['7d', 'previous'] }) basis: '7d' | 'previous';
  @ApiProperty({ example: { score: 88, at: '2026-03-01T00:00:00.000Z' } }) comparedTo: { score: number; at: string };
}

export class AccountHealthView {
  @ApiProperty() accountId: string;
  @ApiPropertyOptional() name?: string;
  @ApiProperty({ example: 61 }) score: number;
  @ApiProperty({ enum: HEALTH_BANDS }) band: HealthBand;
  @ApiProperty({ type: TrendView, nullable: true }) trend: TrendView | null;
  @ApiProperty({ example: 'Health fell from 88 (green) to 61 (yellow): usage fell 88% vs baseline (…)' }) summary: string;
  @ApiProperty({ type: [MeasureExplanationView] }) explanation: MeasureExplanationView[];
  @ApiProperty({ description: 'Which measures had data; how the weights were renormalized' }) coverage: object;
  @ApiProperty({ type: CauseView, description: 'The event behind the latest change of score or band' }) cause: CauseView;
  @ApiProperty() scorecardId: string;
  @ApiProperty() scorecardVersion: number;
  @ApiProperty({ description: 'When score or band last changed' }) updatedAt: string;
  @ApiProperty({ description: 'When the score was last computed' }) computedAt: string;
  @ApiPropertyOptional({ description: 'A CSM override in force: score and band above are the overridden ones; the explanation says what was computed' })
  override?: { id: string; band: string; score: number | null; reason: string; by: string; expiresAt: string };
}
