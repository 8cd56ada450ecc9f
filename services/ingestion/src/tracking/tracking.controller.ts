import { Public } from '@cairn/auth';
import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBasicAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { SegmentIntakeService } from './segment-intake.service';

const call = { schema: { type: 'object', additionalProperties: true } };

/**
 * Segment HTTP Tracking API (https://segment.com/docs/connections/sources/catalog/libraries/server/http-api/):
 * the write key is the Basic-auth user name (or a writeKey field), no API token.
 */
@ApiTags('Segment tracking API')
@ApiBasicAuth()
@Public()
@Controller('v1')
export class TrackingController {
  constructor(private readonly intake: SegmentIntakeService) {}

  @Post('track') @HttpCode(200) @ApiBody(call) @ApiOperation({ summary: 'Record an action a user performed' })
  track(@Req() req: FastifyRequest, @Body() body: unknown) { return this.intake.single('track', req, body); }

  @Post('identify') @HttpCode(200) @ApiBody(call) @ApiOperation({ summary: 'Who the user is (traits: email, name, role …)' })
  identify(@Req() req: FastifyRequest, @Body() body: unknown) { return this.intake.single('identify', req, body); }

  @Post('group') @HttpCode(200) @ApiBody(call) @ApiOperation({ summary: 'Associate a user with an account (traits: name, plan, arr, csmOwner …)' })
  group(@Req() req: FastifyRequest, @Body() body: unknown) { return this.intake.single('group', req, body); }

  @Post('page') @HttpCode(200) @ApiBody(call) @ApiOperation({ summary: 'A page view' })
  page(@Req() req: FastifyRequest, @Body() body: unknown) { return this.intake.single('page', req, body); }

  @Post('screen') @HttpCode(200) @ApiBody(call) @ApiOperation({ summary: 'A mobile screen view' })
  screen(@Req() req: FastifyRequest, @Body() body: unknown) { return this.intake.single('screen', req, body); }

  @Post('alias') @HttpCode(200) @ApiBody(call) @ApiOperation({ summary: 'Merge a previous identity into a user id' })
  alias(@Req() req: FastifyRequest, @Body() body: unknown) { return this.intake.single('alias', req, body); }

  @Post('batch') @HttpCode(200) @ApiBody(call) @ApiOperation({ summary: 'Many calls at once: valid ones are kept, invalid ones listed by index' })
  batch(@Req() req: FastifyRequest, @Body() body: unknown) { return this.intake.batch(req, body); }

  @Post('import') @HttpCode(200) @ApiBody(call) @ApiOperation({ summary: 'Same as /v1/batch (Segment\'s historical import)' })
  import(@Req() req: FastifyRequest, @Body() body: unknown) { return this.intake.batch(req, body); }
}
