import { RENEWAL_OUTCOMES, RenewalOutcome } from '@cairn/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsNumber, IsOptional, IsString, Length, Matches, Min } from 'class-validator';

export class UpsertContractDto {
  @ApiProperty({ example: 'ctr-acme-2026' }) @IsString() @Length(1, 200) id: string;
  @ApiProperty({ example: 'acme' }) @IsString() @Length(1, 200) accountId: string;
  @ApiProperty({ example: 48000 }) @IsNumber() @Min(0) arr: number;
  @ApiPropertyOptional({ example: 'USD' }) @IsOptional() @Matches(/^[A-Z]{3}$/) currency?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) seats?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() plan?: string;
  @ApiProperty({ example: '2026-01-01' }) @IsISO8601({ strict: true }) startDate: string;
  @ApiProperty({ example: '2026-12-31' }) @IsISO8601({ strict: true }) endDate: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() autoRenew?: boolean;
  @ApiPropertyOptional({ example: 'csm@vendor.example' }) @IsOptional() @IsString() owner?: string;
}

export class RecordOutcomeDto {
  @ApiProperty({ enum: RENEWAL_OUTCOMES }) @IsIn(RENEWAL_OUTCOMES) outcome: RenewalOutcome;
  @ApiProperty({ example: 52000, description: 'ARR after the renewal: 0 when churned, more when expanded, less when contracted' })
  @IsNumber() @Min(0) arrAfter: number;
  @ApiPropertyOptional({ example: 'Moved to a competitor', description: 'Required when churned' })
  @IsOptional() @IsString() @Length(1, 2000) reason?: string;
  @ApiPropertyOptional({ example: '2026-12-31T00:00:00Z', description: 'When the outcome happened, for outcomes recorded after the fact (imports of history); now when absent. Not in the future, not before the contract started' })
  @IsOptional() @IsISO8601({ strict: true }) closedAt?: string;
}
