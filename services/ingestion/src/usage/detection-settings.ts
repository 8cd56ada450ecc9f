import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNumber, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { DEFAULT_USAGE_DROP_SETTINGS, UsageDropSettings } from '../domain/usage-drop-detector';

export interface DetectionSettings extends UsageDropSettings {
  /** A champion or decision maker with no product activity for this long is reported gone. */
  championInactiveDays: number;
  /**
   * Track event that means an account got value from the product ("Report Exported"): its first
   * occurrence, against the account's first activity, is the time to first value. null: not set.
   */
  valueEvent: string | null;
}

export const DEFAULT_DETECTION_SETTINGS: DetectionSettings = { ...DEFAULT_USAGE_DROP_SETTINGS, championInactiveDays: 30, valueEvent: null };

/** PUT /settings/detection: any subset; the rest keeps its current value. */
export class DetectionSettingsDto implements Partial<DetectionSettings> {
  @ApiPropertyOptional({ example: 7, description: 'Recent window, days' }) @IsOptional() @IsInt() @Min(1) @Max(90) windowDays?: number;
  @ApiPropertyOptional({ example: 28, description: 'Baseline window before it, days' }) @IsOptional() @IsInt() @Min(1) @Max(365) baselineDays?: number;
  @ApiPropertyOptional({ example: 50, description: 'Percent drop that signals' }) @IsOptional() @IsNumber() @Min(1) @Max(100) thresholdPct?: number;
  @ApiPropertyOptional({ example: 5, description: 'Minimum baseline events/day to judge an account' }) @IsOptional() @IsNumber() @Min(0) @Max(1e9) minBaselineDailyAvg?: number;
  @ApiPropertyOptional({ example: 30 }) @IsOptional() @IsInt() @Min(1) @Max(3650) championInactiveDays?: number;
  @ApiPropertyOptional({ example: 'Report Exported', nullable: true, type: String,
    description: 'Track event name that marks first value (time to first value); null clears it' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(200) valueEvent?: string | null;
}

export class DetectionSettingsView implements DetectionSettings {
  @ApiProperty() windowDays: number;
  @ApiProperty() baselineDays: number;
  @ApiProperty() thresholdPct: number;
  @ApiProperty() minBaselineDailyAvg: number;
  @ApiProperty() championInactiveDays: number;
  @ApiProperty({ nullable: true, type: String, description: 'Track event that marks first value; null while not set' }) valueEvent: string | null;
  @ApiProperty({ description: 'false while the workspace uses the defaults' }) customized: boolean;
}
