import { WorkspaceId } from '@cairn/auth';
import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ChannelsService } from './channels.service';
import { DeliveriesService } from './deliveries.service';
import { CreateChannelDto, ListDeliveriesQuery } from './dto';

@ApiTags('delivery')
@ApiBearerAuth()
@Controller()
export class ChannelsController {
  constructor(private readonly channels: ChannelsService, private readonly deliveries: DeliveriesService) {}

  @Post('channels')
  @ApiOperation({ summary: 'Add a webhook, Slack or email channel; every alert of the workspace (at least minSeverity) is delivered to it' })
  create(@WorkspaceId() ws: string, @Body() dto: CreateChannelDto) {
    return this.channels.create(ws, dto);
  }

  @Get('channels')
  list(@WorkspaceId() ws: string) {
    return this.channels.list(ws);
  }

  @Delete('channels/:id')
  @HttpCode(204)
  async remove(@WorkspaceId() ws: string, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.channels.remove(ws, id);
  }

  @Get('deliveries')
  @ApiOperation({ summary: 'Delivery log: each alert × channel with every attempt' })
  deliveriesLog(@WorkspaceId() ws: string, @Query() q: ListDeliveriesQuery) {
    return this.deliveries.list(ws, q);
  }
}
