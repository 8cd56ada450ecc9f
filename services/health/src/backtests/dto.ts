import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsISO8601, IsOptional, IsString, Length, Matches, Max, Min, ValidateNested,
} from 'class-validator';
import { SegmentDto } from '../scorecards/dto';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class ScorecardRefDto {
  @ApiProperty({ example: 'default', description: "A workspace scorecard's id, or 'default' for the built-in one" })
  @IsString() @Length(1, 63) id: string;
  @ApiPropertyOptional({ example: 2, description: 'A stored version, active or draft; the active version when absent' })
  @IsOptional() @IsInt() @Min(1) version?: number;
}

export class PeriodDto {
  @ApiProperty({ example: '2026-01-01', description: 'First as-of day (YYYY-MM-DD, UTC)' })
  @Matches(DAY, { message: 'period.from must be a day, YYYY-MM-DD' }) @IsISO8601({ strict: true }) from: string;
  @ApiProperty({ example: '2026-09-30', description: 'Last as-of day (inclusive)' })
  @Matches(DAY, { message: 'period.to must be a day, YYYY-MM-DD' }) @IsISO8601({ strict: true }) to: string;
}

export class CreateBacktestDto {
  @ApiProperty({ type: ScorecardRefDto }) @ValidateNested() @Type(() => ScorecardRefDto) scorecard: ScorecardRefDto;
  @ApiPropertyOptional({ type: ScorecardRefDto, description: 'A second scorecard version, evaluated on the same accounts and days' })
  @IsOptional() @ValidateNested() @Type(() => ScorecardRefDto) compareWith?: ScorecardRefDto;
  @ApiProperty({ type: PeriodDto }) @ValidateNested() @Type(() => PeriodDto) period: PeriodDto;
  @ApiPropertyOptional({ type: SegmentDto, description: 'Only accounts of this plan / lifecycle stage (as known on each day)' })
  @IsOptional() @ValidateNested() @Type(() => SegmentDto) segment?: SegmentDto;
  @ApiPropertyOptional({ example: [30, 60, 90], description: 'Days after each as-of day in which a churn counts (default 30, 60, 90)' })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(6) @IsInt({ each: true }) @Min(1, { each: true }) @Max(730, { each: true }) horizons?: number[];
  @ApiPropertyOptional({ example: 7, description: 'Days between as-of days (default 7)' })
  @IsOptional() @IsInt() @Min(1) @Max(92) stepDays?: number;
}

export class SuggestScorecardDto {
  @ApiProperty({ type: PeriodDto, description: 'As-of days to learn from; the last 30 % of them are held out' })
  @ValidateNested() @Type(() => PeriodDto) period: PeriodDto;
  @ApiPropertyOptional({ type: SegmentDto }) @IsOptional() @ValidateNested() @Type(() => SegmentDto) segment?: SegmentDto;
  @ApiPropertyOptional({ example: 90, description: 'Churn within this many days is what the fit predicts (default 90)' })
  @IsOptional() @IsInt() @Min(7) @Max(365) horizonDays?: number;
  @ApiPropertyOptional({ type: ScorecardRefDto, description: "What to compare the draft with on held-out days (default: 'default')" })
  @IsOptional() @ValidateNested() @Type(() => ScorecardRefDto) baseline?: ScorecardRefDto;
  @ApiPropertyOptional({ example: 'fitted', description: 'Id of the scorecard the draft is stored under (default fitted)' })
  @IsOptional() @Matches(/^[a-z0-9][a-z0-9_-]{0,62}$/, { message: 'id must be 1–63 lower-case letters, digits, - or _' }) id?: string;
  @ApiPropertyOptional({ example: 7 }) @IsOptional() @IsInt() @Min(1) @Max(92) stepDays?: number;
}

export class PreviewScorecardDto {
  @ApiProperty({ type: ScorecardRefDto, description: 'The draft (or any version) to preview on today\'s accounts' })
  @ValidateNested() @Type(() => ScorecardRefDto) scorecard: ScorecardRefDto;
  @ApiPropertyOptional({ default: 100, maximum: 1000, description: 'At most this many changed accounts are listed' })
  @IsOptional() @IsInt() @Min(1) @Max(1000) limit?: number;
}
