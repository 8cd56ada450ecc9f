import { AuthSubject, WorkspaceId } from '@cairn/auth';
import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AlertsService } from './alerts.service';
import { InboxQuery, ListAlertsQuery } from './dto';

@ApiTags('alerts')
@ApiBearerAuth()
@Controller()
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get('alerts')
  @ApiOperation({ summary: 'Risk alerts, newest first, with their cause and task id' })
  list(@WorkspaceId() ws: string, @Query() q: ListAlertsQuery) {
    return this.alerts.list(ws, q);
  }

  @Get('alerts/:id')
  @ApiOperation({ summary: 'One alert with its cause and its task' })
  get(@WorkspaceId() ws: string, @Param('id', ParseUUIDPipe) id: string) {
    return this.alerts.get(ws, id);
  }

  @Post('alerts/:id/ack')
  @HttpCode(200)
  @ApiOperation({ summary: 'Acknowledge an alert (idempotent)' })
  ack(@WorkspaceId() ws: string, @AuthSubject() subject: string | undefined, @Param('id', ParseUUIDPipe) id: string) {
    return this.alerts.acknowledge(ws, id, subject);
  }

  @Get('inbox')
  @ApiOperation({ summary: 'In-app inbox: alerts for the token\'s subject, or all of the workspace\'s' })
  inbox(@WorkspaceId() ws: string, @AuthSubject() subject: string | undefined, @Query() q: InboxQuery) {
    return this.alerts.inbox(ws, subject, q);
  }
}
