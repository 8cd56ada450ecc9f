import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  ArrayMinSize, IsArray, IsInt, IsNumber, IsOptional, IsString, Length, Matches, Max, Min, ValidateNested,
} from 'class-validator';
import { MEASURE_NAMES } from '../domain/measures';

export class ThresholdDto {
  @ApiProperty({ example: 20, description: 'Raw value of the measure' }) @IsNumber() value: number;
  @ApiProperty({ example: 40, description: 'Points (0–100) at that raw value' }) @IsNumber() @Min(0) @Max(100) points: number;
}

export class ScorecardMeasureDto {
  @ApiProperty({ enum: MEASURE_NAMES, example: 'activeUsersVsSeats' }) @IsString() measure: string;
  @ApiProperty({ example: 15, description: 'Relative weight (> 0); weights are renormalized over the measures that have data' })
  @IsNumber() weight: number;
  @ApiPropertyOptional({ type: [ThresholdDto], description: 'Strictly ascending by value; the measure\'s defaults when absent' })
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => ThresholdDto) thresholds?: ThresholdDto[];
}

export class SegmentDto {
  @ApiPropertyOptional({ example: 'enterprise' }) @IsOptional() @IsString() @Length(1, 100) plan?: string;
  @ApiPropertyOptional({ example: 'onboarding' }) @IsOptional() @IsString() @Length(1, 100) lifecycleStage?: string;
}

export class BandsDto {
  @ApiProperty({ example: 40, description: 'Scores from here are yellow (below: red)' }) @IsNumber() yellowFrom: number;
  @ApiProperty({ example: 70, description: 'Scores from here are green' }) @IsNumber() greenFrom: number;
}

export class CreateScorecardDto {
  @ApiPropertyOptional({ example: 'enterprise-onboarding', description: 'Lower-case id; generated from the name when absent' })
  @IsOptional() @Matches(/^[a-z0-9][a-z0-9_-]{0,62}$/, { message: 'id must be 1–63 lower-case letters, digits, - or _' }) id?: string;
  @ApiProperty({ example: 'Enterprise onboarding' }) @IsString() @Length(1, 200) name: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 2000) description?: string;
  @ApiPropertyOptional({ type: SegmentDto, description: 'Accounts it applies to; the most specific matching scorecard wins' })
  @IsOptional() @ValidateNested() @Type(() => SegmentDto) segment?: SegmentDto;
  @ApiProperty({ type: [ScorecardMeasureDto] })
  @IsArray() @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => ScorecardMeasureDto) measures: ScorecardMeasureDto[];
  @ApiPropertyOptional({ type: BandsDto, description: 'Default: yellow from 40, green from 70' })
  @IsOptional() @ValidateNested() @Type(() => BandsDto) bands?: BandsDto;
  @ApiPropertyOptional({ default: false, description: 'Store the version as a draft: not used for scoring until activated; backtests and previews can use it' })
  @IsOptional() @IsBoolean() draft?: boolean;
}

/** A new version of an existing scorecard (the whole definition). */
export class UpdateScorecardDto extends OmitType(CreateScorecardDto, ['id'] as const) {}

export class ActivateScorecardDto {
  @ApiProperty({ example: 1 }) @IsInt() @Min(1) version: number;
}
