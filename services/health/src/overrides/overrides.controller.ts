import { AuthSubject, WorkspaceId } from '@cairn/auth';
import { Body, Controller, Delete, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SetOverrideDto } from './dto';
import { OverridesService } from './overrides.service';

@ApiTags('health')
@ApiBearerAuth()
@Controller('accounts/:accountId/health/override')
export class OverridesController {
  constructor(private readonly overrides: OverridesService) {}

  @Put()
  @ApiOperation({ summary: 'Override the account\'s band (and score) with a reason and an expiry; replaces an override in force' })
  set(@WorkspaceId() ws: string, @AuthSubject() by: string | undefined, @Param('accountId') accountId: string, @Body() dto: SetOverrideDto) {
    return this.overrides.set(ws, accountId, dto, by ?? 'unknown');
  }

  @Delete()
  @ApiOperation({ summary: 'End the override in force now' })
  clear(@WorkspaceId() ws: string, @AuthSubject() by: string | undefined, @Param('accountId') accountId: string) {
    return this.overrides.clear(ws, accountId, by ?? 'unknown');
  }

  @Get()
  @ApiOperation({ summary: 'The account\'s overrides, newest first (in force and ended)' })
  list(@WorkspaceId() ws: string, @Param('accountId') accountId: string) {
    return this.overrides.list(ws, accountId);
  }
}
