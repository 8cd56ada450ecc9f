import { Public, WorkspaceId } from '@cairn/auth';
import { Body, Controller, Get, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CreateWaveDto, InAppQueryDto, LinkAnswerDto, LinkQueryDto } from './dto';
import { PublicRateLimitGuard } from './public-rate-limit.guard';
import { WavesService } from './waves.service';

@ApiTags('survey waves')
@ApiBearerAuth()
@Controller('surveys/:surveyId/waves')
export class WavesController {
  constructor(private readonly waves: WavesService) {}

  @Post()
  @ApiOperation({ summary: 'Send the survey to an audience: by email (a personal signed link each) or in-app' })
  create(@WorkspaceId() ws: string, @Param('surveyId') surveyId: string, @Body() dto: CreateWaveDto, @Req() req: FastifyRequest) {
    return this.waves.create(ws, surveyId, dto, `${req.protocol}://${req.host}`);
  }

  @Get()
  @ApiOperation({ summary: 'Waves of the survey with invitation counts and response rate' })
  list(@WorkspaceId() ws: string, @Param('surveyId') surveyId: string) {
    return this.waves.list(ws, surveyId);
  }

  @Get(':waveId/invitations')
  @ApiOperation({ summary: 'Who was invited in a wave, and whether the email went out and the person answered' })
  invitations(@WorkspaceId() ws: string, @Param('surveyId') surveyId: string, @Param('waveId') waveId: string) {
    return this.waves.invitations(ws, surveyId, waveId);
  }
}

@ApiTags('in-app surveys')
@ApiBearerAuth()
@Controller('in-app/surveys')
export class InAppController {
  constructor(private readonly waves: WavesService) {}

  @Get()
  @ApiOperation({ summary: 'For your product: the surveys to show this signed-in user now, each with the token to answer with' })
  pending(@WorkspaceId() ws: string, @Query() q: InAppQueryDto) {
    return this.waves.pendingInApp(ws, q.contactId);
  }
}

/** What respondents reach without an API token: the personal link carries who they are. */
@ApiTags('survey respondents (public)')
@Public()
@UseGuards(PublicRateLimitGuard)
@Controller('public')
export class PublicSurveyController {
  constructor(private readonly waves: WavesService) {}

  @Get('survey')
  @ApiOperation({ summary: 'Open a personal survey link: the question, the scale and any earlier answer' })
  open(@Query() q: LinkQueryDto) {
    return this.waves.openLink(q.token);
  }

  @Post('responses')
  @ApiOperation({ summary: 'Answer through a personal link or in-app token (401 forged, 410 expired, 429 too many)' })
  answer(@Body() dto: LinkAnswerDto) {
    return this.waves.answer(dto.token, dto.score, dto.comment);
  }
}
