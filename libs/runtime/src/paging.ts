import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** The deepest page a list endpoint serves; past it, narrow the filter. */
export const MAX_OFFSET = 1_000_000;

/** `?limit=&offset=` of every paged list endpoint, bounded so no value reaches SQL out of range. */
export class PageQuery {
  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 1000 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: MAX_OFFSET })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(MAX_OFFSET)
  offset?: number;
}
