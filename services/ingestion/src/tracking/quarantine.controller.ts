import { WorkspaceId } from '@cairn/auth';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { QuarantineService } from './quarantine.service';

export class QuarantineQuery {
  @ApiPropertyOptional({ default: 100, maximum: 1000 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() messageId?: string;
}

@ApiTags('quarantine')
@ApiBearerAuth()
@Controller('quarantine')
export class QuarantineController {
  constructor(private readonly quarantine: QuarantineService) {}

  /** Calls that were refused (newest first), with the reason and the payload as received. */
  @Get()
  list(@WorkspaceId() ws: string, @Query() q: QuarantineQuery) {
    return this.quarantine.list(ws, q.limit ?? 100, q.messageId);
  }
}
