import { WorkspaceId } from '@cairn/auth';
import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ActivateScorecardDto, CreateScorecardDto, UpdateScorecardDto } from './dto';
import { ScorecardsService } from './scorecards.service';

@ApiTags('scorecards')
@ApiBearerAuth()
@Controller('scorecards')
export class ScorecardsController {
  constructor(private readonly scorecards: ScorecardsService) {}

  @Get()
  @ApiOperation({ summary: 'Active scorecards of the workspace, and the built-in default' })
  list(@WorkspaceId() ws: string) {
    return this.scorecards.list(ws);
  }

  @Get('measures')
  @ApiOperation({ summary: 'The measures a scorecard can use, with their default weights and thresholds' })
  measures() {
    return this.scorecards.measureCatalog();
  }

  @Get(':id')
  @ApiOperation({ summary: 'A scorecard (its active version) and the list of its versions' })
  get(@WorkspaceId() ws: string, @Param('id') id: string) {
    return this.scorecards.get(ws, id);
  }

  @Post()
  @ApiOperation({ summary: 'Create a scorecard (version 1, active). Scores move on the next signal or on POST /scorecards/recompute' })
  create(@WorkspaceId() ws: string, @Body() dto: CreateScorecardDto) {
    return this.scorecards.create(ws, dto);
  }

  @Put(':id')
  @ApiOperation({ summary: 'Save a new version of a scorecard and make it the active one' })
  update(@WorkspaceId() ws: string, @Param('id') id: string, @Body() dto: UpdateScorecardDto) {
    return this.scorecards.update(ws, id, dto);
  }

  @Post(':id/activate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Make a stored version of a scorecard the active one (e.g. roll back)' })
  activate(@WorkspaceId() ws: string, @Param('id') id: string, @Body() dto: ActivateScorecardDto) {
    return this.scorecards.activate(ws, id, dto.version);
  }
}
