import { WorkspaceId } from '@cairn/auth';
import { BadRequestException, Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TicketObservation } from '../domain/ticket';
import { SourcesService } from '../sources/sources.service';
import { ListTicketsQueryDto, MapToAccountDto, TicketApiDto } from './dto';
import { TicketsService } from './tickets.service';

@ApiTags('tickets')
@ApiBearerAuth()
@Controller()
export class TicketsController {
  constructor(private readonly tickets: TicketsService, private readonly sources: SourcesService) {}

  @Post('tickets')
  @ApiOperation({ summary: 'Generic ticket API: one ticket state from any help desk; deduplicated on eventId' })
  async intake(@WorkspaceId() ws: string, @Body() dto: TicketApiDto) {
    const source = await this.sources.get(ws, dto.sourceId);
    if (source.kind !== 'api') throw new BadRequestException(`source ${dto.sourceId} is a ${source.kind} source: it sends webhooks, not ticket API calls`);
    const o: TicketObservation = {
      deliveryId: dto.eventId, externalId: dto.externalId, status: dto.status, priority: dto.priority, tags: dto.tags ?? [],
      subject: dto.subject, requesterEmail: dto.requesterEmail, organizationId: dto.organizationId, organizationName: dto.organizationName,
      accountId: dto.accountId, openedAt: new Date(dto.openedAt), updatedAt: new Date(dto.updatedAt),
      firstResponseAt: dto.firstResponseAt ? new Date(dto.firstResponseAt) : undefined,
      solvedAt: dto.solvedAt ? new Date(dto.solvedAt) : undefined, escalated: dto.escalated,
      satisfaction: dto.satisfaction, satisfactionScore: dto.satisfactionScore,
    };
    return this.tickets.ingest(source, o);
  }

  @Get('tickets')
  list(@WorkspaceId() ws: string, @Query() q: ListTicketsQueryDto) {
    return this.tickets.list(ws, q);
  }

  @Get('tickets/unmapped')
  @ApiOperation({ summary: 'Tickets no mapping places on an account yet: map their organisation or the ticket itself' })
  unmapped(@WorkspaceId() ws: string, @Query() q: ListTicketsQueryDto) {
    return this.tickets.list(ws, { unmapped: true, limit: q.limit });
  }

  @Get('tickets/:id')
  get(@WorkspaceId() ws: string, @Param('id') id: string) {
    return this.tickets.get(ws, id);
  }

  @Put('tickets/:id/account')
  @ApiOperation({ summary: 'Places one ticket on an account; publishes it' })
  mapTicket(@WorkspaceId() ws: string, @Param('id') id: string, @Body() dto: MapToAccountDto) {
    return this.tickets.mapTicket(ws, id, dto.accountId);
  }

  @Put('sources/:sourceId/organizations/:organizationId')
  @ApiOperation({ summary: 'Maps a help-desk organisation to an account; its unmapped tickets are placed and published' })
  async mapOrganization(@WorkspaceId() ws: string, @Param('sourceId') sourceId: string, @Param('organizationId') organizationId: string, @Body() dto: MapToAccountDto) {
    return this.tickets.mapOrganization(ws, await this.sources.get(ws, sourceId), organizationId, dto.accountId);
  }
}
