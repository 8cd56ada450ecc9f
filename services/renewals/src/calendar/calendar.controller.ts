import { WorkspaceId } from '@cairn/auth';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UpcomingQueryDto } from './dto';
import { RenewalCalendarService } from './renewal-calendar.service';

@ApiTags('renewal calendar')
@ApiBearerAuth()
@Controller('renewals')
export class CalendarController {
  constructor(private readonly calendar: RenewalCalendarService) {}

  @Get('upcoming')
  @ApiOperation({ summary: 'Open contracts ending soon, with days left, health, owner, the notices sent and the next horizon' })
  upcoming(@WorkspaceId() ws: string, @Query() q: UpcomingQueryDto) {
    return this.calendar.upcoming(ws, q.withinDays ?? Math.max(...this.calendar.horizons));
  }
}
