import { WorkspaceId } from '@cairn/auth';
import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DetectionSettingsDto, DetectionSettingsView } from './detection-settings';
import { DetectionSettingsService } from './detection-settings.service';

@ApiTags('detection settings')
@ApiBearerAuth()
@Controller('settings/detection')
export class DetectionSettingsController {
  constructor(private readonly settings: DetectionSettingsService) {}

  @Get()
  @ApiOkResponse({ type: DetectionSettingsView })
  get(@WorkspaceId() ws: string) {
    return this.settings.get(ws);
  }

  @Put()
  @ApiOperation({ summary: 'Usage-drop window, baseline, threshold, minimum volume; champion inactivity days' })
  @ApiOkResponse({ type: DetectionSettingsView })
  put(@WorkspaceId() ws: string, @Body() dto: DetectionSettingsDto) {
    return this.settings.put(ws, dto);
  }
}
