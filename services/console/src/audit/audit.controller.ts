import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ADMINS } from '../domain/roles';
import { CurrentUser, SignedIn } from '../identity/session.guard';
import { SignedInUser } from '../identity/sessions.service';
import { AuditService } from './audit.service';

@ApiTags('audit')
@Controller('api/audit')
@SignedIn(ADMINS)
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: 'Every change made through the console, newest first (admins)' })
  list(@CurrentUser() user: SignedInUser, @Query('limit') limit?: string, @Query('before') before?: string) {
    const n = limit === undefined ? 100 : Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > 500) throw new BadRequestException(['limit: must be a whole number from 1 to 500']);
    const b = before === undefined ? undefined : Number(before);
    if (b !== undefined && !Number.isInteger(b)) throw new BadRequestException(['before: must be an entry id']);
    return this.audit.list(user.workspaceId, n, b);
  }
}
