import { WorkspaceId } from '@cairn/auth';
import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreateSurveyDto, ListResponsesQueryDto, RecordResponseDto, ResultsQueryDto } from './dto';
import { SurveysService } from './surveys.service';

@ApiTags('surveys')
@ApiBearerAuth()
@Controller('surveys')
export class SurveysController {
  constructor(private readonly surveys: SurveysService) {}

  @Post()
  @ApiOperation({ summary: 'Create an NPS, CSAT or CES survey' })
  create(@WorkspaceId() ws: string, @Body() dto: CreateSurveyDto) {
    return this.surveys.create(ws, dto);
  }

  @Get()
  list(@WorkspaceId() ws: string) {
    return this.surveys.list(ws);
  }

  @Get(':id')
  get(@WorkspaceId() ws: string, @Param('id') id: string) {
    return this.surveys.get(ws, id);
  }

  @Post(':id/responses')
  @ApiOperation({ summary: 'Record an answer (a second answer of the same contact replaces the first); publishes survey.response-recorded' })
  respond(@WorkspaceId() ws: string, @Param('id') id: string, @Body() dto: RecordResponseDto) {
    return this.surveys.recordResponse(ws, id, dto);
  }

  @Get(':id/responses')
  listResponses(@WorkspaceId() ws: string, @Param('id') id: string, @Query() q: ListResponsesQueryDto) {
    return this.surveys.listResponses(ws, id, q);
  }

  @Get(':id/responses/:responseId')
  @ApiOperation({ summary: 'A current answer and the earlier answers it replaced' })
  getResponse(@WorkspaceId() ws: string, @Param('id') id: string, @Param('responseId') responseId: string) {
    return this.surveys.getResponse(ws, id, responseId);
  }

  @Get(':id/results')
  @ApiOperation({ summary: 'NPS (% promoters − % detractors), CSAT %, average CES and the counts behind them, over a time window' })
  results(@WorkspaceId() ws: string, @Param('id') id: string, @Query() q: ResultsQueryDto) {
    return this.surveys.results(ws, id, q);
  }
}
