import { WorkspaceId } from '@cairn/auth';
import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { CreatedWriteKeyDto, CreateWriteKeyDto } from './dto';
import { WriteKeysService } from './write-keys.service';

@ApiTags('write keys')
@ApiBearerAuth()
@Controller('write-keys')
export class WriteKeysController {
  constructor(private readonly keys: WriteKeysService) {}

  @Post()
  @ApiCreatedResponse({ type: CreatedWriteKeyDto, description: 'The clear key is in this response only' })
  create(@WorkspaceId() ws: string, @Body() dto: CreateWriteKeyDto): Promise<CreatedWriteKeyDto> {
    return this.keys.create(ws, dto.name);
  }

  @Get()
  list(@WorkspaceId() ws: string) {
    return this.keys.list(ws);
  }

  @Delete(':id')
  revoke(@WorkspaceId() ws: string, @Param('id') id: string) {
    return this.keys.revoke(ws, id);
  }
}
