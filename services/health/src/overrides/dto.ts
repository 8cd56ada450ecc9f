import { HEALTH_BANDS, HealthBand } from '@cairn/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, Max, Min } from 'class-validator';

export class SetOverrideDto {
  @ApiProperty({ enum: HEALTH_BANDS, example: 'red' }) @IsIn(HEALTH_BANDS) band: HealthBand;
  @ApiPropertyOptional({ example: 30, description: 'Score to show instead of the computed one; the computed score stays when absent' })
  @IsOptional() @IsInt() @Min(0) @Max(100) score?: number;
  @ApiProperty({ example: 'Exec sponsor told us they are evaluating a competitor' }) @IsString() @Length(1, 2000) reason: string;
  @ApiProperty({ example: '2026-12-31T00:00:00Z', description: 'When the override lapses on its own (at most a year ahead)' })
  @IsISO8601({ strict: true }) expiresAt: string;
}
