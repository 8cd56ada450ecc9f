import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsNumber, IsOptional, IsString, Max, Min } from 'class-validator';

export class MetricsQueryDto {
  @ApiProperty({ example: '2026-01-01', description: 'First renewal date of the period (contracts counted at their end date)' })
  @IsISO8601({ strict: true }) from: string;
  @ApiProperty({ example: '2026-12-31', description: 'Last renewal date of the period, inclusive' })
  @IsISO8601({ strict: true }) to: string;
  @ApiPropertyOptional({ example: 'enterprise', description: "Only accounts whose 'segment' trait is this" }) @IsOptional() @IsString() segment?: string;
  @ApiPropertyOptional({ example: 'growth' }) @IsOptional() @IsString() plan?: string;
  @ApiPropertyOptional({ example: 80, description: 'Gross margin % used for CLTV (default 100)' })
  @IsOptional() @Type(() => Number) @IsNumber() @Min(0) @Max(100) grossMarginPct?: number;
}

export class ForecastQueryDto {
  @ApiPropertyOptional({ example: 180, description: 'Open renewals ending within this many days (default 365)' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(1095) withinDays?: number;
  @ApiPropertyOptional({ example: 'maria@vendor.example' }) @IsOptional() @IsString() owner?: string;
}
