import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class UpcomingQueryDto {
  @ApiPropertyOptional({ example: 120, description: 'Contracts ending within this many days (default 120)' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(1095) withinDays?: number;
}
