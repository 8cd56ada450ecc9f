import { WorkspaceId } from '@cairn/auth';
import { Body, Controller, Delete, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreatedWriteKeyDto, CreateWriteKeyDto, UpdateWriteKeyDto } from './dto';
import { WriteKeysService } from './write-keys.service';

@ApiTags('write keys')
@ApiBearerAuth()
@Controller('write-keys')
export class WriteKeysController {
  constructor(private readonly keys: WriteKeysService) {}

  @Post()
  @ApiCreatedResponse({ type: CreatedWriteKeyDto, description: 'The clear key is in this response only' })
  create(@WorkspaceId() ws: string, @Body() dto: CreateWriteKeyDto): Promise<CreatedWriteKeyDto> {
    return this.keys.create(ws, dto.name, dto.allowedOrigins ?? null);
  }

  @Get()
  list(@WorkspaceId() ws: string) {
    return this.keys.list(ws);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Restrict the browser origins of a source (null = any origin)' })
  update(@WorkspaceId() ws: string, @Param('id') id: string, @Body() dto: UpdateWriteKeyDto) {
    return this.keys.setAllowedOrigins(ws, id, dto.allowedOrigins ?? null);
  }

  @Delete(':id')
  revoke(@WorkspaceId() ws: string, @Param('id') id: string) {
    return this.keys.revoke(ws, id);
  }
}
