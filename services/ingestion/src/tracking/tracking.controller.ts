import { Public } from '@cairn/auth';
import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBasicAuth, ApiBody, ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { BrowserSettingsService } from './browser-settings.service';
import { SegmentIntakeService } from './segment-intake.service';

const call = { schema: { type: 'object', additionalProperties: true } };

/**
 * Every path a Segment client posts a call to: the documented one and the one-letter alias
 * analytics.js (analytics-next) uses (`${apiHost}/t`, `/b` for its batching strategy …). A
 * trailing slash is ignored by the router (bootstrapService).
 */
const paths = (name: string, alias?: string) => [name, ...(alias ? [alias] : [])];

/**
 * Segment HTTP Tracking API (https://segment.com/docs/connections/sources/catalog/libraries/server/http-api/):
 * the write key is the Basic-auth user name (or a writeKey field), no API token.
 */
@ApiTags('Segment tracking API')
@ApiBasicAuth()
@Public()
@Controller('v1')
export class TrackingController {
  constructor(private readonly intake: SegmentIntakeService, private readonly browser: BrowserSettingsService) {}

  @Post(paths('track', 't')) @HttpCode(200) @ApiBody(call) @ApiOperation({ summary: 'Record an action a user performed (alias /v1/t)' })
  track(@Req() req: FastifyRequest, @Body() body: unknown) { return this.intake.single('track', req, body); }

  @Post(paths('identify', 'i')) @HttpCode(200) @ApiBody(call) @ApiOperation({ summary: 'Who the user is (traits: email, name, role …) (alias /v1/i)' })
  identify(@Req() req: FastifyRequest, @Body() body: unknown) { return this.intake.single('identify', req, body); }

  @Post(paths('group', 'g')) @HttpCode(200) @ApiBody(call) @ApiOperation({ summary: 'Associate a user with an account (traits: name, plan, arr, csmOwner …) (alias /v1/g)' })
  group(@Req() req: FastifyRequest, @Body() body: unknown) { return this.intake.single('group', req, body); }

  @Post(paths('page', 'p')) @HttpCode(200) @ApiBody(call) @ApiOperation({ summary: 'A page view (alias /v1/p)' })
  page(@Req() req: FastifyRequest, @Body() body: unknown) { return this.intake.single('page', req, body); }

  @Post(paths('screen', 's')) @HttpCode(200) @ApiBody(call) @ApiOperation({ summary: 'A mobile screen view (alias /v1/s)' })
  screen(@Req() req: FastifyRequest, @Body() body: unknown) { return this.intake.single('screen', req, body); }

  @Post(paths('alias', 'a')) @HttpCode(200) @ApiBody(call) @ApiOperation({ summary: 'Merge a previous identity into a user id (alias /v1/a)' })
  alias(@Req() req: FastifyRequest, @Body() body: unknown) { return this.intake.single('alias', req, body); }

  @Post(paths('batch', 'b')) @HttpCode(200) @ApiBody(call) @ApiOperation({ summary: 'Many calls at once: valid ones are kept, invalid ones listed by index (alias /v1/b)' })
  batch(@Req() req: FastifyRequest, @Body() body: unknown) { return this.intake.batch(req, body); }

  @Post(paths('import')) @HttpCode(200) @ApiBody(call) @ApiOperation({ summary: 'Same as /v1/batch (Segment\'s historical import; analytics-java posts here)' })
  import(@Req() req: FastifyRequest, @Body() body: unknown) { return this.intake.batch(req, body); }

  /**
   * analytics-next reports its own delivery metrics to `${apiHost}/m`. Cairn keeps none of them;
   * the settings it serves turn them off, and a client configured otherwise still gets a 200.
   */
  @Post(paths('m')) @HttpCode(200) @ApiExcludeEndpoint()
  metrics() { return { success: true }; }

  @Get('projects/:writeKey/settings')
  @ApiOperation({
    summary: 'The source settings analytics.js (analytics-next) loads from its cdnURL: they point it back at this host, '
      + 'so a browser page needs no request to any third party',
  })
  settings(@Req() req: FastifyRequest, @Param('writeKey') writeKey: string) {
    return this.browser.settings(req, writeKey);
  }
}
